// The expected failures of the adapters, as error codes: Redis gone or slow, a write that lost
// a race, a record that is not there or cannot be read.
#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace halfhour {

enum class errc {
  unavailable = 1,  // Redis not connected (down, restarting, not yet reachable)
  timeout,          // Redis did not answer within the command timeout
  conflict,         // optimistic write lost: the work order changed underneath
  not_found,
  corrupt,       // a stored record that does not decode
  rejected,      // Redis answered with an error
  stale,         // a deadline fired that was no longer armed for that moment: fired elsewhere
  incompatible,  // Redis holds data written in another storage layout
};

const boost::system::error_category& error_category();

inline boost::system::error_code make_error_code(errc e) { return {static_cast<int>(e), error_category()}; }

}  // namespace halfhour

template <>
struct boost::system::is_error_code_enum<halfhour::errc> : std::true_type {};
