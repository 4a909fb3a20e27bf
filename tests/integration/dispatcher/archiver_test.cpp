// Retention against a real redis-server and real files: a finished month leaves Redis for its
// archive and reads back the same, and a pass killed with SIGKILL at any step is finished by the
// next without losing or doubling a job.
#include "dispatcher/archiver.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>

#include "adapters/config.hpp"
#include "adapters/redis/connection.hpp"
#include "adapters/redis/layout.hpp"
#include "dispatcher/engine.hpp"
#include "dispatcher/reports.hpp"
#include "tests/integration/manual_clock.hpp"
#include "tests/integration/redis_server.hpp"
#include "tests/integration/run.hpp"

namespace halfhour {
namespace {

using namespace std::chrono_literals;
using testing::run;
namespace asio = boost::asio;
namespace fs = std::filesystem;

const sla::month september{2025, 9};
// Thirteen whole months after September 2025 have begun: it is past the window.
const sla::instant fourteen_months_on = sla::month{2026, 11}.start() + 24h * 4;

class archiver_test : public ::testing::Test {
 protected:
  archiver_test() {
    char tmpl[] = "/tmp/halfhour-archive-XXXXXX";
    dir_ = mkdtemp(tmpl);
    conn_ = redis::connection::create(ioc_.get_executor(), {"", 0, server_.socket()}, {});
    store_ = make_redis_store(conn_, "hh");
    retention_ = make_redis_retention_store(conn_, "hh");
    archive_ = make_file_archive(dir_);
    eng_ = std::make_unique<engine>(ioc_.get_executor(), *store_, clock_, classifier_, resolver_, sla::limits{});
    eng_->use_archive(archive_.get());
    EXPECT_TRUE(testing::run_until(ioc_, [&] { return conn_->connected(); }));
  }
  ~archiver_test() override {
    conn_->stop();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  std::string ticket(const std::string& no, std::string text) {
    channels::request r;
    r.intake.external_no = no;
    r.intake.content = std::move(text);
    r.intake.address = "丹桂苑" + no + "号楼";
    r.idempotency_key = "12345:" + no;
    auto c = run(ioc_, eng_->ingest(std::move(r)));
    EXPECT_TRUE(c) << c.error().message();
    return c ? c->order.wo.id : std::string();
  }

  void finish(const std::string& id) {
    auto o = run(ioc_, eng_->get(id));
    ASSERT_TRUE(o);
    const sla::member crew{"13800000002", "张师傅", o->wo.holder, sla::role::crew};
    sla::action done{sla::action_kind::complete, "张师傅", crew.id, o->wo.holder, sla::role::crew, "", "done-" + id};
    auto out = run(ioc_, eng_->act(crew, id, std::move(done)));
    ASSERT_TRUE(out) << out.error().message();
    ASSERT_EQ(out->what, act_outcome::kind::applied) << out->reason;
  }

  // September: two jobs done, one still open.
  std::vector<std::string> a_month_of_jobs() {
    std::vector<std::string> ids{ticket("901", "单元门禁坏了，刷卡打不开"), ticket("902", "楼道灯不亮了"),
                                 ticket("903", "小区路灯坏了一盏")};
    clock_.advance(2h);
    // The steps that came due in those two hours are written first: the crews' actions below
    // then never race them, and the month read later holds all of them.
    EXPECT_TRUE(testing::run_until(ioc_, [&] { return eng_->due_not_fired() == 0; }));
    finish(ids[0]);
    finish(ids[1]);
    EXPECT_TRUE(testing::run_until(ioc_, [&] { return eng_->due_not_fired() == 0; }));
    testing::run_until(
        ioc_, [] { return false; }, std::chrono::milliseconds(100));
    return ids;
  }

  std::vector<std::string> parts() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  bool in_redis(const std::string& id) {
    auto r = run(ioc_, conn_->command({"HEXISTS", redis::layout::keys("hh").order(id), id}));
    return r && r->integer == 1;
  }

  // The month's report as the centre reads it, every view.
  std::string report_text() {
    auto records = run(ioc_, eng_->records_between(september.start(), september.end()));
    EXPECT_TRUE(records);
    auto r = make_monthly(*records, september, resolver_.dir().station, sla::scorecard_rules{}, september.end());
    std::string out;
    for (const char* view : {"summary", "firms", "communities", "breaches"})
      out += render_report(r, "csv", view, "东明路街道")->body;
    return out;
  }

  std::map<std::string, std::pair<std::int64_t, std::size_t>> stamps() {
    std::map<std::string, std::pair<std::int64_t, std::size_t>> out;
    auto records = run(ioc_, eng_->records_between(september.start(), september.end()));
    EXPECT_TRUE(records);
    for (const auto& r : *records) {
      EXPECT_FALSE(out.contains(r.wo.id)) << r.wo.id << " read twice";
      out[r.wo.id] = {r.wo.version, r.history.size()};
    }
    return out;
  }

  // A pass in a process of its own, with its own connection and archive, killed with SIGKILL
  // once it reaches `step`.
  void kill_a_pass_at(const std::string& step) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      asio::io_context ioc;
      auto conn = redis::connection::create(ioc.get_executor(), {"", 0, server_.socket()}, {});
      auto store = make_redis_store(conn, "hh");
      auto retention = make_redis_retention_store(conn, "hh");
      auto stop_at = [step](std::string_view s) {
        if (s == step) ::raise(SIGKILL);
      };
      auto archive = make_file_archive(dir_, stop_at);
      archiver a(*store, *retention, *archive, sla::default_retention_months, stop_at);
      testing::run_until(ioc, [&] { return conn->connected(); });
      (void)run(ioc, a.run(fourteen_months_on));
      _exit(0);  // the step was never reached: the parent fails the test
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the pass did not reach " << step;
  }

  testing::redis_server server_;
  std::string dir_;
  asio::io_context ioc_;
  testing::manual_clock clock_{ioc_.get_executor(), september.start() + 24h * 9 + 10h};
  sla::classifier classifier_{config::default_rules()};
  sla::resolver resolver_{config::default_directory()};
  std::shared_ptr<redis::connection> conn_;
  std::unique_ptr<work_order_store> store_;
  std::unique_ptr<retention_store> retention_;
  std::unique_ptr<order_archive> archive_;
  std::unique_ptr<engine> eng_;
};

TEST_F(archiver_test, a_finished_month_leaves_redis_for_its_archive_and_reads_back_the_same) {
  const auto ids = a_month_of_jobs();
  const auto report_before = report_text();
  const auto stamps_before = stamps();
  ASSERT_EQ(stamps_before.size(), 3u);

  archiver a(*store_, *retention_, *archive_, sla::default_retention_months);
  // Thirteen whole months later September is still kept: nothing moves.
  auto early = run(ioc_, a.run(sla::month{2026, 10}.start() + 24h));
  ASSERT_TRUE(early);
  EXPECT_EQ(early->written, 0u);
  EXPECT_TRUE(parts().empty());

  auto pass = run(ioc_, a.run(fourteen_months_on));
  ASSERT_TRUE(pass) << pass.error().message();
  EXPECT_EQ(pass->written, 2u);
  EXPECT_EQ(pass->retired, 2u);
  EXPECT_EQ(pass->kept, 1u);
  EXPECT_EQ(parts(), std::vector<std::string>{"2025-09.0001.hharc"});
  EXPECT_FALSE(in_redis(ids[0]));
  EXPECT_FALSE(in_redis(ids[1]));
  EXPECT_TRUE(in_redis(ids[2])) << "a job still open stays, whatever its age";
  auto key =
      run(ioc_, conn_->command({"HGET", redis::layout::keys("hh").idempotency_bucket("12345:901"), "12345:901"}));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->type, redis::reply::kind::nil) << "its ticket's key left with it";
  // Done two hours in, after its breaches and reminders: no step of it is left armed to fire
  // for a job that is no longer there.
  for (const auto& id : {ids[0], ids[1]}) {
    const auto shard = "hh:{s" + id.substr(1, 2) + "}";
    auto armed = run(ioc_, conn_->command({"ZSCORE", shard + ":dl", id}));
    ASSERT_TRUE(armed);
    EXPECT_EQ(armed->type, redis::reply::kind::nil) << armed->str;
    const auto bucket = redis::layout::keys("hh").steps_bucket(
        redis::layout::shard_of_id(id), redis::layout::number_of_id(id) / redis::layout::bucket_size);
    auto steps = run(ioc_, conn_->command({"HEXISTS", bucket, id}));
    ASSERT_TRUE(steps);
    EXPECT_EQ(steps->integer, 0);
  }

  EXPECT_EQ(stamps(), stamps_before);
  EXPECT_EQ(report_text(), report_before);
  auto looked_up = run(ioc_, eng_->get(ids[0]));
  ASSERT_TRUE(looked_up);
  EXPECT_EQ(looked_up->wo.state, sla::wo_state::done);
  EXPECT_EQ(looked_up->history.size(), stamps_before.at(ids[0]).second);

  // A second pass finds nothing more to do.
  auto again = run(ioc_, a.run(fourteen_months_on));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->written, 0u);
  EXPECT_EQ(again->retired, 0u);
  EXPECT_EQ(parts().size(), 1u);
}

TEST_F(archiver_test, a_walk_in_jobs_key_leaves_with_it_though_the_key_names_the_committee_that_entered_it) {
  channels::request r;
  r.intake.source = sla::channel::walk_in;
  r.intake.external_no = "F7";
  r.intake.content = "楼道灯不亮了";
  r.intake.address = "丹桂苑7号楼";
  r.idempotency_key = "walkin:凌四:F7";
  auto c = run(ioc_, eng_->ingest(std::move(r)));
  ASSERT_TRUE(c) << c.error().message();
  finish(c->order.wo.id);
  const auto idem = redis::layout::keys("hh").idempotency_bucket("walkin:凌四:F7");
  auto before = run(ioc_, conn_->command({"HGET", idem, "walkin:凌四:F7"}));
  ASSERT_TRUE(before);
  ASSERT_EQ(before->str, c->order.wo.id);

  archiver a(*store_, *retention_, *archive_, sla::default_retention_months);
  auto pass = run(ioc_, a.run(fourteen_months_on));
  ASSERT_TRUE(pass) << pass.error().message();
  EXPECT_EQ(pass->retired, 1u);
  auto after = run(ioc_, conn_->command({"HGET", idem, "walkin:凌四:F7"}));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->type, redis::reply::kind::nil);
}

TEST_F(archiver_test, a_pass_lets_the_logs_that_are_no_jobs_go_with_the_window_and_keeps_the_rest) {
  const std::string screened = "hh:{s03}:screened", dead = "hh:{s03}:outbox:dead";
  const redis::layout::keys k("hh");  // each key in its bucket of idempotency keys
  // A message is logged in its key's shard: keys of shard 3, as that shard's log holds.
  auto of_shard_3 = [](std::string base) {
    for (int i = 0;; ++i)
      if (auto key = base + "-" + std::to_string(i); redis::layout::shard_of(key) == 3) return key;
  };
  const auto became = of_shard_3("wechat:became-a-job"), today = of_shard_3("wechat:today");
  std::vector<std::string> old_keys;
  for (int i = 1; i <= 1100; ++i) old_keys.push_back(of_shard_3("wechat:old-" + std::to_string(i)));
  // Over a thousand old screened messages (more than one batch), one whose key became a job since,
  // one of today; an old undelivered notice and one of today.
  std::vector<std::vector<std::string>> seed;
  for (int i = 1; i <= 1100; ++i) {
    const auto& key = old_keys[static_cast<std::size_t>(i - 1)];
    seed.push_back({"XADD", screened, std::to_string(1'700'000'000'000 + i) + "-0", "key", key, "text", "谢谢"});
    seed.push_back({"HSET", k.idempotency_bucket(key), key, "screened|致谢"});
  }
  seed.push_back({"XADD", screened, "1700000002000-0", "key", became, "text", "灯坏了"});
  seed.push_back({"HSET", k.idempotency_bucket(became), became, "W03-000042"});
  seed.push_back({"XADD", screened, "*", "key", today, "text", "好的"});
  seed.push_back({"HSET", k.idempotency_bucket(today), today, "screened|致谢"});
  seed.push_back({"XADD", dead, "1700000000000-0", "key", "n-old", "why", "号码无效"});
  seed.push_back({"XADD", dead, "*", "key", "n-today", "why", "号码无效"});
  ASSERT_TRUE(run(ioc_, conn_->pipeline(std::move(seed))));

  archiver a(*store_, *retention_, *archive_, sla::default_retention_months);
  auto pass = run(ioc_, a.run(fourteen_months_on));
  ASSERT_TRUE(pass) << pass.error().message();
  EXPECT_EQ(pass->trimmed, 1102u) << "1,101 screened messages and one notice";

  auto count = [&](std::vector<std::string> c) {
    auto r = run(ioc_, conn_->command(std::move(c)));
    return r ? r->integer : -1;
  };
  EXPECT_EQ(count({"XLEN", screened}), 1);
  EXPECT_EQ(count({"XLEN", dead}), 1);
  long long left = 0;
  for (const auto& key : old_keys) left += count({"HEXISTS", k.idempotency_bucket(key), key});
  EXPECT_EQ(left, 0) << "the old screened messages' keys went with them";
  EXPECT_EQ(count({"HEXISTS", k.idempotency_bucket(became), became}), 1);
  EXPECT_EQ(count({"HEXISTS", k.idempotency_bucket(today), today}), 1);
}

TEST_F(archiver_test, a_damaged_part_is_an_error_not_a_month_with_fewer_jobs) {
  a_month_of_jobs();
  archiver a(*store_, *retention_, *archive_, sla::default_retention_months);
  ASSERT_TRUE(run(ioc_, a.run(fourteen_months_on)));
  const auto part = fs::path(dir_) / "2025-09.0001.hharc";
  {
    std::fstream f(part, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x7f');
  }
  EXPECT_FALSE(run(ioc_, eng_->records_between(september.start(), september.end())));
}

TEST_F(archiver_test, a_job_that_changed_after_its_copy_was_archived_is_archived_again_and_read_as_it_stands) {
  const auto ids = a_month_of_jobs();
  // A pass dies once its part is in place, before it took anything out of Redis.
  ASSERT_NO_FATAL_FAILURE(kill_a_pass_at("part_renamed"));
  ASSERT_TRUE(run(ioc_, conn_->command({"DEL", "hh:{lease}:archive"})));  // as if its ten minutes were up

  // Meanwhile the hotline's call-back reaches one of the jobs the part holds: it moves on.
  sla::callback cb{sla::rating::satisfied, clock_.now(), "12345", "", "cb-1"};
  auto rated = run(ioc_, eng_->rate(std::nullopt, ids[0], cb, true));
  ASSERT_TRUE(rated && rated->what == act_outcome::kind::applied);
  const auto stamps_now = stamps();

  archiver a(*store_, *retention_, *archive_, sla::default_retention_months);
  auto pass = run(ioc_, a.run(fourteen_months_on));
  ASSERT_TRUE(pass) << pass.error().message();
  EXPECT_EQ(pass->written, 1u) << "only the job that changed is written again";
  EXPECT_EQ(pass->retired, 2u);
  EXPECT_EQ(parts(), (std::vector<std::string>{"2025-09.0001.hharc", "2025-09.0002.hharc"}));
  EXPECT_FALSE(in_redis(ids[0]));
  EXPECT_EQ(stamps(), stamps_now) << "the later copy counts, once";
  auto looked_up = run(ioc_, eng_->get(ids[0]));
  ASSERT_TRUE(looked_up);
  EXPECT_EQ(looked_up->wo.version, stamps_now.at(ids[0]).first);
  EXPECT_EQ(looked_up->wo.settled, sla::rating::satisfied);
}

// Each step a pass may die after, in order.
class archiver_crash : public archiver_test, public ::testing::WithParamInterface<const char*> {};

TEST_P(archiver_crash, a_pass_killed_at_the_step_is_finished_by_the_next_without_loss_or_double) {
  const auto ids = a_month_of_jobs();
  const auto report_before = report_text();
  const auto stamps_before = stamps();
  ASSERT_NO_FATAL_FAILURE(kill_a_pass_at(GetParam()));

  // Whatever the crash left, the month still reads the same.
  EXPECT_EQ(stamps(), stamps_before);
  EXPECT_EQ(report_text(), report_before);

  // The dead pass still holds the lease: no other starts until its ten minutes are up.
  archiver a(*store_, *retention_, *archive_, sla::default_retention_months);
  auto blocked = run(ioc_, a.run(fourteen_months_on));
  ASSERT_TRUE(blocked);
  EXPECT_TRUE(blocked->leased_elsewhere);
  ASSERT_TRUE(run(ioc_, conn_->command({"PEXPIRE", "hh:{lease}:archive", "1"})));
  ASSERT_TRUE(testing::run_until(ioc_, [&] {
    auto r = run(ioc_, conn_->command({"EXISTS", "hh:{lease}:archive"}));
    return r && r->integer == 0;
  }));

  auto pass = run(ioc_, a.run(fourteen_months_on));
  ASSERT_TRUE(pass) << pass.error().message();
  EXPECT_FALSE(pass->leased_elsewhere);
  EXPECT_EQ(parts(), std::vector<std::string>{"2025-09.0001.hharc"}) << "one part, no temporary file";
  EXPECT_FALSE(in_redis(ids[0]));
  EXPECT_FALSE(in_redis(ids[1]));
  EXPECT_TRUE(in_redis(ids[2]));
  EXPECT_EQ(stamps(), stamps_before);
  EXPECT_EQ(report_text(), report_before);
}

INSTANTIATE_TEST_SUITE_P(every_step, archiver_crash,
                         ::testing::Values("part_synced", "part_renamed", "dir_synced", "retired_one", "retired_all"));

}  // namespace
}  // namespace halfhour
