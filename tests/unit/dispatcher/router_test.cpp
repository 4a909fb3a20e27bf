// The endpoint table's matcher: literals, placeholders, suffixes, the rest of a path, and which
// methods a path takes.
#include "dispatcher/router.hpp"

#include <gtest/gtest.h>

namespace halfhour {
namespace {

const std::vector<route_pattern> table = {
    {"GET", "/v1/work-orders/{id}"},
    {"POST", "/v1/work-orders/{id}/unlink"},
    {"POST", "/v1/crew/jobs/{id}/{action}"},
    {"GET", "/open311/v2/requests/{id}.json"},
    {"GET", "/crew/*"},
    {"POST", "/v1/hotline/tickets"},
    {"GET", "/v1/crew/jobs/"},
    {"*", "/any"},
};

TEST(router, placeholders_take_one_segment_each) {
  auto m = match_route(table, "POST", "/v1/crew/jobs/W01-000001/arrive");
  ASSERT_EQ(m.what, route_match::kind::found);
  EXPECT_EQ(m.index, 2u);
  EXPECT_EQ(m.params.at("id"), "W01-000001");
  EXPECT_EQ(m.params.at("action"), "arrive");
  EXPECT_EQ(match_route(table, "GET", "/v1/work-orders/W01-000001/x").what, route_match::kind::not_found);
  EXPECT_EQ(match_route(table, "GET", "/v1/work-orders/").what, route_match::kind::not_found) << "an empty id";
}

TEST(router, a_placeholder_may_carry_a_literal_suffix) {
  auto m = match_route(table, "GET", "/open311/v2/requests/W02-000007.json");
  ASSERT_EQ(m.what, route_match::kind::found);
  EXPECT_EQ(m.params.at("id"), "W02-000007");
  EXPECT_EQ(match_route(table, "GET", "/open311/v2/requests/.json").what, route_match::kind::not_found);
  EXPECT_EQ(match_route(table, "GET", "/open311/v2/requests/W02.xml").what, route_match::kind::not_found);
}

TEST(router, a_star_takes_the_rest_of_the_path_including_the_folder_itself) {
  auto m = match_route(table, "GET", "/crew/app.js");
  ASSERT_EQ(m.what, route_match::kind::found);
  EXPECT_EQ(m.params.at("*"), "app.js");
  EXPECT_EQ(match_route(table, "GET", "/crew/").what, route_match::kind::found);
  EXPECT_EQ(match_route(table, "GET", "/crew/a/b.css").params.at("*"), "a/b.css");
  EXPECT_EQ(match_route(table, "GET", "/crewx/app.js").what, route_match::kind::not_found);
}

TEST(router, a_path_of_other_methods_is_method_not_allowed_with_them) {
  auto m = match_route(table, "GET", "/v1/hotline/tickets");
  EXPECT_EQ(m.what, route_match::kind::method_not_allowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"POST"}));
  EXPECT_EQ(match_route(table, "DELETE", "/any").what, route_match::kind::found) << "* takes every method";
  EXPECT_EQ(match_route(table, "GET", "/v1/crew/jobs/").what, route_match::kind::found)
      << "a trailing slash is literal";
  EXPECT_EQ(match_route(table, "GET", "/nope").what, route_match::kind::not_found);
}

}  // namespace
}  // namespace halfhour
