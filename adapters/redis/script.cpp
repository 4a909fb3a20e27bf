#include "adapters/redis/script.hpp"

#include <fmt/format.h>

#include <boost/uuid/detail/sha1.hpp>

namespace halfhour::redis {

std::string sha1_hex(std::string_view text) {
  boost::uuids::detail::sha1 h;
  h.process_bytes(text.data(), text.size());
  unsigned int d[5];
  h.get_digest(d);
  return fmt::format("{:08x}{:08x}{:08x}{:08x}{:08x}", d[0], d[1], d[2], d[3], d[4]);
}

namespace {

std::vector<std::string> command_of(std::string verb, std::string body_or_sha, std::vector<std::string> keys,
                                    std::vector<std::string> args) {
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.push_back(std::move(verb));
  command.push_back(std::move(body_or_sha));
  command.push_back(std::to_string(keys.size()));
  command.insert(command.end(), std::make_move_iterator(keys.begin()), std::make_move_iterator(keys.end()));
  command.insert(command.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
  return command;
}

}  // namespace

std::vector<std::string> eval_command(const script& s, std::vector<std::string> keys, std::vector<std::string> args) {
  return command_of("EVAL", s.body(), std::move(keys), std::move(args));
}

boost::asio::awaitable<boost::system::result<reply>> run(connection& conn, const script& s,
                                                         std::vector<std::string> keys, std::vector<std::string> args) {
  auto command = command_of("EVALSHA", s.sha(), std::move(keys), std::move(args));
  // A copy goes out: the arguments are needed again if the server does not know the script.
  auto r = co_await conn.command(command);
  if (r && r->is_error() && r->str.starts_with("NOSCRIPT")) {
    command[0] = "EVAL";
    command[1] = s.body();
    r = co_await conn.command(std::move(command));
  }
  co_return r;
}

}  // namespace halfhour::redis
