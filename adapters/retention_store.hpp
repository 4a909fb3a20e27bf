// The store's side of retention: a month's finished jobs read as the bytes the store holds, and
// each taken out once the archive holds it, only while it is still that copy.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <memory>
#include <string>
#include <vector>

#include "adapters/archive.hpp"

namespace halfhour {

namespace redis {
class connection;
}

class retention_store {
 public:
  virtual ~retention_store() = default;

  // The work orders `ids` with their journals, as stored; ids not there are skipped.
  virtual boost::asio::awaitable<boost::system::result<std::vector<archived_order>>> raw(
      std::vector<std::string> ids) = 0;

  // Takes the job out (its record, its journal, its place in the acceptance index, and those of
  // `keys` that still name it) unless it moved on from `copy`: true when it is out (now or
  // before), false when it moved on and stays.
  virtual boost::asio::awaitable<boost::system::result<bool>> retire(sla::copy_stamp copy,
                                                                     std::vector<std::string> keys) = 0;

  // Lets the logs that are no job's go back no further than `before`: the chat messages screened
  // out (with their idempotency keys) and the notices that could not be delivered. How many went.
  virtual boost::asio::awaitable<boost::system::result<std::size_t>> trim_logs(sla::instant before) = 0;
};

std::unique_ptr<retention_store> make_redis_retention_store(std::shared_ptr<redis::connection> conn,
                                                            std::string prefix);

}  // namespace halfhour
