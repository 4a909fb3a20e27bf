// What a reporter typed, put into a 企业微信 markdown message, stays plain text.
#include "adapters/markdown.hpp"

#include <gtest/gtest.h>

namespace halfhour::markdown {
namespace {

TEST(markdown, headings_links_tags_and_emphasis_become_text_on_one_line) {
  const auto out = as_text("某路1号\n# 通知\n[点此](http://evil.example) <font color=\"red\">快</font> **粗**");
  EXPECT_EQ(out.find('\n'), std::string::npos);
  EXPECT_EQ(out.find("]("), std::string::npos);
  EXPECT_EQ(out.find("<font"), std::string::npos);
  EXPECT_EQ(out.find("**"), std::string::npos);
  EXPECT_NE(out.find("\\# 通知"), std::string::npos);
  EXPECT_NE(out.find("&lt;font"), std::string::npos);
}

TEST(markdown, ordinary_chinese_text_and_links_the_engine_writes_are_untouched) {
  EXPECT_EQ(as_text("工单W01-000001（急修·水管爆裂水漫，丹桂苑5号）超时"),
            "工单W01-000001（急修·水管爆裂水漫，丹桂苑5号）超时");
  EXPECT_EQ(as_text("https://hh.example/v1/reports/breaches?month=2026-10&token=ab"),
            "https://hh.example/v1/reports/breaches?month=2026-10&token=ab");
}

}  // namespace
}  // namespace halfhour::markdown
