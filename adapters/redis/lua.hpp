// The Redis stores' Lua scripts, written as adapters/redis/lua/*.lua and embedded at build time
// (embed_lua.cmake). A helper (journal, owe, buckets, steps, end_sessions) defines local
// functions and goes in front of each script that calls it: compose() puts them together.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace halfhour::redis::lua {

// Helpers.
std::string_view journal();
std::string_view owe();
std::string_view buckets();
std::string_view steps();
std::string_view end_sessions();

// The work-order store's.
std::string_view create();
std::string_view apply();
std::string_view migrate_steps();
std::string_view rebucket();
std::string_view move_orders();
std::string_view due();
std::string_view screen();
std::string_view lease();
std::string_view release();
std::string_view retire();
std::string_view forget();
std::string_view trim();

// The outbox's.
std::string_view settle();
std::string_view post_once();

// The identity store's.
std::string_view put_member();
std::string_view remove_member();
std::string_view attempt_login();
std::string_view consume_code();
std::string_view end_session();

// One script from its helpers and itself, in that order.
inline std::string compose(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

}  // namespace halfhour::redis::lua
