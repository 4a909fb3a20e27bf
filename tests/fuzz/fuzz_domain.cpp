// The classifier, the chat screen and the address resolver on arbitrary text (invalid UTF-8,
// full-width digits, enormous numbers, mixed scripts): a decision every time, no crash, and the
// decision names its rule.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/config.hpp"
#include "sla/classifier.hpp"
#include "sla/resolver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const halfhour::sla::classifier cls(halfhour::config::default_rules());
  static const halfhour::sla::resolver res(halfhour::config::default_directory());
  // No longer than the doors let through (4,000 characters of text, 500 of address), so the
  // fuzzer spends its time on content rather than on length.
  const std::string_view text(reinterpret_cast<const char*>(data), std::min<std::size_t>(size, 12000));
  const auto split = text.find('|');
  const auto address = (split == std::string_view::npos ? text : text.substr(0, split)).substr(0, 1500);
  const auto content = split == std::string_view::npos ? std::string_view{} : text.substr(split + 1);
  auto c = cls.classify(content.empty() ? text : content, {std::string(address.substr(0, 16)), ""});
  if (c.reasons.empty() || c.category.empty()) __builtin_trap();
  (void)cls.screen(text, c);
  auto r = res.resolve(address, content);
  if (r.to == halfhour::sla::route::firm && (r.firm.empty() || r.community_name.empty())) __builtin_trap();
  if (r.to == halfhour::sla::route::station && r.reason.empty()) __builtin_trap();
  return 0;
}
