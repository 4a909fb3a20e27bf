// The SMS gateways' inbound formats (Aliyun's push, Tencent Cloud's callback) and the reply
// grammar on arbitrary bytes. None may crash or hang; what is read must be whole: an id, a
// phone, and a reply that names a short code.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/channels/sms.hpp"
#include "sla/sms_reply.hpp"

namespace {

void must_hold(bool ok) {
  if (!ok) __builtin_trap();
}

void check(const halfhour::channels::sms_parse& p) {
  if (!p.ok) {
    must_hold(p.error.status >= 400 && p.error.status < 500 && !p.error.message.empty());
    return;
  }
  must_hold(!p.messages.empty() && p.messages.size() <= halfhour::channels::max_sms_per_push);
  for (const auto& m : p.messages) {
    must_hold(!m.id.empty() && !m.phone.empty());
    if (auto r = halfhour::sla::read_reply(m.text)) must_hold(halfhour::sla::is_short_code(r->code));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: check(halfhour::channels::parse_aliyun_sms(body, "application/json")); break;
    case 1: check(halfhour::channels::parse_tencent_sms(body, "application/json")); break;
    default:
      if (auto r = halfhour::sla::read_reply(body)) must_hold(halfhour::sla::is_short_code(r->code));
  }
  return 0;
}
