// Every door's payload parser on arbitrary bytes: the 12345 ticket, the 社区云 post, the WeChat
// message, the walk-in form (JSON and protobuf), and Open311's form and query. None may crash,
// hang or accept a request without its required fields.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/channels/community.hpp"
#include "adapters/channels/crew.hpp"
#include "adapters/channels/hotline.hpp"
#include "adapters/channels/open311.hpp"

namespace {

void must_hold(bool ok) {
  if (!ok) __builtin_trap();
}

void check_parse(const halfhour::channels::parsed_request& p) {
  if (!p.ok) {
    must_hold(p.error.status >= 400 && p.error.status < 500 && !p.error.message.empty());
    return;
  }
  must_hold(!p.req.idempotency_key.empty());
  must_hold(p.req.intake.content.find_first_not_of(" \t\r\n") != std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using namespace halfhour::channels;
  const auto which = data[0] % 9;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const bool protobuf = data[0] & 0x80;
  const std::string_view type = protobuf ? "application/x-protobuf" : "application/json";
  static const std::map<std::string, std::string> groups{{"东明一家亲", "丹桂苑"}};
  static const std::vector<std::string> mine{"丹桂苑", "凌兆路608弄"};
  static const std::vector<std::string> codes{"burst_pipe", "door_lock"};
  switch (which) {
    case 0: check_parse(parse_hotline_ticket(body, type)); break;
    case 1: check_parse(parse_community_cloud(body, type)); break;
    case 2: check_parse(parse_wechat(body, type, groups)); break;
    case 3: check_parse(parse_walk_in(body, type, "凌四", mine)); break;
    case 4: {
      auto p = open311::parse_post(body, "application/x-www-form-urlencoded", "", codes);
      check_parse(p.parsed);
      break;
    }
    case 5: {
      auto p = open311::parse_post(body, "application/json", std::string_view(body).substr(0, 8), codes);
      check_parse(p.parsed);
      break;
    }
    case 6: (void)open311::parse_query(body); break;
    case 7: (void)parse_crew_action(body, type, halfhour::sla::action_kind::arrive); break;
    case 8: (void)parse_login(body, type); break;
  }
  return 0;
}
