// Each door's payload mapped onto the one intake, with realistic Chinese samples, and refused
// with a clear 4xx naming the field when it is malformed or hostile.
#include <gtest/gtest.h>

#include "adapters/channels/community.hpp"
#include "adapters/channels/hotline.hpp"
#include "adapters/channels/open311.hpp"
#include "adapters/channels/request.hpp"

namespace halfhour::channels {
namespace {

constexpr std::string_view json = "application/json";

TEST(community_cloud, maps_a_post_onto_the_intake) {
  auto p = parse_community_cloud(
      R"({"post_id":"SQY-20261128-0042","community":"丹桂苑","author":"张阿姨","phone":"138 1234 0000",
          "text":"5号楼楼道灯坏了一个星期","address":"5号楼","photos":["https://img.sqy.example.cn/a.jpg"],
          "posted_at":"2026-11-28T09:30:00+08:00","platform_extra":{"likes":3}})",
      json);
  ASSERT_TRUE(p.ok) << p.error.message;
  const auto& in = p.req.intake;
  EXPECT_EQ(p.req.idempotency_key, "cloud:SQY-20261128-0042");
  EXPECT_EQ(in.source, sla::channel::community_cloud);
  EXPECT_EQ(in.address, "丹桂苑5号楼");
  EXPECT_EQ(in.who.phone, "13812340000");
  EXPECT_EQ(in.photos.size(), 1u);
  ASSERT_TRUE(in.reported_at);
  EXPECT_EQ(sla::to_ms(*in.reported_at), 1'795'829'400'000);
  EXPECT_FALSE(p.req.screen) << "a post on the platform is a request by its nature";
}

struct bad_case {
  const char* body;
  int status;
  const char* field;
};

class community_cloud_refuses : public ::testing::TestWithParam<bad_case> {};

TEST_P(community_cloud_refuses, with_a_clear_error) {
  auto p = parse_community_cloud(GetParam().body, json);
  ASSERT_FALSE(p.ok) << GetParam().body;
  EXPECT_EQ(p.error.status, GetParam().status);
  EXPECT_EQ(p.error.field, GetParam().field) << p.error.message;
  EXPECT_FALSE(p.error.message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    payloads, community_cloud_refuses,
    ::testing::Values(
        bad_case{R"({"community":"丹桂苑","text":"漏水"})", 400, "post_id"},
        bad_case{R"({"post_id":"1","text":"漏水"})", 400, "community"},
        bad_case{R"({"post_id":"1","community":"丹桂苑","text":" \n "})", 400, "text"},
        bad_case{R"({"post_id":7,"community":"丹桂苑","text":"漏水"})", 400, "post_id"},
        bad_case{R"({"post_id":"1/../2","community":"丹桂苑","text":"漏水"})", 400, "post_id"},
        bad_case{R"({"post_id":"1","community":"丹桂苑","text":"漏水","photos":["ftp://x.cn/a"]})", 400, "photos"},
        bad_case{R"({"post_id":"1","community":"丹桂苑","text":"漏水","photos":["https://"]})", 400, "photos"},
        bad_case{R"({"post_id":"1","community":"丹桂苑","text":"漏水","posted_at":"昨天"})", 400, "posted_at"},
        bad_case{R"({"post_id":"1","community":"丹桂苑","text":"漏水","phone":"EVAL"})", 400, "phone"},
        bad_case{R"({"post_id":"1","community":"丹桂苑","text":"a\u0007b"})", 400, "text"},
        bad_case{R"({"post_id":"1","community":"丹桂苑","text":{"a":1}})", 400, "text"},
        bad_case{R"([1,2,3])", 400, ""}, bad_case{R"({"post_id":)", 400, ""}));

TEST(community_cloud, refuses_invalid_utf8_and_other_media_types) {
  EXPECT_EQ(parse_community_cloud("{\"post_id\":\"1\",\"community\":\"\xff\",\"text\":\"x\"}", json).error.code,
            "invalid_utf8");
  EXPECT_EQ(parse_community_cloud("post_id=1", "application/x-www-form-urlencoded").error.status, 415);
}

TEST(wechat, the_group_name_is_the_address_unless_the_map_names_the_community) {
  const std::map<std::string, std::string> groups{{"东明一家亲", "翠竹苑"}};
  auto p = parse_wechat(R"({"message_id":"wxid_abc:1700000000","group_name":"红枫苑业主交流群","sender":"7号楼老王",
                            "text":"地下车库进水了"})",
                        json, groups);
  ASSERT_TRUE(p.ok) << p.error.message;
  EXPECT_EQ(p.req.intake.address, "红枫苑业主交流群");
  EXPECT_EQ(p.req.intake.who.name, "7号楼老王");
  EXPECT_TRUE(p.req.intake.who.phone.empty());
  EXPECT_TRUE(p.req.screen) << "group chat is screened before dispatch";
  EXPECT_EQ(p.req.idempotency_key, "wechat:wxid_abc:1700000000");
  auto mapped = parse_wechat(R"({"message_id":"m2","group_name":"东明一家亲","text":"门禁坏了"})", json, groups);
  ASSERT_TRUE(mapped.ok);
  EXPECT_EQ(mapped.req.intake.address, "翠竹苑");
  EXPECT_EQ(parse_wechat(R"({"message_id":"m3","text":"门禁坏了"})", json, groups).error.field, "group_name");
  EXPECT_EQ(
      parse_wechat(R"({"message_id":"m3","group_name":"x","text":"门禁坏了","sent_at":5})", json, groups).error.field,
      "sent_at");
}

TEST(walk_in, takes_the_committees_own_communities_only) {
  const std::vector<std::string> mine{"丹桂苑", "凌兆路608弄"};
  auto p = parse_walk_in(R"({"form_no":"Fa1","kind":"suggestion_box","community":"丹桂苑","address":"3号楼501室",
                             "name":"陈老伯","phone":"021-58880000","text":"楼道扶手松了"})",
                         json, "凌四", mine);
  ASSERT_TRUE(p.ok) << p.error.message;
  EXPECT_EQ(p.req.intake.source, sla::channel::suggestion_box);
  EXPECT_EQ(p.req.intake.address, "丹桂苑3号楼501室");
  EXPECT_EQ(p.req.idempotency_key, "walkin:凌四:Fa1");
  auto other =
      parse_walk_in(R"({"form_no":"Fa2","kind":"walk_in","community":"金桂苑","text":"漏水"})", json, "凌四", mine);
  EXPECT_EQ(other.error.status, 403);
  EXPECT_EQ(other.error.field, "community");
  EXPECT_EQ(parse_walk_in(R"({"form_no":"Fa3","kind":"phone","community":"丹桂苑","text":"漏水"})", json, "凌四", mine)
                .error.field,
            "kind");
}

TEST(keys_of, a_job_is_known_by_the_key_it_kept_each_linked_reports_and_its_counted_tickets) {
  sla::work_order wo;
  wo.source = sla::channel::walk_in;
  wo.external_no = "Fa1";
  wo.key = "walkin:凌四:Fa1";
  wo.where.committee = "凌一";  // the community's committee: not the one that entered the form
  sla::linked_request l;
  l.key = "wechat:m-7";
  wo.linked.push_back(l);
  wo.linked_more = 2;
  wo.linked_more_tickets = {"SH9"};
  EXPECT_EQ(keys_of(wo), (std::vector<std::string>{"walkin:凌四:Fa1", "wechat:m-7", "12345:SH9"}));
}

TEST(keys_of, a_job_from_before_it_kept_its_key_is_known_by_the_key_its_door_makes) {
  sla::work_order wo;
  wo.source = sla::channel::hotline_12345;
  wo.external_no = "SH1";
  EXPECT_EQ(keys_of(wo), std::vector<std::string>{"12345:SH1"});
  wo.source = sla::channel::suggestion_box;
  wo.external_no = "Fa2";
  wo.where.committee = "凌四";
  EXPECT_EQ(keys_of(wo), std::vector<std::string>{"walkin:凌四:Fa2"}) << "the likeliest committee";
}

TEST(hotline, keys_on_the_ticket_number_and_strips_phone_spaces) {
  auto p =
      parse_hotline_ticket(R"({"ticket_no":"SH2611280001","content":"电梯困人","caller_phone":"139 0000 1111"})", json);
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.req.idempotency_key, "12345:SH2611280001");
  EXPECT_EQ(p.req.intake.who.phone, "13900001111");
  EXPECT_FALSE(p.req.screen);
}

const std::vector<std::string> codes{"burst_pipe", "door_lock"};

TEST(open311, maps_a_form_post_with_the_spec_names) {
  auto p = open311::parse_post(
      "api_key=k1&service_code=burst_pipe&description=%E6%B0%B4%E7%AE%A1%E7%88%86%E4%BA%86&address_string="
      "%E9%87%91%E8%B0%8A%E6%B2%B3%E7%95%945%E5%8F%B7%E6%A5%BC&lat=31.15&long=121.5&first_name=%E5%BF%97%E6%98%8E"
      "&last_name=%E6%9E%97&phone=139+0000+1111&media_url=https%3A%2F%2Fimg.example.cn%2Fa.jpg",
      "application/x-www-form-urlencoded", "", codes);
  ASSERT_TRUE(p.parsed.ok) << p.parsed.error.message;
  EXPECT_TRUE(p.readable);
  EXPECT_EQ(p.api_key, "k1");
  const auto& in = p.parsed.req.intake;
  EXPECT_EQ(in.source, sla::channel::open311);
  EXPECT_EQ(in.content, "水管爆了");
  EXPECT_EQ(in.address, "金谊河畔5号楼");
  EXPECT_EQ(in.who.name, "志明林");
  EXPECT_EQ(in.who.phone, "13900001111");
  ASSERT_TRUE(in.reported_position);
  EXPECT_DOUBLE_EQ(in.reported_position->latitude, 31.15);
  EXPECT_EQ(p.parsed.req.hints.category, "burst_pipe");
  EXPECT_TRUE(p.parsed.req.idempotency_key.starts_with("open311:"));
  auto keyed = open311::parse_post("api_key=k1&service_code=door_lock&description=x&lat=31&long=121",
                                   "application/x-www-form-urlencoded", "client-77", codes);
  EXPECT_EQ(keyed.parsed.req.idempotency_key, "open311:client-77");
}

TEST(open311, refuses_what_the_spec_and_the_engine_cannot_take) {
  auto code = [](std::string body) {
    auto p = open311::parse_post(body, "application/x-www-form-urlencoded", "", codes);
    return p.parsed.ok ? 0 : p.parsed.error.status;
  };
  EXPECT_EQ(code("service_code=unicorn&description=x&lat=1&long=1"), 404);
  EXPECT_EQ(code("description=x&lat=1&long=1"), 400);
  EXPECT_EQ(code("service_code=door_lock&lat=1&long=1"), 400);
  EXPECT_EQ(code("service_code=door_lock&description=x"), 400);
  EXPECT_EQ(code("service_code=door_lock&description=x&lat=1"), 400);
  EXPECT_EQ(code("service_code=door_lock&description=x&lat=nan&long=1"), 400);
  EXPECT_EQ(code("service_code=door_lock&description=x&lat=1&long=181"), 400);
  EXPECT_EQ(code("service_code=door_lock&description=%FF&lat=1&long=1"), 400);
  EXPECT_EQ(code("service_code=door_lock&description=x&lat=1&long=1&x=%ZZ"), 400);
  auto unreadable = open311::parse_post("x=%ZZ", "application/x-www-form-urlencoded", "", codes);
  EXPECT_FALSE(unreadable.readable);
}

TEST(open311, reads_a_list_query) {
  auto q = open311::parse_query(
      "service_request_id=W01-000001,W02-000003&status=open&start_date=2026-11-01T00%3A00%3A00%2B08%3A00");
  ASSERT_TRUE(q.ok) << q.error.message;
  EXPECT_EQ(q.q.ids, (std::vector<std::string>{"W01-000001", "W02-000003"}));
  EXPECT_EQ(q.q.status, "open");
  ASSERT_TRUE(q.q.start);
  EXPECT_FALSE(open311::parse_query("status=pending").ok);
  EXPECT_FALSE(open311::parse_query("end_date=tomorrow").ok);
  EXPECT_TRUE(open311::parse_query("").ok);
  EXPECT_TRUE(open311::parse_query(std::string_view{}).ok) << "no query at all: a view with no buffer";
}

}  // namespace
}  // namespace halfhour::channels
