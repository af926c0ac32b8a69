// The cancellation hook (a check polled between init steps and Lloyd iterations stops a fit with
// Cancelled) and the Arrow C stream EventSource (typed columns read like their CSV text; errors
// name rows).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "backend_support.hpp"
#include "segmint/arrow_c.hpp"
#include "segmint/cancel.hpp"

namespace segmint {
namespace {

int g_polls = 0;
bool stop_after_three() { return ++g_polls > 3; }

TEST(Cancel, CheckStopsAFitBetweenSteps) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> x(4000 * 4);
  for (auto& v : x) v = normal(rng);
  KMeansParams p;
  p.k = 8;
  p.max_iter = 1000;
  p.tol = 0;
  auto backend = test::cpu_backend(1);
  g_polls = 0;
  set_cancel_check(&stop_after_three);
  EXPECT_THROW(backend->kmeans({x.data(), 4000, 4}, nullptr, p), Cancelled);
  set_cancel_check(nullptr);
  EXPECT_EQ(g_polls, 4);
  EXPECT_NO_THROW(backend->kmeans({x.data(), 4000, 4}, nullptr, p));  // no check: runs through
}

// A one-batch stream of utf8 columns (header names, rows of text; "" = null).
struct TextStream {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<std::int32_t>> offsets;
  std::vector<std::string> data;
  std::vector<std::vector<const void*>> buffers;
  std::vector<ArrowSchema> col_schemas;
  std::vector<ArrowArray> col_arrays;
  std::vector<ArrowSchema*> schema_children;
  std::vector<ArrowArray*> array_children;
  std::vector<const void*> top_buffers{nullptr};
  bool sent = false;

  ArrowArrayStream make() {
    const std::size_t c = names.size(), n = rows.size();
    offsets.assign(c, {0});
    data.assign(c, "");
    for (std::size_t j = 0; j < c; ++j) {
      for (const auto& r : rows) {
        data[j] += r[j];
        offsets[j].push_back(static_cast<std::int32_t>(data[j].size()));
      }
    }
    buffers.resize(c);
    col_schemas.assign(c, ArrowSchema{});
    col_arrays.assign(c, ArrowArray{});
    for (std::size_t j = 0; j < c; ++j) {
      buffers[j] = {nullptr, offsets[j].data(), data[j].data()};
      col_schemas[j] = {"u", names[j].c_str(), nullptr, 0, 0, nullptr, nullptr, nullptr, nullptr};
      col_arrays[j] = {static_cast<std::int64_t>(n),
                       0,
                       0,
                       3,
                       0,
                       buffers[j].data(),
                       nullptr,
                       nullptr,
                       nullptr,
                       nullptr};
      schema_children.push_back(&col_schemas[j]);
      array_children.push_back(&col_arrays[j]);
    }
    ArrowArrayStream s{};
    s.get_schema = [](ArrowArrayStream* self, ArrowSchema* out) {
      auto* t = static_cast<TextStream*>(self->private_data);
      *out = {"+s",
              "",
              nullptr,
              0,
              static_cast<std::int64_t>(t->names.size()),
              t->schema_children.data(),
              nullptr,
              [](ArrowSchema* x) { x->release = nullptr; },
              nullptr};
      return 0;
    };
    s.get_next = [](ArrowArrayStream* self, ArrowArray* out) {
      auto* t = static_cast<TextStream*>(self->private_data);
      *out = ArrowArray{};
      if (t->sent) return 0;  // end: release stays null
      t->sent = true;
      *out = {static_cast<std::int64_t>(t->rows.size()),
              0,
              0,
              1,
              static_cast<std::int64_t>(t->names.size()),
              t->top_buffers.data(),
              t->array_children.data(),
              nullptr,
              [](ArrowArray* x) { x->release = nullptr; },
              nullptr};
      return 0;
    };
    s.get_last_error = [](ArrowArrayStream*) -> const char* { return nullptr; };
    s.release = [](ArrowArrayStream* self) { self->release = nullptr; };
    s.private_data = this;
    return s;
  }
};

TEST(ArrowSource, ReadsRowsByTheCsvRulesAndNamesBadRows) {
  TextStream t;
  t.names = {"user_id", "item_id", "category_id", "behavior_type", "timestamp"};
  t.rows = {{"1", "10", "100", "pv", "1511544070"},
            {"", "11", "100", "pv", "1511544071"},
            {"2", "12", "101", "buy", "1511544072"}};
  ArrowArrayStream s = t.make();
  UserDictionary users;
  auto source = open_arrow_events(&s, IngestOptions{}, users, "table");
  EXPECT_EQ(s.release, nullptr);  // ownership moved into the source
  EventBatch batch;
  ASSERT_TRUE(source->next(batch));
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch.type[1], EventType::purchase);
  EXPECT_EQ(batch.time[1], 1511544072);
  EXPECT_EQ(batch.item[0], key_of("10"));
  EXPECT_EQ(users.id(1), "2");
  EXPECT_FALSE(source->next(batch));
  EXPECT_EQ(source->counts().rows_without_user, 1u);
  EXPECT_EQ(source->schemas(), std::vector<std::string>{"taobao"});

  TextStream bad;
  bad.names = t.names;
  bad.rows = {{"1", "10", "100", "pv", "1511544070"}, {"2", "10", "100", "pv", "soon"}};
  ArrowArrayStream b = bad.make();
  UserDictionary u2;
  auto src = open_arrow_events(&b, IngestOptions{}, u2, "df");
  try {
    src->next(batch);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "df:3: cannot parse time 'soon' in column 'timestamp'");
  }
}

}  // namespace
}  // namespace segmint
