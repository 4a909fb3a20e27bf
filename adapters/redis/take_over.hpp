// Moving a store of an older layout over to this one (layout.hpp) when an engine claims it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "adapters/redis/connection.hpp"
#include "adapters/redis/layout.hpp"

namespace halfhour::redis {

// Moves what layouts 2 to 5 kept elsewhere into the keys of this one, a page at a time, each page
// in one script that skips what moved already: the hashes of layout 4 into their buckets, the
// deadline members of layouts 2 and 3 into the steps, the work orders' strings of layouts 2 to 5
// (with the journals of layouts 2 and 3) into their buckets. Run again after a stop midway, it
// moves what is left. The caller marks the store.
boost::asio::awaitable<boost::system::result<void>> take_over(connection& conn, const layout::keys& keys);

}  // namespace halfhour::redis
