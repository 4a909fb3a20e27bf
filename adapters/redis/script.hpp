// A Lua script sent by its SHA-1 (EVALSHA), and in full once when the server does not know it
// (a restarted or new Redis): the one way every store runs its scripts.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/redis/connection.hpp"

namespace halfhour::redis {

std::string sha1_hex(std::string_view text);

class script {
 public:
  explicit script(std::string_view body) : body_(body), sha_(sha1_hex(body_)) {}
  const std::string& body() const { return body_; }
  const std::string& sha() const { return sha_; }

 private:
  std::string body_;
  std::string sha_;
};

// `s` sent whole (EVAL) as one command of a pipeline, where a NOSCRIPT answer could not be
// retried in its place without the commands after it overtaking it.
std::vector<std::string> eval_command(const script& s, std::vector<std::string> keys, std::vector<std::string> args);

// Runs `s` with its keys and arguments. Transport failures are error codes; Redis's own error
// replies come back as replies of kind error. `s` must outlive the call (scripts are statics).
boost::asio::awaitable<boost::system::result<reply>> run(connection& conn, const script& s,
                                                         std::vector<std::string> keys, std::vector<std::string> args);

}  // namespace halfhour::redis
