// The monthly message to the centre against a real redis-server, on clocks the test moves: it
// goes at 08:00 on the 1st, once, and not again after a restart or from a second engine.
#include "dispatcher/reports.hpp"

#include <gtest/gtest.h>

#include <map>

#include "adapters/config.hpp"
#include "adapters/outbox_store.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/store.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/redis_server.hpp"
#include "tests/integration/run.hpp"

namespace halfhour {
namespace {

using namespace std::chrono_literals;
using testing::run;
namespace asio = boost::asio;

const sla::month october{2026, 10};

class reports_test : public ::testing::Test {
 protected:
  reports_test() {
    conn_ = redis::connection::create(ioc_.get_executor(), {"", 0, server_.socket()}, {});
    store_ = make_redis_store(conn_, "hh");
    outbox_ = make_redis_outbox_store(conn_, "hh");
    eng_ = std::make_unique<engine>(ioc_.get_executor(), *store_, engine_clock_, classifier_, resolver_, sla::limits{});
    EXPECT_TRUE(testing::run_until(ioc_, [&] { return conn_->connected(); }));
  }
  ~reports_test() override { conn_->stop(); }

  void ticket(std::string no, std::string text) {
    channels::request r;
    r.intake.external_no = no;
    r.intake.content = std::move(text);
    r.intake.address = "丹桂苑" + no + "号楼";
    r.idempotency_key = "12345:" + no;
    auto c = run(ioc_, eng_->ingest(std::move(r)));
    ASSERT_TRUE(c) << c.error().message();
  }

  std::vector<std::map<std::string, std::string>> reports_in_outbox() {
    std::vector<std::map<std::string, std::string>> out;
    auto r = run(ioc_, conn_->command({"XRANGE", "hh:{s00}:outbox", "-", "+"}));
    EXPECT_TRUE(r);
    for (const auto& entry : r->elements) {
      std::map<std::string, std::string> f;
      const auto& kv = entry.elements[1].elements;
      for (std::size_t i = 0; i + 1 < kv.size(); i += 2) f[kv[i].str] = kv[i + 1].str;
      if (f["kind"] == "report") out.push_back(f);
    }
    return out;
  }

  testing::redis_server server_;
  asio::io_context ioc_;
  testing::manual_clock engine_clock_{ioc_.get_executor(), october.start() + 24h * 19 + 10h};
  sla::classifier classifier_{config::default_rules()};
  sla::resolver resolver_{config::default_directory()};
  std::shared_ptr<redis::connection> conn_;
  std::unique_ptr<work_order_store> store_;
  std::unique_ptr<outbox_store> outbox_;
  std::unique_ptr<engine> eng_;
  report_settings settings_{"东明路街道", "https://halfhour.example.cn", "a-secret-that-is-long-enough-to-sign"};
};

TEST_F(reports_test, the_report_goes_to_the_centre_at_eight_on_the_first_once) {
  ticket("1", "厨房水管爆了");
  ticket("2", "门禁坏了");
  engine_clock_.advance(24h * 12);  // 1 November: October's clocks have all come due

  testing::manual_clock clk(ioc_.get_executor(), october.end() + 7h + 59min);
  monthly_sender sender(*eng_, *outbox_, clk, settings_, "建管中心");
  sender.start();
  ioc_.poll();  // whatever start() set going (nothing, at 07:59) runs now
  ioc_.restart();
  EXPECT_TRUE(reports_in_outbox().empty()) << "07:59: not yet";

  clk.advance(1min);
  EXPECT_TRUE(testing::run_until(ioc_, [&] { return !reports_in_outbox().empty(); }));
  auto sent = reports_in_outbox();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["to"], "centre");
  EXPECT_EQ(sent[0]["org"], "建管中心");
  EXPECT_EQ(sent[0]["key"], "report:2026-10");
  EXPECT_NE(sent[0]["text"].find("2026年10月"), std::string::npos);
  EXPECT_NE(sent[0]["text"].find("受理工单2单"), std::string::npos) << sent[0]["text"];
  EXPECT_NE(sent[0]["text"].find("https://halfhour.example.cn/v1/reports/breaches?month=2026-10&token=" +
                                 report_token(settings_, october)),
            std::string::npos);

  // A restart later that day, and a second engine: the month is not sent again.
  testing::manual_clock later(ioc_.get_executor(), october.end() + 9h);
  monthly_sender restarted(*eng_, *outbox_, later, settings_, "建管中心");
  auto again = run(ioc_, restarted.send(october));
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(reports_in_outbox().size(), 1u);
}

TEST_F(reports_test, a_month_with_no_work_orders_sends_nothing) {
  testing::manual_clock clk(ioc_.get_executor(), october.end() + 8h);
  monthly_sender sender(*eng_, *outbox_, clk, settings_, "建管中心");
  auto sent = run(ioc_, sender.send(october));
  ASSERT_TRUE(sent);
  EXPECT_FALSE(*sent);
  EXPECT_TRUE(reports_in_outbox().empty());
}

TEST(report_schedule, is_eight_on_the_first_shanghai_time) {
  EXPECT_EQ(next_report_time(october.start()), october.start() + 8h);
  EXPECT_EQ(next_report_time(october.start() + 8h), october.end() + 8h);
  EXPECT_EQ(sla::shanghai_iso(next_report_time(october.start() + 24h * 20)), "2026-11-01T08:00:00+08:00");
}

}  // namespace
}  // namespace halfhour
