// Sentinel discovery without a server: the sentinels' answers built by hand, every step of a
// round, and the replies that say a server is or is no longer the primary.
#include "adapters/redis/sentinel.hpp"

#include <gtest/gtest.h>

namespace halfhour::redis {
namespace {

using kind = sentinel_discovery::action::kind;

reply nil() { return {}; }
reply str(std::string s) { return {reply::kind::string, std::move(s), 0, {}}; }
reply num(long long n) { return {reply::kind::integer, {}, n, {}}; }
reply arr(std::vector<reply> e) { return {reply::kind::array, {}, 0, std::move(e)}; }
reply err(std::string s) { return {reply::kind::error, std::move(s), 0, {}}; }

TEST(sentinel, a_sentinels_answer_is_the_primarys_host_and_port) {
  EXPECT_EQ(master_address(arr({str("10.0.0.7"), str("6380")})), (endpoint{"10.0.0.7", 6380, {}}));
  EXPECT_EQ(master_address_command("halfhour"),
            (std::vector<std::string>{"SENTINEL", "get-master-addr-by-name", "halfhour"}));
}

TEST(sentinel, an_answer_that_names_no_primary_is_none) {
  EXPECT_FALSE(master_address(nil()));  // the sentinel monitors no master of that name
  EXPECT_FALSE(master_address(err("IDONTKNOW No such master")));
  EXPECT_FALSE(master_address(arr({str("10.0.0.7")})));
  EXPECT_FALSE(master_address(arr({str("10.0.0.7"), str("63a0")})));
  EXPECT_FALSE(master_address(arr({str("10.0.0.7"), str("70000")})));
  EXPECT_FALSE(master_address(arr({str(""), str("6379")})));
  EXPECT_FALSE(master_address(arr({str("10.0.0.7"), num(6379)})));
}

TEST(sentinel, only_a_role_of_master_is_a_primary) {
  EXPECT_TRUE(is_primary(arr({str("master"), num(3129659), arr({})})));
  EXPECT_FALSE(is_primary(arr({str("slave"), str("10.0.0.7"), num(6379), str("connected"), num(3129659)})));
  EXPECT_FALSE(is_primary(err("ERR unknown command")));
  EXPECT_TRUE(is_readonly(err("READONLY You can't write against a read only replica.")));
  EXPECT_FALSE(is_readonly(err("ERR wrong number of arguments")));
  EXPECT_FALSE(is_readonly(str("READONLY")));
}

TEST(sentinel, a_round_asks_the_sentinels_in_turn_until_one_names_the_primary) {
  sentinel_discovery d(3);
  auto a = d.start();
  EXPECT_EQ(a.what, kind::ask);
  EXPECT_EQ(a.sentinel, 0u);
  a = d.answered(nullptr);  // unreachable
  EXPECT_EQ(a.what, kind::ask);
  EXPECT_EQ(a.sentinel, 1u);
  const auto no_master = nil();
  a = d.answered(&no_master);
  EXPECT_EQ(a.what, kind::ask);
  EXPECT_EQ(a.sentinel, 2u);
  const auto named = arr({str("127.0.0.1"), str("7001")});
  a = d.answered(&named);
  EXPECT_EQ(a.what, kind::connect);
  EXPECT_EQ(a.primary, (endpoint{"127.0.0.1", 7001, {}}));
}

TEST(sentinel, the_sentinel_that_answered_is_asked_first_next_time) {
  sentinel_discovery d(3);
  d.start();
  d.answered(nullptr);
  const auto named = arr({str("127.0.0.1"), str("7001")});
  d.answered(&named);  // sentinel 1 answered
  EXPECT_EQ(d.order(), (std::vector<std::size_t>{1, 0, 2}));
  auto a = d.start();
  EXPECT_EQ(a.what, kind::ask);
  EXPECT_EQ(a.sentinel, 1u);
}

TEST(sentinel, a_round_where_none_answers_is_a_pause_and_the_next_round_starts_over) {
  sentinel_discovery d(2);
  d.start();
  d.answered(nullptr);
  EXPECT_EQ(d.answered(nullptr).what, kind::pause);
  EXPECT_EQ(d.answered(nullptr).what, kind::pause);  // an answer after the round ended changes nothing
  EXPECT_EQ(d.order(), (std::vector<std::size_t>{0, 1}));
  auto a = d.start();
  EXPECT_EQ(a.what, kind::ask);
  EXPECT_EQ(a.sentinel, 0u);
}

TEST(sentinel, no_sentinels_is_a_pause_never_an_ask) {
  sentinel_discovery d(0);
  EXPECT_EQ(d.start().what, kind::pause);
}

}  // namespace
}  // namespace halfhour::redis
