// The SMS gateways' inbound formats: the replies crews send to the engine's number, pushed by
// Aliyun (SmsUp: a JSON array) or Tencent Cloud (one JSON object per reply), read into one
// shape. Pure: bytes in, messages or a refusal out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/input.hpp"
#include "sla/time.hpp"

namespace halfhour::channels {

struct inbound_sms {
  // The gateway's id of the message, "aliyun:<sequence_id>" or "tencent:<…>": a redelivery
  // carries the same id, so it is answered and applied once.
  std::string id;
  std::string phone;  // the sender as members are registered: mainland numbers without +86
  std::string text;
  std::optional<sla::instant> sent_at;
};

struct sms_parse {
  bool ok = false;
  std::vector<inbound_sms> messages;
  input_error error;
};

// At most this many messages in one push.
inline constexpr std::size_t max_sms_per_push = 100;

// POST /v1/sms/inbound/aliyun: [{"phone_number", "content", "send_time" ("2026-12-01 09:30:00",
// Beijing time), "dest_code", "sequence_id"}, …]. The whole push is refused when one message
// is malformed: nothing of it is applied.
sms_parse parse_aliyun_sms(std::string_view body, std::string_view content_type);

// POST /v1/sms/inbound/tencent: {"extend", "mobile", "nationcode", "sign", "text", "time" (Unix
// seconds)}. Tencent gives a reply no id of its own: its id is the sender, the time and a hash
// of the text, the same for every redelivery.
sms_parse parse_tencent_sms(std::string_view body, std::string_view content_type);

}  // namespace halfhour::channels
