// The link a reporter gets with the completion SMS to rate the job on their own page (回访):
// "<public_url>/r/<work order id>.<mac>", the MAC the engine's link secret over the job and the
// reporter. Nothing secret is stored: the job's invites (sla::rating_invite) say what a link may
// still do, so a copy of Redis rates nothing, and a forged or altered link names no invite.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sla/work_order.hpp"

namespace halfhour::rating_link {

struct settings {
  std::string public_url;  // "https://halfhour.example.cn"
  std::string secret;      // empty: no links are made, none is accepted
  bool enabled() const { return !public_url.empty() && !secret.empty(); }
};

// How long a link stays open in whole days, as the SMS and the page say it (0: under a day).
inline long long days_open(sla::duration valid) {
  return std::chrono::duration_cast<std::chrono::hours>(valid).count() / 24;
}

std::string token(const settings& s, std::string_view work_order, std::string_view reporter_key);
std::string url(const settings& s, std::string_view work_order, std::string_view reporter_key);

// The work order a token names, if it is shaped like one of ours (nothing else is read for it).
std::optional<std::string> work_order_of(std::string_view token);

// Which of the job's invites the token was made for (its reporter key), if any.
std::optional<std::string> reporter_of(const settings& s, const sla::work_order& wo, std::string_view token);

}  // namespace halfhour::rating_link
