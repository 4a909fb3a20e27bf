// The reporter's link: made for one invite of one job, readable back to it, and nothing else.
#include "dispatcher/rating_link.hpp"

#include <gtest/gtest.h>

namespace halfhour::rating_link {
namespace {

const settings links{"https://halfhour.example.cn/", "0123456789abcdef0123456789abcdef"};

sla::work_order job_with_invites() {
  sla::work_order wo;
  wo.id = "W07-000123";
  wo.invites = {{.reporter_key = ""}, {.reporter_key = "wechat:m1"}};
  return wo;
}

TEST(rating_link, a_link_names_its_job_and_reads_back_to_the_invite_it_was_made_for) {
  const auto wo = job_with_invites();
  EXPECT_EQ(url(links, wo.id, ""), "https://halfhour.example.cn/r/" + token(links, wo.id, ""));
  EXPECT_EQ(work_order_of(token(links, wo.id, "wechat:m1")), "W07-000123");
  EXPECT_EQ(reporter_of(links, wo, token(links, wo.id, "")), "");
  EXPECT_EQ(reporter_of(links, wo, token(links, wo.id, "wechat:m1")), "wechat:m1");
  EXPECT_LE(token(links, wo.id, "").size(), 40u) << "short enough for an SMS";
}

TEST(rating_link, a_forged_or_altered_link_reads_back_to_nothing) {
  const auto wo = job_with_invites();
  auto t = token(links, wo.id, "");
  t.back() = t.back() == '0' ? '1' : '0';
  EXPECT_FALSE(reporter_of(links, wo, t)) << "one character changed";
  EXPECT_FALSE(reporter_of(links, wo, token(links, "W07-000124", ""))) << "another job's link on this job";
  EXPECT_FALSE(reporter_of({links.public_url, "another secret of at least 32 characters"}, wo, token(links, wo.id, "")))
      << "made under another secret";
  EXPECT_FALSE(reporter_of(links, wo, token(links, wo.id, "wechat:split-off"))) << "no invite of the job";
  EXPECT_FALSE(reporter_of({links.public_url, ""}, wo, token(links, wo.id, ""))) << "no secret: no links";
}

TEST(rating_link, text_that_is_no_token_names_no_job) {
  EXPECT_FALSE(work_order_of(""));
  EXPECT_FALSE(work_order_of("W07-000123"));
  EXPECT_FALSE(work_order_of("W07-000123.abc"));
  EXPECT_FALSE(work_order_of("../../etc/passwd.0123456789abcdef01234567"));
  EXPECT_FALSE(work_order_of("hh:{s07}:wo:x.0123456789abcdef01234567")) << "nothing but an id is looked up";
}

}  // namespace
}  // namespace halfhour::rating_link
