#include "sla/duplicates.hpp"

#include <algorithm>

#include "sla/messages.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

// How well a report matches a job by category, urgency and place: 0 not at all, 1 the same
// category, 2 and the same building, 3 and the same flat (or the same flat while one of the two
// could not be categorised).
int match_score(const classification& cls, const resolution& where, const std::string& category, urgency level,
                const std::string& building, const std::string& room) {
  if (cls.level == urgency::urgent && level == urgency::general) return 0;
  const bool both_buildings = !where.building.empty() && !building.empty();
  if (both_buildings && where.building != building) return 0;
  const bool same_room = both_buildings && !where.room.empty() && where.room == room;
  const bool categorised = cls.category != unclassified_code;
  if (categorised && cls.category == category) return same_room ? 3 : both_buildings ? 2 : 1;
  if (same_room && (!categorised || category == unclassified_code)) return 3;
  return 0;
}

}  // namespace

bool could_repeat(const classification& cls, const resolution& where, const recent_job& j) {
  return match_score(cls, where, j.category, j.level, j.building, j.room) > 0;
}

std::optional<duplicate_match> find_duplicate(const classification& cls, const resolution& where,
                                              const std::vector<work_order>& open, duration window, instant now) {
  if (window <= duration::zero() || where.to != route::firm || where.community_name.empty()) return std::nullopt;
  const work_order* best = nullptr;
  int best_score = 0;
  for (const auto& wo : open) {
    if (wo.state == wo_state::done || wo.where.community_name != where.community_name) continue;
    if (wo.accepted_at > now || now - wo.accepted_at > window) continue;
    const int score = match_score(cls, where, wo.cls.category, wo.cls.level, wo.where.building, wo.where.room);
    if (score == 0) continue;
    // `open` comes in any order: the oldest wins a tie, being the job the others repeat.
    if (!best || score > best_score || (score == best_score && wo.accepted_at < best->accepted_at)) {
      best = &wo;
      best_score = score;
    }
  }
  if (!best) return std::nullopt;
  const bool same_category = cls.category != unclassified_code && cls.category == best->cls.category;
  return duplicate_match{best->id, messages::same_incident_why(where, *best, same_category)};
}

decision link(const work_order& wo, const intake& in, const std::string& key, const std::string& why, instant now,
              std::size_t keep_whole) {
  decision d{.next = wo};
  const bool hotline = in.source == channel::hotline_12345;
  const auto& counted = wo.linked_more_tickets;
  if (std::any_of(wo.linked.begin(), wo.linked.end(), [&](const linked_request& l) { return l.key == key; }) ||
      (hotline && std::find(counted.begin(), counted.end(), in.external_no) != counted.end())) {
    d.duplicate = true;
    return d;
  }
  if (wo.linked.size() < keep_whole) {
    linked_request l{
        key, in.source, in.external_no, in.who, clip(in.content, linked_text_limit), clip(in.address, 200), in.photos,
        now, why};
    d.next.linked.push_back(std::move(l));
  } else {
    ++d.next.linked_more;
    if (hotline) d.next.linked_more_tickets.push_back(in.external_no);
  }
  d.events.push_back({.kind = event_kind::linked, .at = now, .note = messages::linked_note(in, why)});
  if (in.source == channel::hotline_12345) {
    notification n;
    n.to = recipient::hotline;
    n.organisation = "12345";
    n.kind = "linked";
    n.ref = in.external_no;
    n.key = wo.id + ":hotline:" + in.external_no + ":linked";
    n.text = messages::linked_hotline_text(in.external_no, wo);
    d.notify.push_back(std::move(n));
  }
  return d;
}

decision unlink(const work_order& wo, std::string_view key, const member& by, instant now) {
  decision d{.next = wo};
  auto& links = d.next.linked;
  auto it = std::find_if(links.begin(), links.end(), [&](const linked_request& l) { return l.key == key; });
  if (it == links.end()) {
    d.refused = messages::not_linked_here;
    return d;
  }
  event e{
      .kind = event_kind::unlinked, .at = now, .actor = by.name, .actor_id = by.id, .organisation = by.organisation};
  e.note = messages::unlinked_note(*it);
  d.events.push_back(std::move(e));
  links.erase(it);
  return d;
}

bool split_from(const std::vector<event>& history, std::string_view from) {
  const std::string prefix = messages::split_prefix(from);
  return std::any_of(history.begin(), history.end(),
                     [&](const event& e) { return e.kind == event_kind::unlinked && e.note.starts_with(prefix); });
}

intake intake_of(const linked_request& req) {
  intake in;
  in.source = req.source;
  in.external_no = req.external_no;
  in.who = req.who;
  in.content = req.content;
  in.address = req.address;
  in.photos = req.photos;
  return in;
}

decision split_off(const linked_request& req, const std::string& from, std::string id, classification cls,
                   resolution where, const member& by, const ladder& lad, const limits& lim, instant now) {
  auto d = accept(intake_of(req), std::move(id), std::move(cls), std::move(where), lad, lim, req.at);
  event e{
      .kind = event_kind::unlinked, .at = now, .actor = by.name, .actor_id = by.id, .organisation = by.organisation};
  e.note = messages::split_note(from);
  d.events.push_back(std::move(e));
  return d;
}

}  // namespace halfhour::sla
