// The search route's query string: each filter read, dates in Shanghai, a cursor read back as it
// was written, and a clear refusal for what cannot be read (never read as "no filter").
#include "adapters/channels/search.hpp"

#include <gtest/gtest.h>

namespace halfhour::channels {
namespace {

TEST(search_query, every_filter_is_read_and_a_form_s_empty_boxes_filter_nothing) {
  auto p = parse_search(
      "ticket_no=HL001&phone=%2B86+139-1234-5678&community=%E4%B8%B9%E6%A1%82%E8%8B%91"
      "&state=TRIAGE,DONE&limit=50&from=");
  ASSERT_TRUE(p.ok) << p.error.message;
  EXPECT_EQ(p.q.filter.ticket_no, "HL001");
  EXPECT_EQ(p.q.filter.phone, "13912345678");
  EXPECT_EQ(p.q.filter.community, "丹桂苑");
  EXPECT_EQ(p.q.filter.states, (std::vector<sla::wo_state>{sla::wo_state::triage, sla::wo_state::done}));
  EXPECT_EQ(p.q.limit, 50u);
  EXPECT_FALSE(p.q.from);
  EXPECT_EQ(parse_search("state=OPEN").q.filter.states.size(), 5u);
  EXPECT_TRUE(parse_search("").ok);
}

TEST(search_query, a_date_is_a_day_in_shanghai_and_to_reads_through_it) {
  auto p = parse_search("from=2026-11-01&to=2026-11-30");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(*p.q.from, *parse_rfc3339("2026-10-31T16:00:00Z"));
  EXPECT_EQ(*p.q.to, *parse_rfc3339("2026-11-30T16:00:00Z"));
  EXPECT_EQ(*parse_search("to=2026-11-30T09:30:00%2B08:00").q.to, *parse_rfc3339("2026-11-30T01:30:00Z"));
}

TEST(search_query, a_cursor_reads_back_as_the_position_it_was_written_from) {
  const sla::index_position at{sla::from_ms(1'795'000'000'123), "W07-000123"};
  auto p = parse_search("cursor=" + render_cursor(at));
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(*p.q.cursor, at);
}

TEST(search_query, what_cannot_be_read_is_refused_naming_the_parameter) {
  const std::pair<const char*, const char*> refused[] = {
      {"phone=1391234", "phone"},
      {"phone=139-1234-567", "phone"},
      {"state=OPENED", "state"},
      {"limit=0", "limit"},
      {"limit=101", "limit"},
      {"limit=ten", "limit"},
      {"from=yesterday", "from"},
      {"cursor=W07-000123", "cursor"},
      {"cursor=-5.W07", "cursor"},
      {"ticket=HL001", "ticket"},
      {"from=2026-11-30&to=2026-11-01", "from"},
  };
  for (const auto& [query, field] : refused) {
    auto p = parse_search(query);
    EXPECT_FALSE(p.ok) << query;
    EXPECT_EQ(p.error.status, 400) << query;
    EXPECT_EQ(p.error.field, field) << query;
    EXPECT_FALSE(p.error.message.empty());
  }
  EXPECT_EQ(parse_search("phone=%ZZ").error.code, "invalid_query");
}

}  // namespace
}  // namespace halfhour::channels
