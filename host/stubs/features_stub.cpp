// TEMPORARY STUB: replaced by the features work (delete this file then).
#include "segmint/error.hpp"
#include "segmint/features.hpp"
namespace segmint {
struct UserTable::Impl { AggregateOptions options; };
UserTable::UserTable() : impl_(new Impl) {}
UserTable::UserTable(const AggregateOptions& o) : impl_(new Impl{o}) {}
UserTable::~UserTable() = default;
UserTable::UserTable(UserTable&&) noexcept = default;
UserTable& UserTable::operator=(UserTable&&) noexcept = default;
void UserTable::add(const EventBatch&) { throw RuntimeError("stub"); }
void UserTable::merge(const UserTable&) { throw RuntimeError("stub"); }
std::size_t UserTable::users() const { return 0; }
const AggregateOptions& UserTable::options() const { return impl_->options; }
void UserTable::save(std::ostream&) const { throw RuntimeError("stub"); }
UserTable UserTable::load(std::istream&, const std::string&) { throw RuntimeError("stub"); }
UserTable::Impl& UserTable::impl() { return *impl_; }
const UserTable::Impl& UserTable::impl() const { return *impl_; }
UserTable aggregate_events(EventSource&, const AggregateOptions&) { throw RuntimeError("stub"); }
const std::vector<FeatureInfo>& feature_catalog() { static std::vector<FeatureInfo> v; return v; }
FeatureMatrix compute_features(const UserTable&, const FeatureOptions&, std::int64_t*) {
  throw RuntimeError("stub");
}
FeatureMatrix Scaler::transform(const FeatureMatrix&) const { throw RuntimeError("stub"); }
std::vector<double> Scaler::inverse(const std::vector<float>&, int) const {
  throw RuntimeError("stub");
}
Scaler fit_scaler(const FeatureMatrix&, const TransformOptions&) { throw RuntimeError("stub"); }
}  // namespace segmint
