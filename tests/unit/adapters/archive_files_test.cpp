// The monthly archive parts on a real file system: written whole and checked, read back byte for
// byte, a damaged part refused, an interrupted write cleaned up, the later copy found.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>

#include "adapters/archive.hpp"
#include "adapters/codec.hpp"
#include "tests/integration/run.hpp"

namespace halfhour {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using testing::run;

archived_order order(std::string id, std::int64_t version, std::string content) {
  sla::work_order wo;
  wo.id = id;
  wo.content = std::move(content);
  wo.state = sla::wo_state::done;
  return {std::move(id), version, codec::encode_work_order(wo), codec::journal_append({}, {})};
}

class archive_files : public ::testing::Test {
 protected:
  archive_files() {
    char tmpl[] = "/tmp/halfhour-parts-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~archive_files() override { fs::remove_all(dir_); }

  asio::io_context ioc_;
  std::string dir_;
  const sla::month m_{2025, 9};
};

TEST_F(archive_files, a_part_reads_back_byte_for_byte_and_decodes) {
  auto a = make_file_archive(dir_);
  const std::vector<archived_order> orders{order("W01-000001", 4, "楼道灯不亮"), order("W02-000007", 9, "门禁坏了")};
  ASSERT_TRUE(run(ioc_, a->write_part(m_, orders)));
  auto back = run(ioc_, a->read_month(m_));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].order, orders[1].order);
  EXPECT_EQ((*back)[1].stamp(), orders[1].stamp());
  auto decoded = decode_archived((*back)[0]);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->wo.content, "楼道灯不亮");
  EXPECT_EQ(decoded->wo.version, 4);
  auto months = run(ioc_, a->months());
  ASSERT_TRUE(months);
  EXPECT_EQ(*months, std::vector<sla::month>{m_});
  EXPECT_TRUE(run(ioc_, a->read_month({2025, 8}))->empty());
}

TEST_F(archive_files, a_part_with_one_byte_changed_is_refused) {
  auto a = make_file_archive(dir_);
  ASSERT_TRUE(run(ioc_, a->write_part(m_, {order("W01-000001", 4, "楼道灯不亮")})));
  {
    std::fstream f(fs::path(dir_) / "2025-09.0001.hharc", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(30);
    f.put('\x01');
  }
  EXPECT_FALSE(run(ioc_, a->read_month(m_)));
  EXPECT_FALSE(run(ioc_, a->find("W01-000001")));
}

TEST_F(archive_files, an_interrupted_write_leaves_a_temporary_file_the_next_removes) {
  {
    std::ofstream t(fs::path(dir_) / "2025-09.0001.hharc.tmp");
    t << "halfhour-archive 1\n half of a part";
  }
  auto a = make_file_archive(dir_);
  EXPECT_TRUE(run(ioc_, a->read_month(m_))->empty()) << "a temporary file is nobody's part";
  ASSERT_TRUE(run(ioc_, a->write_part(m_, {order("W01-000001", 4, "楼道灯不亮")})));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"2025-09.0001.hharc"});
}

TEST_F(archive_files, a_lookup_finds_the_later_of_two_copies_in_two_parts) {
  std::vector<std::string> steps;
  auto a = make_file_archive(dir_, [&steps](std::string_view s) { steps.emplace_back(s); });
  ASSERT_TRUE(run(ioc_, a->write_part(m_, {order("W01-000001", 4, "旧")})));
  EXPECT_EQ(steps, (std::vector<std::string>{"part_synced", "part_renamed", "dir_synced"}));
  auto first = run(ioc_, a->find("W01-000001"));
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->version, 4);
  ASSERT_TRUE(run(ioc_, a->write_part(m_, {order("W01-000001", 6, "新")})));
  auto found = run(ioc_, a->find("W01-000001"));
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->version, 6) << "a part added since the last lookup is seen";
  EXPECT_FALSE(*run(ioc_, a->find("W09-000001")));
}

}  // namespace
}  // namespace halfhour
