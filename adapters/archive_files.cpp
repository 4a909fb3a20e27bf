// Monthly archive parts as files. A part:
//   "halfhour-archive 1\n", then length-delimited ArchivedOrder messages, then
//   "sha256 <hex of everything before>\n".
// Written to "<name>.tmp", fsynced, read back and checked, renamed, then the directory fsynced:
// a part under its own name is whole and durable, and a temporary one is an interrupted write,
// removed by the next.
#include <fcntl.h>
#include <fmt/format.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "adapters/archive.hpp"
#include "adapters/codec.hpp"
#include "adapters/crypto.hpp"
#include "adapters/errors.hpp"
#include "adapters/record_packing.hpp"
#include "halfhour/v1/halfhour.pb.h"

namespace halfhour {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using boost::system::result;

result<stored_order> decode_archived(const archived_order& a) {
  auto wo = packing::unpack_work_order(a.order);  // the store's bytes, packed or not
  if (!wo) return wo.error();
  auto j = codec::decode_journal(a.journal);
  if (!j) return j.error();
  wo->version = a.version;
  return stored_order{std::move(*wo), std::move(j->events), std::move(j->notices)};
}

namespace {

constexpr std::string_view magic = "halfhour-archive 1\n";
constexpr std::string_view sum_tag = "sha256 ";
constexpr std::size_t footer_size = sum_tag.size() + 64 + 1;
constexpr std::string_view suffix = ".hharc";

// "2025-10.0003.hharc" -> (month, 3); nothing for any other name.
std::optional<std::pair<sla::month, int>> part_of(const std::string& name) {
  if (name.size() != 7 + 1 + 4 + suffix.size() || !name.ends_with(suffix) || name[7] != '.') return std::nullopt;
  auto m = sla::month::parse(name.substr(0, 7));
  const auto digits = name.substr(8, 4);
  if (!m || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::pair{*m, std::stoi(digits)};
}

std::string part_name(sla::month m, int n) { return fmt::format("{}.{:04d}{}", m.label(), n, suffix); }

// The whole file, or nothing when it cannot be read.
std::optional<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(s).str();
}

// The orders of a part's bytes, once its header and checksum hold.
result<std::vector<archived_order>> parse_part(std::string_view bytes) {
  if (bytes.size() < magic.size() + footer_size || !bytes.starts_with(magic)) return make_error_code(errc::corrupt);
  const auto body = bytes.substr(0, bytes.size() - footer_size);
  const auto footer = bytes.substr(body.size());
  if (!footer.starts_with(sum_tag) || footer.back() != '\n' ||
      footer.substr(sum_tag.size(), 64) != crypto::sha256_hex(body))
    return make_error_code(errc::corrupt);
  google::protobuf::io::ArrayInputStream raw(body.data() + magic.size(), static_cast<int>(body.size() - magic.size()));
  std::vector<archived_order> out;
  for (;;) {
    halfhour::v1::ArchivedOrder m;
    bool clean_eof = false;
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&m, &raw, &clean_eof)) {
      if (clean_eof) break;
      return make_error_code(errc::corrupt);
    }
    out.push_back({m.id(), m.version(), std::move(*m.mutable_order()), std::move(*m.mutable_journal())});
  }
  return out;
}

std::string encode_part(const std::vector<archived_order>& orders) {
  std::string out(magic);
  {
    google::protobuf::io::StringOutputStream raw(&out);
    for (const auto& o : orders) {
      halfhour::v1::ArchivedOrder m;
      m.set_id(o.id);
      m.set_version(o.version);
      m.set_order(o.order);
      m.set_journal(o.journal);
      google::protobuf::util::SerializeDelimitedToZeroCopyStream(m, &raw);
    }
  }
  const auto sum = crypto::sha256_hex(out);
  out += sum_tag;
  out += sum;
  out += '\n';
  return out;
}

// Writes all of `bytes` to a new file and fsyncs it; false (errno set) on any failure.
bool write_synced(const fs::path& p, std::string_view bytes) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return false;
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      errno = e;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int e = errno;
  return ::close(fd) == 0 && synced ? true : (errno = e, false);
}

bool sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Each call hands its work, by value, to off_loop: none is a coroutine itself, as GCC 12
// mishandles a lambda made inside a coroutine that owns what it captured.
class file_archive final : public order_archive {
 public:
  file_archive(std::string dir, step_hook hook) : dir_(std::move(dir)), hook_(std::move(hook)) {}
  ~file_archive() override { pool_.join(); }

  asio::awaitable<result<std::vector<archived_order>>> read_month(sla::month m) override {
    return off_loop([this, m] { return read_month_now(m); });
  }

  asio::awaitable<result<void>> write_part(sla::month m, std::vector<archived_order> orders) override {
    return off_loop([this, m, o = std::move(orders)] { return write_part_now(m, o); });
  }

  asio::awaitable<result<std::optional<archived_order>>> find(std::string id) override {
    return off_loop([this, id = std::move(id)] { return find_now(id); });
  }

  asio::awaitable<result<std::vector<sla::month>>> months() override {
    return off_loop([this]() -> result<std::vector<sla::month>> {
      auto parts = list();
      if (!parts) return parts.error();
      std::vector<sla::month> out;
      for (const auto& [m, names] : *parts) out.push_back(m);
      return out;
    });
  }

 private:
  // Runs `f` on the archive's own thread and resumes the caller on its executor with the result.
  template <class F>
  asio::awaitable<std::invoke_result_t<F&>> off_loop(F f) {
    co_return co_await asio::co_spawn(pool_.get_executor(), call(std::move(f)), asio::use_awaitable);
  }
  // `f` a parameter, so it lives in the coroutine's frame (a lambda coroutine's captures do not).
  // A file system error that throws (a directory removed under it) is an error like the others,
  // not an exception reaching the engine's loop.
  template <class F>
  static asio::awaitable<std::invoke_result_t<F&>> call(F f) {
    using R = std::invoke_result_t<F&>;
    try {
      co_return f();
    } catch (const std::exception& e) {
      spdlog::error("archive: {}", e.what());
      co_return R(boost::system::in_place_error, make_error_code(errc::unavailable));
    }
  }

  struct by_month {
    bool operator()(const sla::month& a, const sla::month& b) const {
      return a.year != b.year ? a.year < b.year : a.number < b.number;
    }
  };
  using listing = std::map<sla::month, std::vector<std::string>, by_month>;

  // Every part by month, each month's in order; an unreadable directory is an error, a missing
  // one is an empty archive.
  result<listing> list() const {
    listing out;
    std::error_code ec;
    if (!fs::exists(dir_, ec)) return out;
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
      const auto name = e.path().filename().string();
      if (auto p = part_of(name)) out[p->first].push_back(name);
    }
    if (ec) {
      spdlog::error("archive: {} cannot be listed: {}", dir_, ec.message());
      return make_error_code(errc::unavailable);
    }
    for (auto& [m, names] : out) std::sort(names.begin(), names.end());
    return out;
  }

  result<std::vector<archived_order>> read_part(const std::string& name) const {
    const auto path = fs::path(dir_) / name;
    auto bytes = slurp(path);
    if (!bytes) {
      spdlog::error("archive: {} cannot be read: {}", path.string(), std::strerror(errno));
      return make_error_code(errc::unavailable);
    }
    auto orders = parse_part(*bytes);
    if (!orders) spdlog::error("archive: {} is damaged (its checksum or a record does not hold)", path.string());
    return orders;
  }

  result<std::vector<archived_order>> read_month_now(sla::month m) const {
    auto parts = list();
    if (!parts) return parts.error();
    std::vector<archived_order> out;
    for (const auto& name : (*parts)[m]) {
      auto orders = read_part(name);
      if (!orders) return orders.error();
      std::move(orders->begin(), orders->end(), std::back_inserter(out));
    }
    return out;
  }

  void step(std::string_view s) const {
    if (hook_) hook_(s);
  }

  result<void> write_part_now(sla::month m, const std::vector<archived_order>& orders) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    auto parts = list();
    if (!parts) return parts.error();
    // A temporary file is a write that died before its rename: nothing read it, nothing was
    // removed from the store for it.
    for (const auto& e : fs::directory_iterator(dir_, ec))
      if (e.path().extension() == ".tmp") fs::remove(e.path(), ec);
    const auto& names = (*parts)[m];
    const int next = names.empty() ? 1 : part_of(names.back())->second + 1;
    const auto name = part_name(m, next);
    const auto final_path = fs::path(dir_) / name;
    const auto temp_path = fs::path(dir_) / (name + ".tmp");
    const auto bytes = encode_part(orders);
    auto failed = [&](const char* what) -> result<void> {
      spdlog::error("archive: {} {}: {}", what, temp_path.string(), std::strerror(errno));
      return make_error_code(errc::unavailable);
    };
    if (!write_synced(temp_path, bytes)) return failed("cannot write");
    step("part_synced");
    // What the disk gives back is what was meant, before the part takes its name.
    auto back = slurp(temp_path);
    if (!back || *back != bytes || !parse_part(*back)) return failed("reads back wrong");
    if (::rename(temp_path.c_str(), final_path.c_str()) != 0) return failed("cannot rename");
    step("part_renamed");
    if (!sync_dir(dir_)) return failed("cannot sync the directory of");
    step("dir_synced");
    spdlog::info("archive: {} written, {} work orders", final_path.string(), orders.size());
    return {};
  }

  result<std::optional<archived_order>> find_now(const std::string& id) {
    auto parts = list();
    if (!parts) return parts.error();
    if (*parts != indexed_) {
      // Parts never change once named: the index is rebuilt only when one was added.
      index_.clear();
      for (const auto& [m, names] : *parts)
        for (const auto& name : names) {
          auto orders = read_part(name);
          if (!orders) return orders.error();
          for (const auto& o : *orders) index_[o.id].push_back(name);
        }
      indexed_ = std::move(*parts);
    }
    auto at = index_.find(id);
    if (at == index_.end()) return std::optional<archived_order>();
    std::optional<archived_order> best;
    for (const auto& name : at->second) {
      auto orders = read_part(name);
      if (!orders) return orders.error();
      for (auto& o : *orders)
        if (o.id == id && (!best || sla::later(o.stamp(), best->stamp()))) best = std::move(o);
    }
    return best;
  }

  std::string dir_;
  step_hook hook_;
  asio::thread_pool pool_{1};
  listing indexed_;
  std::map<std::string, std::vector<std::string>> index_;  // id -> the parts holding a copy
};

}  // namespace

std::unique_ptr<order_archive> make_file_archive(std::string dir, step_hook hook) {
  return std::make_unique<file_archive>(std::move(dir), std::move(hook));
}

}  // namespace halfhour
