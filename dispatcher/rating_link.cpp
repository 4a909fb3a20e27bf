#include "dispatcher/rating_link.hpp"

#include "adapters/crypto.hpp"

namespace halfhour::rating_link {

namespace {

// 96 bits of MAC: short enough for an SMS, far beyond guessing one link by trying.
constexpr std::size_t mac_chars = 24;

std::string mac(const settings& s, std::string_view work_order, std::string_view reporter_key) {
  std::string data = "halfhour rating\n";
  data.append(work_order).append("\n").append(reporter_key);
  return crypto::hmac_sha256_hex(s.secret, data).substr(0, mac_chars);
}

bool id_shaped(std::string_view id) {
  if (id.empty() || id.size() > 24) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
  return true;
}

}  // namespace

std::string token(const settings& s, std::string_view work_order, std::string_view reporter_key) {
  return std::string(work_order) + "." + mac(s, work_order, reporter_key);
}

std::string url(const settings& s, std::string_view work_order, std::string_view reporter_key) {
  std::string base = s.public_url;
  while (base.ends_with('/')) base.pop_back();
  return base + "/r/" + token(s, work_order, reporter_key);
}

std::optional<std::string> work_order_of(std::string_view token) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || token.size() - dot - 1 != mac_chars) return std::nullopt;
  const auto id = token.substr(0, dot);
  if (!id_shaped(id)) return std::nullopt;
  return std::string(id);
}

std::optional<std::string> reporter_of(const settings& s, const sla::work_order& wo, std::string_view token) {
  if (s.secret.empty()) return std::nullopt;
  const auto id = work_order_of(token);
  if (!id || *id != wo.id) return std::nullopt;
  const auto given = token.substr(token.size() - mac_chars);
  for (const auto& i : wo.invites)
    if (crypto::equal_constant_time(mac(s, wo.id, i.reporter_key), given)) return i.reporter_key;
  return std::nullopt;
}

}  // namespace halfhour::rating_link
