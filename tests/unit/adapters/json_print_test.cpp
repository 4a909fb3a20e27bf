// The API's JSON printer against protobuf's own: for messages holding every kind of field the
// API uses, both outputs parse to the same JSON value, and protobuf parses ours back to the same
// message.
#include "adapters/json_print.hpp"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "halfhour/v1/halfhour.pb.h"

namespace halfhour::codec {
namespace {

namespace pb = halfhour::v1;

std::string protobufs(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  opts.always_print_primitive_fields = true;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &out, opts).ok());
  return out;
}

template <class M>
void expect_same_as_protobuf(const M& m) {
  const std::string ours = print_json(m);
  EXPECT_EQ(boost::json::parse(ours), boost::json::parse(protobufs(m))) << ours << "\n" << protobufs(m);
  M back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ours, &back).ok()) << ours;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(back, m)) << ours;
}

void at(google::protobuf::Timestamp* t, std::int64_t s, std::int32_t nanos) {
  t->set_seconds(s);
  t->set_nanos(nanos);
}

TEST(print_json, a_work_order_with_every_kind_of_field_reads_as_protobufs_json) {
  pb::WorkOrder m;
  m.set_id("W07-000123");
  m.set_version(-9'007'199'254'740'993);  // beyond a JavaScript number: quoted
  m.set_channel(pb::Channel::WECHAT);
  m.set_external_no("SH\"26\\11\n28\t\x01\x1f");
  m.mutable_reporter()->set_name("王女士");
  m.set_content("厨房水管爆了\u2028漫到客厅\u2029</script><b>&amp;");
  at(m.mutable_accepted_at(), 1'795'000'000, 0);
  at(m.mutable_reported_at(), 1'795'000'001, 641'000'000);
  auto* c = m.mutable_classification();
  c->set_urgency(pb::Urgency::URGENT);
  c->set_category("burst_pipe");
  auto* r = c->add_reasons();
  r->set_rule("burst_pipe");
  r->add_words("漫到");
  r->add_words("爆");
  m.mutable_resolution()->add_candidates("凌兆新村");
  m.set_state(pb::State::ON_SITE);
  auto* k = m.add_clocks();
  k->set_kind(pb::ClockKind::ON_SITE);
  at(k->mutable_started_at(), 1'795'000'000, 123'000);
  at(k->mutable_deadline(), 1'795'001'800, 7);
  k->set_limit_seconds(1800);
  k->set_warnings(1);
  auto* e = m.add_history();
  e->set_kind(pb::EventKind::ARRIVED);
  e->mutable_position()->set_latitude(31.2035);
  e->mutable_position()->set_longitude(121.5);
  e->mutable_position()->set_accuracy_m(0.1 + 0.2);
  e->set_late_ms(0);
  m.add_photos("https://example.cn/1.jpg");
  auto* n = m.add_notices();
  n->set_key("W07-000123:breach");
  at(n->mutable_settled_at(), 0, 0);
  m.add_linked()->set_key("wechat:1");
  expect_same_as_protobuf(m);
}

TEST(print_json, empty_messages_print_every_field_without_presence) {
  expect_same_as_protobuf(pb::WorkOrder{});
  expect_same_as_protobuf(pb::JobList{});
  pb::Refusal refusal;
  refusal.mutable_error()->set_code("conflict");
  expect_same_as_protobuf(refusal);
}

TEST(print_json, maps_and_optional_fields_read_as_protobufs_json) {
  pb::Delivery d;
  (*d.mutable_webhooks())["隆江物业"] = "https://qyapi.example/x?key=\"1\"";
  (*d.mutable_webhooks())["default"] = "https://qyapi.example/y";
  d.set_max_attempts(8);
  d.set_backoff_max_ms(60'000);
  expect_same_as_protobuf(d);
  pb::EngineConfig config;
  expect_same_as_protobuf(config);
}

}  // namespace
}  // namespace halfhour::codec
