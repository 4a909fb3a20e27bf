// Between the domain's types and the wire: protobuf binary for what Redis stores, the proto3
// JSON mapping (proto field names) for the HTTP API.
#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/notice.hpp"
#include "sla/access.hpp"
#include "sla/machine.hpp"
#include "sla/work_order.hpp"

namespace halfhour::codec {

std::string encode_work_order(const sla::work_order& wo);
boost::system::result<sla::work_order> decode_work_order(std::string_view bytes);

std::string encode_event(const sla::event& e);
boost::system::result<sla::event> decode_event(std::string_view bytes);

// A work order's journal: what one write appends (its events and the notifications it owes),
// what the outbox's sender appends once it settled a notification, and the whole read back.
std::string journal_append(const std::vector<sla::event>& events, const std::vector<sla::notification>& owed);
// A settlement is written in the journal of `work_order` (whose id its key starts with).
std::string journal_settlement(std::string_view work_order, std::string_view key, std::string_view status,
                               sla::instant at);
struct journal {
  std::vector<sla::event> events;
  std::vector<notice> notices;  // each with the last settlement recorded for its key
};
boost::system::result<journal> decode_journal(std::string_view bytes);

enum class format { json, protobuf };

// The work order as the API shows it, with its history and its notifications.
std::string render_work_order(const sla::work_order& wo, const std::vector<sla::event>& history, format f,
                              const std::vector<notice>& notices = {});

// GET /v1/crew/jobs: the jobs, the server's time (for countdowns on a phone with a wrong
// clock) and who is asking.
std::string render_job_list(const std::vector<sla::work_order>& jobs, sla::instant now, const sla::member& who);

// A search's page (WorkOrderPage); `next_cursor` empty when nothing more is there.
std::string render_search_page(const std::vector<sla::work_order>& jobs, std::string_view next_cursor,
                               std::size_t scanned, sla::instant now);

// A work order's state by its name in the API ("TRIAGE"); nothing for another name.
std::optional<sla::wo_state> state_named(std::string_view name);

std::string render_login(const std::string& token, sla::instant expires_at, const sla::member& who);

// What a community channel gets back (ChannelReceipt). `wo` may be empty (not a request).
std::string render_receipt(std::string_view outcome, const sla::work_order* wo, std::string_view reason,
                           std::string_view reply);

// 409: why the action no longer applies, and how the job stands now.
std::string render_refusal(std::string_view code, std::string_view message, const sla::work_order& wo);

// What a reporter's own page shows (RatingView): `invite` is theirs, `link` what it may do now.
struct rating_page {
  const sla::work_order& wo;
  const sla::rating_invite& invite;
  sla::link_state link = sla::link_state::open;
  sla::instant expires_at{};
  std::optional<sla::instant> completed_at;
};
std::string render_rating_page(const rating_page& p);

std::string error_json(std::string_view code, std::string_view field, std::string_view message);

}  // namespace halfhour::codec
