// What makes a job an answer to a search: its ticket numbers (its own and its linked reports'),
// its reporters' phones as whole numbers in any notation, its community and state; and the
// order pages are read in.
#include "sla/search.hpp"

#include <gtest/gtest.h>

#include "sla/machine.hpp"

namespace halfhour::sla {
namespace {

work_order job() {
  work_order wo;
  wo.id = "W03-000007";
  wo.source = channel::hotline_12345;
  wo.external_no = "HL20261203001";
  wo.who = {"王女士", "+86 139-1234-5678"};
  wo.where.community_name = "丹桂苑";
  wo.state = wo_state::triage;
  return wo;
}

TEST(search, a_phone_is_its_digits_with_the_country_and_city_codes_dropped) {
  EXPECT_EQ(phone_digits("+86 139-1234-5678"), "13912345678");
  EXPECT_EQ(phone_digits("008613912345678"), "13912345678");
  EXPECT_EQ(phone_digits("(021) 5888-1234"), "58881234");
  EXPECT_EQ(phone_digits("5888 1234"), "58881234");
  EXPECT_TRUE(whole_phone("13912345678"));
  EXPECT_TRUE(whole_phone("58881234"));
  EXPECT_TRUE(whole_phone("057188881234"));  // another city's landline with its code
  EXPECT_FALSE(whole_phone("139123"));
  EXPECT_FALSE(whole_phone("1391234"));  // a part of a mobile number, not a landline
  EXPECT_FALSE(whole_phone("5888123"));
  EXPECT_FALSE(whole_phone("23912345678"));  // eleven digits that are no mobile number
  EXPECT_FALSE(whole_phone(""));
}

TEST(search, a_job_is_found_by_its_own_ticket_number_or_a_linked_report_s_and_by_no_other) {
  auto wo = job();
  EXPECT_TRUE(matches(wo, {.ticket_no = "HL20261203001"}));
  EXPECT_FALSE(matches(wo, {.ticket_no = "HL20261203002"}));
  wo.linked.push_back({"12345:HL20261203002", channel::hotline_12345, "HL20261203002", {}, "", "", {}, {}, ""});
  wo.linked_more_tickets.push_back("HL20261203003");
  EXPECT_TRUE(matches(wo, {.ticket_no = "HL20261203002"}));
  EXPECT_TRUE(matches(wo, {.ticket_no = "HL20261203003"}));
  wo.source = channel::wechat;  // a chat message's number is no 12345 ticket
  EXPECT_FALSE(matches(wo, {.ticket_no = "HL20261203001"}));
}

TEST(search, a_phone_matches_the_reporter_or_a_linked_reporter_whatever_the_notation) {
  auto wo = job();
  EXPECT_TRUE(matches(wo, {.phone = "13912345678"}));
  EXPECT_FALSE(matches(wo, {.phone = "13912345679"}));
  wo.linked.push_back({"wechat:m1", channel::wechat, "m1", {"李", "139 8765 4321"}, "", "", {}, {}, ""});
  EXPECT_TRUE(matches(wo, {.phone = "13987654321"}));
}

TEST(search, community_and_states_narrow_and_every_filter_must_hold) {
  auto wo = job();
  EXPECT_TRUE(matches(wo, {}));
  EXPECT_TRUE(matches(wo, {.community = "丹桂苑", .states = {wo_state::dispatched, wo_state::triage}}));
  EXPECT_FALSE(matches(wo, {.community = "樱桃苑"}));
  EXPECT_FALSE(matches(wo, {.states = {wo_state::done}}));
  EXPECT_FALSE(matches(wo, {.phone = "13912345678", .community = "樱桃苑"}));
}

TEST(search, pages_run_newest_first_and_by_id_within_one_moment) {
  const index_position older{from_ms(100), "W09-000001"}, newer{from_ms(200), "W00-000001"};
  EXPECT_TRUE(after(older, newer));
  EXPECT_FALSE(after(newer, older));
  EXPECT_TRUE(after({from_ms(200), "W00-000000"}, newer));
  EXPECT_FALSE(after(newer, newer));
}

}  // namespace
}  // namespace halfhour::sla
