// A person's correction of an uncertain call, on the shipped rules: the job the classifier could
// not be sure of stops asking to be confirmed once someone with the right decided.
#include <gtest/gtest.h>

#include "adapters/config.hpp"
#include "sla/classifier.hpp"
#include "sla/machine.hpp"

namespace halfhour::sla {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view station = "街道物业应急维修服务站";
const instant t0 = from_ms(1'795'000'000'000);

const classifier& shipped() {
  static const classifier c(config::default_rules());
  return c;
}

member duty() { return {"13600000000", "值班员", std::string(station), role::station}; }

// "水管漏水了" does not say how bad the leak is: urgent, uncertain, half sure.
work_order uncertain_job() {
  auto cls = shipped().classify("水管漏水了");
  EXPECT_TRUE(cls.uncertain);
  EXPECT_EQ(cls.level, urgency::urgent);
  intake in{channel::hotline_12345, "12345-009", {"王女士", "13800000009"}, "水管漏水了", "丹桂苑", std::nullopt};
  resolution firm;
  firm.to = route::firm;
  firm.community_name = "丹桂苑";
  firm.firm = "临客嘉物业";
  return accept(in, "W01-000009", cls, firm, station, limits{}, t0).next;
}

reclassification to(std::string_view code, urgency level, std::string request_id) {
  reclassification r;
  take_category(r.cls, *shipped().find(code));
  r.cls.level = level;
  r.reason = "现场看过";
  r.request_id = std::move(request_id);
  return r;
}

TEST(reclassify, a_persons_call_is_certain_and_carries_the_class_of_its_new_category) {
  auto wo = uncertain_job();
  ASSERT_TRUE(wo.cls.uncertain);
  auto d = reclassify(wo, to("seepage", urgency::general, "rc-9"), duty(), limits{}, t0 + 3min);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d.next.cls.uncertain);
  EXPECT_EQ(d.next.cls.confidence, 1.0);
  EXPECT_EQ(d.next.cls.category, "seepage");
  EXPECT_EQ(d.next.cls.group, "G1");
  EXPECT_EQ(d.next.cls.group, shipped().classify("墙面渗水").group) << "the class the classifier gives it";
}

TEST(reclassify, confirming_only_the_urgency_keeps_the_category_and_its_class_and_ends_the_doubt) {
  auto wo = uncertain_job();
  reclassification r;
  r.cls.level = urgency::urgent;  // no category: "yes, urgent", as the classifier had it
  r.reason = "确认是急修";
  auto d = reclassify(wo, r, duty(), limits{}, t0 + 3min);
  EXPECT_FALSE(d.next.cls.uncertain);
  EXPECT_EQ(d.next.cls.confidence, 1.0);
  EXPECT_EQ(d.next.cls.category, wo.cls.category);
  EXPECT_EQ(d.next.cls.group, wo.cls.group);
  EXPECT_EQ(d.next.cls.group, "U1");
  EXPECT_EQ(d.next.clocks, wo.clocks) << "the same urgency touches no clock";
}

TEST(reclassify, a_crews_request_leaves_the_job_uncertain_until_someone_decides) {
  auto wo = uncertain_job();
  member crew{"13900000001", "李师傅", "临客嘉物业", role::crew};
  auto d = request_reclassify(wo, to("seepage", urgency::general, "rq-9"), crew, station, t0 + 3min);
  EXPECT_TRUE(d.next.cls.uncertain);
  EXPECT_EQ(d.next.cls, wo.cls);
}

}  // namespace
}  // namespace halfhour::sla
