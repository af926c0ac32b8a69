// open_arrow_events(): an EventSource over an Arrow C stream, each row read by the same rules as
// a CSV row of the same plan (schema presets, mappings, amount rules, error texts).
#include <algorithm>
#include <array>
#include <utility>

#include "ingest/arrow_column.hpp"
#include "ingest/row_parse.hpp"
#include "ingest/schema.hpp"
#include "segmint/arrow_c.hpp"
#include "segmint/error.hpp"

namespace segmint {
namespace {

using ingest::ArrowColumn;

// The event fields a plan maps, in the order of Plan's members.
enum Field {
  f_user,
  f_time,
  f_type,
  f_amount,
  f_quantity,
  f_price,
  f_item,
  f_category,
  f_session,
  f_order,
  f_count
};

class ArrowSource : public EventSource {
 public:
  ArrowSource(ArrowArrayStream* stream, const IngestOptions& options, UserDictionary& users,
              std::string name)
      : options_(options), users_(users), name_(std::move(name)) {
    stream_ = *stream;
    stream->release = nullptr;  // moved: the caller's struct is released
    if (stream_.get_schema(&stream_, &schema_) != 0) fail("cannot read the Arrow schema");
    if (std::string_view(schema_.format ? schema_.format : "") != "+s") {
      throw InputError(name_, 0, "expected a table (an Arrow struct stream)");
    }
    std::vector<std::string> names;
    for (std::int64_t c = 0; c < schema_.n_children; ++c) {
      names.emplace_back(schema_.children[c]->name ? schema_.children[c]->name : "");
    }
    plan_ = ingest::make_plan(names, options_, name_);
    const Plan& p = plan_;
    columns_ = {p.user,  p.time, p.type,     p.amount,  p.quantity,
                p.price, p.item, p.category, p.session, p.order};
  }

  ~ArrowSource() override {
    if (array_.release) array_.release(&array_);
    if (schema_.release) schema_.release(&schema_);
    if (stream_.release) stream_.release(&stream_);
  }

  bool next(EventBatch& batch) override {
    batch.clear();
    const std::size_t limit = std::max<std::size_t>(1, options_.batch_rows);
    while (batch.size() < limit) {
      if (pos_ >= array_.length && !fetch()) break;
      commit(batch, limit);
    }
    return !batch.empty();
  }

  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {plan_.schema}; }

 private:
  using Plan = ingest::Plan;

  [[noreturn]] void fail(const std::string& what) {
    const char* detail = stream_.get_last_error ? stream_.get_last_error(&stream_) : nullptr;
    throw InputError(name_, 0, what + (detail ? std::string(": ") + detail : std::string()));
  }

  // Makes the stream's next record batch current; false at the end.
  bool fetch() {
    if (array_.release) array_.release(&array_);
    row_base_ += array_.length;
    array_ = ArrowArray{};
    pos_ = 0;
    if (done_) return false;
    if (stream_.get_next(&stream_, &array_) != 0) fail("cannot read the next Arrow batch");
    if (!array_.release) {
      done_ = true;
      if (counts_.rows == 0) throw InputError(name_, 0, "no data rows");
      return false;
    }
    if (array_.n_children != schema_.n_children) fail("a batch does not match the schema");
    for (int f = 0; f < f_count; ++f) {
      const int c = columns_[f];
      if (c >= 0) cells_[f].bind(*schema_.children[c], *array_.children[c], name_);
    }
    return true;
  }

  std::string_view text(int f, std::int64_t i, char (&buf)[48]) const {
    return columns_[f] >= 0 ? cells_[f].text(i, buf) : std::string_view();
  }

  // One row by the rules of the CSV row parser; an error message, or "" when the row is read.
  std::string parse(std::int64_t i, ingest::Row& row) {
    char ub[48], ob[48], tb[48], kb[48];
    std::string_view user = text(f_user, i, ub);
    if (plan_.strip_dot_zero_user && user.size() > 2 && user.substr(user.size() - 2) == ".0") {
      user.remove_suffix(2);
    }
    const std::string_view order = text(f_order, i, ob);
    row = ingest::Row{};
    row.order = key_of(order);
    row.type = columns_[f_type] >= 0 ? plan_.map_type(text(f_type, i, tb)) : EventType::purchase;
    if (plan_.cancel_prefix_order && !order.empty() && order.front() == 'C') {
      row.type = EventType::cancel;
    }
    if (user.empty()) return row.status = ingest::RowStatus::no_user, std::string();
    row.user = user;
    for (int f : {f_user, f_item, f_category, f_session, f_order}) {
      if (columns_[f] >= 0 && !ingest::valid_utf8(f == f_user ? user : text(f, i, kb))) {
        return "invalid UTF-8 in column '" + plan_.columns[columns_[f]] + "'";
      }
    }
    if (!cells_[f_time].time(i, row.time)) {
      return "cannot parse time '" + std::string(text(f_time, i, kb)) + "' in column '" +
             plan_.columns[columns_[f_time]] + "'";
    }
    row.item = key_of(text(f_item, i, kb));
    row.category = key_of(text(f_category, i, kb));
    row.session = key_of(text(f_session, i, kb));
    return amount(i, row);
  }

  std::string amount(std::int64_t i, ingest::Row& row) {
    double a = 0, b = 0;
    switch (plan_.amount_rule) {
      case ingest::AmountRule::none:
        break;
      case ingest::AmountRule::column:
        if (!cells_[f_amount].number(i, a)) return bad_number(f_amount, i);
        row.amount = a;
        break;
      case ingest::AmountRule::quantity_times_price:
        if (!cells_[f_quantity].number(i, a)) return bad_number(f_quantity, i);
        if (!cells_[f_price].number(i, b)) return bad_number(f_price, i);
        row.amount = a * b;
        break;
      case ingest::AmountRule::price_on_purchase:
        if (!cells_[f_price].number(i, a)) return bad_number(f_price, i);
        row.amount = row.type == EventType::purchase ? a : 0.0;
        break;
    }
    return {};
  }

  std::string bad_number(int f, std::int64_t i) const {
    char buf[48];
    return "cannot parse number '" + std::string(text(f, i, buf)) + "' in column '" +
           plan_.columns[columns_[f]] + "'";
  }

  void commit(EventBatch& batch, std::size_t limit) {
    ingest::Row r;
    for (; pos_ < array_.length && batch.size() < limit; ++pos_) {
      ++counts_.rows;
      const std::string err = parse(pos_, r);
      if (!err.empty()) {
        if (!options_.skip_bad_rows) {
          throw InputError(name_, static_cast<unsigned long long>(row_base_ + pos_ + 2), err);
        }
        ++counts_.bad_rows;
        continue;
      }
      if (r.status == ingest::RowStatus::no_user) {
        ++counts_.rows_without_user;
        continue;
      }
      ingest::emit_event(r, users_.intern(r.user), batch, counts_);
    }
  }

  IngestOptions options_;
  UserDictionary& users_;
  std::string name_;
  ArrowArrayStream stream_{};
  ArrowSchema schema_{};
  ArrowArray array_{};  // the current record batch
  Plan plan_;
  std::array<int, f_count> columns_{};
  std::array<ArrowColumn, f_count> cells_;
  std::int64_t pos_ = 0, row_base_ = 0;
  bool done_ = false;
  IngestCounts counts_;
};

}  // namespace

std::unique_ptr<EventSource> open_arrow_events(ArrowArrayStream* stream,
                                               const IngestOptions& options, UserDictionary& users,
                                               const std::string& name) {
  if (!stream || !stream->release) throw UsageError("open_arrow_events: no Arrow stream");
  return std::make_unique<ArrowSource>(stream, options, users, name);
}

}  // namespace segmint
