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
  EXPECT_EQ(key_slot(k.steps(7)), key_slot(k.order(id)));
  EXPECT_EQ(key_slot(k.outbox(7)), key_slot(k.steps(7)));
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

TEST(redis_cluster, a_command_goes_where_its_key_lives) {
  using args = std::vector<std::string>;
  EXPECT_EQ(key_of(args{"HGET", "hh:{s03}:idem", "x"}), "hh:{s03}:idem");
  EXPECT_EQ(key_of(args{"evalsha", "abc", "2", "hh:{s01}:wo:W01-1", "hh:{s01}:dl", "arg"}), "hh:{s01}:wo:W01-1");
  EXPECT_EQ(key_of(args{"XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "STREAMS", "hh:{s02}:outbox", ">"}),
            "hh:{s02}:outbox");
  EXPECT_EQ(key_of(args{"XGROUP", "CREATE", "hh:{s04}:outbox", "g", "0", "MKSTREAM"}), "hh:{s04}:outbox");
  // Without a key: every primary is asked.
  EXPECT_FALSE(key_of(args{"WAIT", "1", "500"}));
  EXPECT_FALSE(key_of(args{"PING"}));
  EXPECT_FALSE(key_of(args{"CLUSTER", "SLOTS"}));
  EXPECT_FALSE(key_of(args{"EVAL", "return 1", "0"}));
  EXPECT_FALSE(key_of(args{"XREADGROUP", "GROUP", "g", "c", "STREAMS"}));  // malformed: no stream after it
}

TEST(redis_cluster, the_slot_map_routes_each_slot_to_its_primary_and_follows_a_move) {
  const endpoint a{"10.0.0.1", 7000, {}}, b{"10.0.0.2", 7001, {}}, a_replica{"10.0.0.4", 7003, {}};
  slot_map map;
  EXPECT_EQ(map.primary_of(0), nullptr);
  EXPECT_FALSE(map.complete());
  map.assign({{0, 8191, a, {a_replica}}, {8192, 16383, b, {}}});
  EXPECT_TRUE(map.complete());
  EXPECT_EQ(*map.primary_of(0), a);
  EXPECT_EQ(*map.primary_of(8192), b);
  EXPECT_EQ(map.primaries(), (std::vector<endpoint>{a, b}));
  EXPECT_EQ(map.known(), (std::vector<endpoint>{a, a_replica, b}));
  // The replica promoted takes over one slot by a MOVED, then all of a's by the next answer.
  map.move(100, a_replica);
  EXPECT_EQ(*map.primary_of(100), a_replica);
  EXPECT_EQ(*map.primary_of(101), a);
  map.assign({{0, 8191, a_replica, {}}, {8192, 16383, b, {}}});
  EXPECT_EQ(map.primaries(), (std::vector<endpoint>{a_replica, b}));
  // A map with a hole (a range without its primary during a failover) is incomplete.
  map.assign({{0, 8191, a, {}}});
  EXPECT_FALSE(map.complete());
  EXPECT_EQ(map.primary_of(9000), nullptr);
}

TEST(redis_cluster, a_slot_without_a_primary_is_retried_like_redis_away) {
  EXPECT_TRUE(cluster_unavailable(err("CLUSTERDOWN The cluster is down")));
  EXPECT_TRUE(cluster_unavailable(err("TRYAGAIN Multiple keys request during rehashing of slot")));
  EXPECT_FALSE(cluster_unavailable(err("ERR unknown command")));
  EXPECT_FALSE(cluster_unavailable(str("CLUSTERDOWN")));
}

// The 16 shard tags against the even slot split redis-cli --cluster create makes: even over 2 or
// 4 primaries, 8/4/4 over 3 (deploy/cluster/spread.sh then gives 6/5/5; tests/e2e/test_cluster.py).
TEST(redis_cluster, the_shards_spread_evenly_over_two_or_four_primaries) {
  const layout::keys k("hh");
  auto spread = [&](int primaries) {
    std::vector<int> per(static_cast<std::size_t>(primaries), 0);
    const int span = (cluster_slots + primaries - 1) / primaries;
    for (int s = 0; s < layout::shard_count; ++s) ++per[static_cast<std::size_t>(key_slot(k.deadlines(s)) / span)];
    return per;
  };
  EXPECT_EQ(spread(2), (std::vector<int>{8, 8}));
  EXPECT_EQ(spread(4), (std::vector<int>{4, 4, 4, 4}));
  EXPECT_EQ(spread(3), (std::vector<int>{8, 4, 4}));
}

}  // namespace
}  // namespace halfhour::redis
