// ordered_total (a running sum handed along the ranks), all_chunk_values, total_in_order.
#include "dist/ordered.hpp"

#include "dist/comm.hpp"
#include "dist/wire.hpp"

namespace segmint::dist {

std::vector<double> ordered_total(const std::vector<double>& mine, std::size_t width) {
  std::vector<double> running(width, 0.0);
  const std::string in = receive_from_previous();
  if (!in.empty()) Unpacker(in).get_array(running.data(), width);
  for (std::size_t c = 0; c * width < mine.size(); ++c) {
    for (std::size_t q = 0; q < width; ++q) running[q] += mine[c * width + q];
  }
  Writer w;
  w.put_array(running.data(), width);
  send_to_next(w.bytes);
  broadcast(w.bytes, size() - 1);
  Unpacker(w.bytes).get_array(running.data(), width);
  return running;
}

std::vector<double> all_chunk_values(const std::vector<double>& mine) {
  Writer w;
  w.put_array(mine.data(), mine.size());
  std::vector<double> all;
  for (const std::string& m : all_gather(w.bytes)) {
    const std::size_t at = all.size();
    all.resize(at + m.size() / sizeof(double));
    Unpacker(m).get_array(all.data() + at, m.size() / sizeof(double));
  }
  return all;
}

double total_in_order(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

}  // namespace segmint::dist
