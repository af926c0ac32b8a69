// An EventSource wrapper that measures the time spent reading (parsing) batches, so `run` can
// report read and aggregate times separately while aggregate_events drives the loop.
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "segmint/ingest.hpp"

namespace segmint::pipeline {

class TimedSource : public EventSource {
 public:
  explicit TimedSource(std::unique_ptr<EventSource> inner) : inner_(std::move(inner)) {}
  bool next(EventBatch& batch) override {
    auto t0 = std::chrono::steady_clock::now();
    bool more = inner_->next(batch);
    read_ms_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
    return more;
  }
  const IngestCounts& counts() const override { return inner_->counts(); }
  std::vector<std::string> schemas() const override { return inner_->schemas(); }
  double read_ms() const { return read_ms_; }

 private:
  std::unique_ptr<EventSource> inner_;
  double read_ms_ = 0;
};

}  // namespace segmint::pipeline
