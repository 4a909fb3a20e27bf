// The archive port: finished jobs past the retention window, in monthly files, read back by the
// reports and by a lookup. Each month is one or more parts; a part is written whole under a
// temporary name, made durable and checked before it is renamed into place, so a part that is
// there is complete, and a job is removed from the store only once a part holds it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/store_records.hpp"
#include "sla/calendar.hpp"
#include "sla/retention.hpp"

namespace halfhour {

// The job with its history and notices, as a lookup or a report shows it; errc::corrupt when the
// bytes do not decode.
boost::system::result<stored_order> decode_archived(const archived_order& a);

// Called as each step of writing a part is done ("part_synced", "part_renamed", "dir_synced"):
// a test stops the process there to show that a crash at that point loses nothing.
using step_hook = std::function<void(std::string_view step)>;

class order_archive {
 public:
  virtual ~order_archive() = default;

  // Every copy the month's parts hold, each part checked against its checksum first
  // (errc::corrupt, and the part named in the log, when one fails).
  virtual boost::asio::awaitable<boost::system::result<std::vector<archived_order>>> read_month(sla::month m) = 0;

  // A new part of `m` holding `orders`, durable once this returns.
  virtual boost::asio::awaitable<boost::system::result<void>> write_part(sla::month m,
                                                                         std::vector<archived_order> orders) = 0;

  // The latest archived copy of `id`, if any part holds one.
  virtual boost::asio::awaitable<boost::system::result<std::optional<archived_order>>> find(std::string id) = 0;

  // The months some part is written for, oldest first.
  virtual boost::asio::awaitable<boost::system::result<std::vector<sla::month>>> months() = 0;
};

// Parts as files "<dir>/<YYYY-MM>.<NNNN>.hharc", read and written on a thread of their own so
// the engine's clocks never wait on a disk.
std::unique_ptr<order_archive> make_file_archive(std::string dir, step_hook hook = {});

}  // namespace halfhour
