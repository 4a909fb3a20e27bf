// Redis Cluster's addressing without a server: key slots as the specification computes them,
// CLUSTER SLOTS and MOVED/ASK replies built by hand, well formed or not.
#include "adapters/redis/cluster.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/redis/layout.hpp"

namespace halfhour::redis {
namespace {

reply str(std::string s) { return {reply::kind::string, std::move(s), 0, {}}; }
reply num(long long n) { return {reply::kind::integer, {}, n, {}}; }
reply arr(std::vector<reply> e) { return {reply::kind::array, {}, 0, std::move(e)}; }
reply err(std::string s) { return {reply::kind::error, std::move(s), 0, {}}; }

TEST(redis_cluster, a_key_hashes_as_the_cluster_specification_says) {
  // The specification's own examples, and what redis-cli CLUSTER KEYSLOT answers.
  EXPECT_EQ(key_slot("123456789"), 12739);
  EXPECT_EQ(key_slot("foo"), 12182);
  EXPECT_EQ(key_slot("bar"), 5061);
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("{user1000}.followers"));
  EXPECT_NE(key_slot("foo{}{bar}"), key_slot("bar"));  // an empty tag: the whole key
  EXPECT_EQ(key_slot("foo{{bar}}zap"), key_slot("{bar"));
}

TEST(redis_cluster, every_key_of_a_shard_is_in_one_slot) {
  const layout::keys k("hh");
  const auto id = layout::id_of(7, 42);
  EXPECT_EQ(key_slot(k.order(id)), key_slot("s07"));
  EXPECT_EQ(key_slot(k.deadlines(7)), key_slot(k.order(id)));
  EXPECT_EQ(key_slot(k.outbox(7)), key_slot(k.journal(id)));
}

TEST(redis_cluster, the_slot_map_names_each_ranges_primary_and_replicas) {
  auto node = [](std::string host, long long port) { return arr({str(std::move(host)), num(port), str("id")}); };
  auto map = slot_ranges(arr({arr({num(0), num(5460), node("10.0.0.1", 7000), node("10.0.0.4", 7003)}),
                              arr({num(5461), num(16383), node("10.0.0.2", 7001)})}));
  ASSERT_TRUE(map);
  ASSERT_EQ(map->size(), 2u);
  EXPECT_EQ(((*map)[0].first), 0);
  EXPECT_EQ(((*map)[0].last), 5460);
  EXPECT_EQ((*map)[0].primary, (endpoint{"10.0.0.1", 7000, {}}));
  EXPECT_EQ((*map)[0].replicas, (std::vector<endpoint>{{"10.0.0.4", 7003, {}}}));
  EXPECT_TRUE((*map)[1].replicas.empty());
}

TEST(redis_cluster, a_slot_map_that_is_not_one_is_none) {
  EXPECT_FALSE(slot_ranges(err("ERR This instance has cluster support disabled")));
  EXPECT_FALSE(slot_ranges(arr({arr({num(0), num(5460)})})));                             // no node
  EXPECT_FALSE(slot_ranges(arr({arr({num(10), num(5), arr({str("h"), num(1)})})})));      // backwards
  EXPECT_FALSE(slot_ranges(arr({arr({num(0), num(16384), arr({str("h"), num(1)})})})));   // past the last slot
  EXPECT_FALSE(slot_ranges(arr({arr({num(0), num(9), arr({str("h"), str("7000")})})})));  // port not a number
}

TEST(redis_cluster, moved_and_ask_name_the_slot_and_where_it_is_served) {
  auto moved = redirect_of(err("MOVED 3999 127.0.0.1:6381"));
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->what, redirect::kind::moved);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->to, (endpoint{"127.0.0.1", 6381, {}}));
  auto ask = redirect_of(err("ASK 3999 [::1]:6381"));
  ASSERT_TRUE(ask);
  EXPECT_EQ(ask->what, redirect::kind::ask);
  EXPECT_EQ(ask->to.host, "[::1]");
  EXPECT_FALSE(redirect_of(err("READONLY You can't write against a read only replica.")));
  EXPECT_FALSE(redirect_of(err("MOVED 16384 127.0.0.1:6381")));
  EXPECT_FALSE(redirect_of(err("MOVED 3999 127.0.0.1")));
  EXPECT_FALSE(redirect_of(str("MOVED 3999 127.0.0.1:6381")));  // a value, not an error
}

}  // namespace
}  // namespace halfhour::redis
