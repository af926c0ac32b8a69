// Schema presets, auto-detection and explicit mappings, with hand-computed events.
#include <gtest/gtest.h>

#include "ingest_test_util.hpp"

namespace segmint {
namespace {

struct Read {
  EventBatch batch;
  UserDictionary users;
  IngestCounts counts;
  std::vector<std::string> schemas;
};

std::unique_ptr<Read> read_text(const std::string& text, IngestOptions o = {}) {
  test::TempDir dir;
  std::string path = dir.file("events.csv");
  test::write_file(path, text);
  auto r = std::make_unique<Read>();
  auto src = open_events({path}, o, r->users);
  EventBatch b;
  while (src->next(b)) r->batch.append(b);
  r->counts = src->counts();
  r->schemas = src->schemas();
  return r;
}

}  // namespace

TEST(Presets, Rees46) {
  auto r = read_text(
      "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n"
      "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,s1\n"
      "2019-10-01 00:00:05 UTC,purchase,3900821,2053013552326770905,a.b,aqua,33.20,554748717,s2\n"
      "2019-10-01 00:00:09 UTC,remove_from_cart,3900821,2053013552326770905,,,33.20,541312140,s1\n");
  EXPECT_EQ(r->schemas, std::vector<std::string>{"rees46"});
  ASSERT_EQ(r->batch.size(), 3u);
  EXPECT_EQ(r->users.size(), 2u);
  EXPECT_EQ(r->users.id(1), "554748717");
  EXPECT_EQ(r->batch.user[2], 0u);
  EXPECT_EQ(r->batch.type[0], EventType::view);
  EXPECT_EQ(r->batch.type[1], EventType::purchase);
  EXPECT_EQ(r->batch.type[2], EventType::remove_from_cart);
  EXPECT_EQ(r->batch.amount[0], 0.0);  // price counts as money only for purchases
  EXPECT_DOUBLE_EQ(r->batch.amount[1], 33.20);
  EXPECT_EQ(r->batch.time[1], 1569888005);
  EXPECT_EQ(r->batch.item[1], key_of("3900821"));
  EXPECT_EQ(r->batch.category[0], key_of("2103807459595387724"));
  EXPECT_EQ(r->batch.session[2], key_of("s1"));
  EXPECT_EQ(r->batch.order[0], kNoKey);
}

TEST(Presets, OnlineRetailTwoCancellationsAndMissingCustomer) {
  IngestOptions o;
  o.count_orders = true;
  auto r = read_text(
      "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n"
      "489434,85048,\"15CM CHRISTMAS GLASS BALL, 20 LIGHTS\",12,2009-12-01 07:45:00,6.95,13085,UK\n"
      "489434,79323P,PINK CHERRY LIGHTS,12,2009-12-01 07:45:00,6.75,13085,UK\n"
      "C489449,22087,PAPER BUNTING,-12,2009-12-01 10:33:00,2.95,16321,Australia\n"
      "489464,21733,85123a mixed,-96,2009-12-01 10:52:00,0.00,,United Kingdom\n",
      o);
  EXPECT_EQ(r->schemas, std::vector<std::string>{"online-retail"});
  ASSERT_EQ(r->batch.size(), 3u);
  EXPECT_EQ(r->counts.rows, 4u);
  EXPECT_EQ(r->counts.rows_without_user, 1u);
  EXPECT_EQ(r->counts.orders, 3u);  // 489434, C489449, 489464 (userless rows count too)
  EXPECT_EQ(r->counts.cancelled_orders, 1u);
  EXPECT_EQ(r->batch.type[0], EventType::purchase);
  EXPECT_EQ(r->batch.type[2], EventType::cancel);
  EXPECT_DOUBLE_EQ(r->batch.amount[0], 12 * 6.95);
  EXPECT_DOUBLE_EQ(r->batch.amount[2], -12 * 2.95);
  EXPECT_EQ(r->batch.order[0], key_of("489434"));
  EXPECT_EQ(r->batch.order[1], r->batch.order[0]);
  EXPECT_EQ(r->batch.item[1], key_of("79323P"));
  EXPECT_EQ(r->batch.time[2], 14579LL * 86400 + 10 * 3600 + 33 * 60);  // 2009-12-01 10:33
}

TEST(Presets, OnlineRetailOneHeaderDatesAndFloatCustomerIds) {
  auto r = read_text(
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
      "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom\n"
      "536366,22633,HAND WARMER,6,12/1/2010 8:28,1.85,17850,United Kingdom\n");
  EXPECT_EQ(r->schemas, std::vector<std::string>{"online-retail"});
  ASSERT_EQ(r->batch.size(), 2u);
  EXPECT_EQ(r->users.size(), 1u);  // "17850.0" and "17850" are one customer
  EXPECT_EQ(r->users.id(0), "17850");
  EXPECT_EQ(r->batch.time[0], 14944LL * 86400 + 8 * 3600 + 26 * 60);
  EXPECT_DOUBLE_EQ(r->batch.amount[1], 6 * 1.85);
}

TEST(Presets, TaobaoWithAndWithoutHeader) {
  const std::string rows = "1,2268318,2520377,pv,1511544070\n1,2333346,2520771,fav,1511561733\n"
                           "2,9,7,buy,1511561800\n3,9,7,cart,1511561801\n";
  for (bool header : {true, false}) {
    auto r = read_text((header ? "user_id,item_id,category_id,behavior_type,timestamp\n" : "") + rows);
    EXPECT_EQ(r->schemas, std::vector<std::string>{"taobao"});
    ASSERT_EQ(r->batch.size(), 4u) << header;
    EXPECT_EQ(r->users.size(), 3u);
    EXPECT_EQ(r->batch.type[0], EventType::view);
    EXPECT_EQ(r->batch.type[1], EventType::other);
    EXPECT_EQ(r->batch.type[2], EventType::purchase);
    EXPECT_EQ(r->batch.type[3], EventType::cart);
    EXPECT_EQ(r->batch.time[0], 1511544070);
    EXPECT_EQ(r->batch.item[0], key_of("2268318"));
    EXPECT_EQ(r->batch.category[0], key_of("2520377"));
  }
}

TEST(Presets, RetailRocketMillisecondsAndTransactions) {
  auto r = read_text(
      "timestamp,visitorid,event,itemid,transactionid\n"
      "1433221332117,257597,view,355908,\n"
      "1433224214164,992329,addtocart,248676,\n"
      "1433221999827,111016,transaction,462443,7911\n");
  EXPECT_EQ(r->schemas, std::vector<std::string>{"retailrocket"});
  ASSERT_EQ(r->batch.size(), 3u);
  EXPECT_EQ(r->batch.time[0], 1433221332);
  EXPECT_EQ(r->batch.type[1], EventType::cart);
  EXPECT_EQ(r->batch.type[2], EventType::purchase);
  EXPECT_EQ(r->batch.order[0], kNoKey);
  EXPECT_EQ(r->batch.order[2], key_of("7911"));
  EXPECT_EQ(r->batch.amount[2], 0.0);
}

TEST(Presets, CustomMappingWithTypeMapAndAmountColumn) {
  IngestOptions o;
  o.schema = "custom";
  o.column_map = {{"user", "who"}, {"time", "when"}, {"type", "what"}, {"amount", "value"},
                  {"order", "basket"}};
  o.type_map = {{"bought", "purchase"}, {"opened", "email_open"}};
  auto r = read_text(
      "who,when,what,value,basket\n"
      "alice,2019-10-01T00:00:00Z,bought,12.5,o1\n"
      "bob,1569888000,opened,,\n"
      "alice,1569888000000,teleported,1e2,o2\n",
      o);
  EXPECT_EQ(r->schemas, std::vector<std::string>{"custom"});
  ASSERT_EQ(r->batch.size(), 3u);
  EXPECT_EQ(r->batch.type[0], EventType::purchase);
  EXPECT_EQ(r->batch.type[1], EventType::email_open);
  EXPECT_EQ(r->batch.type[2], EventType::other);  // unknown raw types are other
  EXPECT_EQ(r->batch.amount[0], 12.5);
  EXPECT_EQ(r->batch.amount[1], 0.0);
  EXPECT_EQ(r->batch.amount[2], 100.0);
  EXPECT_EQ(r->batch.time[2], 1569888000);
  EXPECT_EQ(r->batch.order[1], kNoKey);
}

TEST(Presets, MapOverridesAPresetColumnAndTypeMapWins) {
  IngestOptions o;
  o.schema = "taobao";
  o.column_map = {{"user", "item_id"}};
  o.type_map = {{"fav", "cart"}};
  auto r = read_text("user_id,item_id,category_id,behavior_type,timestamp\n1,42,7,fav,1511544070\n",
                     o);
  ASSERT_EQ(r->batch.size(), 1u);
  EXPECT_EQ(r->users.id(0), "42");
  EXPECT_EQ(r->batch.type[0], EventType::cart);
}

TEST(Presets, QuantityTimesPriceInACustomMapping) {
  IngestOptions o;
  o.column_map = {{"user", "u"}, {"time", "t"}, {"quantity", "q"}, {"price", "p"}};
  auto r = read_text("u,t,q,p\nx,1569888000,3,2.5\n", o);
  ASSERT_EQ(r->batch.size(), 1u);
  EXPECT_EQ(r->schemas, std::vector<std::string>{"custom"});
  EXPECT_EQ(r->batch.type[0], EventType::purchase);  // no type column: purchase lines
  EXPECT_EQ(r->batch.amount[0], 7.5);
}

}  // namespace segmint
