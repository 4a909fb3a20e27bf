// The armed steps of the Redis layout without a server: step names both ways, a job's steps as
// steps.lua writes them, scan pages and the due script's answers, and the deadline members of
// the layouts before, as the engine reads them to move them over.
#include <gtest/gtest.h>

#include "adapters/errors.hpp"
#include "adapters/redis/layout.hpp"

namespace halfhour::redis::layout {
namespace {

using namespace std::chrono_literals;

const sla::instant t0 = sla::from_ms(1'795'000'000'000);  // "mwm0nk74" in base 36

reply nil() { return {}; }
reply str(std::string s) { return {reply::kind::string, std::move(s), 0, {}}; }
reply arr(std::vector<reply> e) { return {reply::kind::array, {}, 0, std::move(e)}; }
reply err(std::string s) { return {reply::kind::error, std::move(s), 0, {}}; }

const std::vector<sla::deadline> steps{{sla::clock_kind::on_site, t0 + 30min},
                                       {sla::clock_kind::acknowledge, t0 + 10min},
                                       {sla::clock_kind::contact, t0 + 20min, sla::step::warn, 2},
                                       {sla::clock_kind::completion, t0 + 24h, sla::step::renotify}};

TEST(redis_layout_steps, step_names_read_back_as_the_steps_they_were_written_for) {
  for (const auto& d : steps) {
    const auto name = step_name(d);
    EXPECT_EQ(parse_step_name(name, d.at), d) << name;
  }
  EXPECT_EQ(step_name(steps[0]), "onsite");
  EXPECT_EQ(step_name(steps[2]), "contact.2");
  EXPECT_EQ(step_name(steps[3]), "done!");
}

TEST(redis_layout_steps, a_malformed_step_name_reads_as_nothing) {
  for (const char* bad : {"", "later", "onsite.", "onsite.x", "onsite.1x", "onsite!!", "onsite.-1", ".1", "!"})
    EXPECT_FALSE(parse_step_name(bad, t0)) << bad;
}

TEST(redis_layout_steps, a_jobs_armed_steps_read_as_each_step_at_its_moment) {
  // 1795001800000 ms is "mwm1q534" in base 36, 1795000600000 "mwm10f5s", 1795001200000
  // "mwm1da4g", 1795086400000 "mwng3ev4".
  std::vector<armed_deadline> out;
  ASSERT_TRUE(parse_steps("W07-000123", "ack@mwm10f5s,contact.2@mwm1da4g,done!@mwng3ev4,onsite@mwm1q534", out));
  ASSERT_EQ(out.size(), 4u);
  for (const auto& a : out) EXPECT_EQ(a.id, "W07-000123");
  EXPECT_EQ(out[0].due, steps[1]);
  EXPECT_EQ(out[1].due, steps[2]);
  EXPECT_EQ(out[2].due, steps[3]);
  EXPECT_EQ(out[3].due, steps[0]);
}

TEST(redis_layout_steps, malformed_parts_of_armed_steps_are_left_out_and_said) {
  std::vector<armed_deadline> out;
  EXPECT_FALSE(
      parse_steps("W07-000123", "ack@mwm10f5s,later@mwm1da4g,onsite,done@,onsite.0@zz!,,contact@mwm1da4g", out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].due, (sla::deadline{sla::clock_kind::acknowledge, t0 + 10min}));
  EXPECT_EQ(out[1].due, (sla::deadline{sla::clock_kind::contact, t0 + 20min}));
  EXPECT_FALSE(parse_steps("W07-000123", "", out));
  EXPECT_EQ(out.size(), 2u);
}

TEST(redis_layout_steps, the_buckets_read_for_recovery_give_every_step_and_skip_malformed_ones) {
  auto found =
      bucket_steps_of({arr({str("W07-000123"), str("ack@mwm10f5s,onsite@mwm1q534"), str("W07-000124"), str("garbage")}),
                       arr({}), arr({str("W07-000200"), str("onsite.0@mwm0nk74")})});
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 3u);
  EXPECT_EQ((*found)[1].id, "W07-000123");
  EXPECT_EQ((*found)[1].due, steps[0]);
  EXPECT_EQ((*found)[2].id, "W07-000200");
  EXPECT_EQ((*found)[2].due, (sla::deadline{sla::clock_kind::on_site, t0, sla::step::warn, 0}));
  EXPECT_EQ(bucket_steps_of({arr({}), err("LOADING")}).error(), errc::unavailable);
}

TEST(redis_layout_steps, a_shards_id_counter_says_how_many_buckets_its_steps_may_be_in) {
  EXPECT_EQ(bucket_count_of(reply{}).value(), 0) << "no id taken yet";
  EXPECT_EQ(bucket_count_of(str("32")).value(), 1);
  EXPECT_EQ(bucket_count_of(str("127")).value(), 1);
  EXPECT_EQ(bucket_count_of(str("128")).value(), 2) << "ids start at 1: id 128 opens bucket 1";
  EXPECT_EQ(bucket_count_of(str("x")).error(), errc::rejected);
}

TEST(redis_layout_steps, a_hash_scan_page_keeps_its_cursor_and_every_field_with_its_value) {
  auto page = hash_page_of(arr({str("17"), arr({str("W07-000123"), str("ack@mwm10f5s"), str("1015"), str("W07-1")})}));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->cursor, "17");
  EXPECT_EQ(page->members, (std::vector<std::string>{"W07-000123", "ack@mwm10f5s", "1015", "W07-1"}));
  EXPECT_EQ(hash_page_of(arr({str("0")})).error(), errc::rejected);
}

TEST(redis_layout_steps, of_the_jobs_due_only_the_steps_due_are_kept) {
  // The due script answers jobs by their earliest step; their later steps are not due yet.
  auto due = overdue_of({arr({str("W01-000001"), str("ack@mwm10f5s,onsite@mwm1q534")}), arr({}),
                         arr({str("W02-000001"), str("bad"), str("W02-000002"), str("")})},
                        t0 + 10min);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, "W01-000001");
  EXPECT_EQ((*due)[0].due, steps[1]);
  EXPECT_EQ(overdue_of({arr({}), nil()}, t0).error(), errc::rejected);
  EXPECT_EQ(overdue_of({err("NOSCRIPT x")}, t0).error(), errc::rejected);
}

TEST(redis_layout_steps, deadline_members_of_the_older_layouts_read_as_the_steps_they_stood_for) {
  const std::vector<std::pair<std::string, sla::deadline>> legacy{
      {"W07-000123|onsite", steps[0]}, {"W07-000123|contact|warn2", steps[2]}, {"W07-000123|done|renotify", steps[3]}};
  for (const auto& [m, d] : legacy) {
    auto back = parse_deadline_member(m, d.at);
    ASSERT_TRUE(back) << m;
    EXPECT_EQ(back->id, "W07-000123");
    EXPECT_EQ(back->due, d) << m;
  }
  for (const char* bad :
       {"W07-000123", "W07-000123|", "W07-000123|later", "W07-000123|onsite|warn", "W07-000123|onsite|warnx",
        "W07-000123|onsite|warn1x", "W07-000123|onsite|soon", "W07-000123|onsite|renotify|again"})
    EXPECT_FALSE(parse_deadline_member(bad, t0)) << bad;
}

TEST(redis_layout_steps, a_page_of_older_members_becomes_the_moves_the_script_makes) {
  const auto at = std::to_string(sla::to_ms(t0 + 20min));
  auto page = legacy_page_of(arr({str("9"), arr({str("W07-000123|contact|warn2"), str(at), str("W07-000123|x"), str(at),
                                                 str("W07-000124|ack"), str("1795000600000")})}));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->cursor, "9");
  EXPECT_EQ(page->moves, (std::vector<std::string>{"W07-000123|contact|warn2", "W07-000123", "contact.2", at,
                                                   "W07-000124|ack", "W07-000124", "ack", "1795000600000"}));
  EXPECT_EQ(legacy_page_of(err("LOADING")).error(), errc::unavailable);
}

TEST(redis_layout_steps, only_the_layouts_before_are_taken_over) {
  EXPECT_TRUE(taken_over("2"));
  EXPECT_TRUE(taken_over("3"));
  EXPECT_TRUE(taken_over("4"));
  EXPECT_TRUE(taken_over("5"));
  EXPECT_TRUE(taken_over(moving)) << "a store left half moved is moved on";
  EXPECT_TRUE(taken_over("moving to 4")) << "as is one an engine of layout 4 or 5 left half moved";
  EXPECT_TRUE(taken_over("moving to 5"));
  EXPECT_FALSE(taken_over("1"));
  EXPECT_FALSE(taken_over("6"));
  EXPECT_FALSE(taken_over("7"));
}

}  // namespace
}  // namespace halfhour::redis::layout
