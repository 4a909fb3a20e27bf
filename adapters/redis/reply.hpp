// One Redis reply as a plain value: what the connection hands back and what the layout decodes,
// in a header of its own so that decoding needs no connection, no hiredis and no Asio.
#pragma once

#include <string>
#include <vector>

namespace halfhour::redis {

struct reply {
  enum class kind { nil, string, integer, array, status, error };
  kind type = kind::nil;
  std::string str;  // string, status and error text
  long long integer = 0;
  std::vector<reply> elements;

  bool is_error() const { return type == kind::error; }
};

}  // namespace halfhour::redis
