#include "sla/access.hpp"

#include <algorithm>

#include "sla/text.hpp"

namespace halfhour::sla {

access may_see(const work_order& wo, const member& m) {
  // The centre watches every job; the station, the sub-district's desk that triages and may
  // reclassify any job, reads every one too (reporters' phones masked on the firms' jobs).
  if (m.kind == role::supervisor || m.kind == role::station) return access::allowed;
  if (m.kind == role::committee) return wo.where.committee == m.organisation ? access::allowed : access::forbidden;
  if (wo.holder == m.organisation || wo.responsible_firm == m.organisation) return access::allowed;
  return access::forbidden;
}

access may_act(const work_order& wo, const member& m) {
  // The centre and the committees watch; crews act.
  if (m.kind == role::supervisor || m.kind == role::committee) return access::forbidden;
  if (wo.holder == m.organisation) return access::allowed;
  if (wo.responsible_firm == m.organisation) return access::moved;
  return access::forbidden;
}

reclassify_right may_reclassify(const work_order& wo, const member& m) {
  if (m.kind == role::supervisor || m.kind == role::station) return reclassify_right::apply;
  if (wo.holder != m.organisation) return reclassify_right::none;
  if (m.kind == role::manager) return reclassify_right::apply;
  return m.kind == role::crew ? reclassify_right::request : reclassify_right::none;
}

bool may_assign(const member& m) { return m.kind == role::manager || m.kind == role::station; }
bool may_route(const member& m) { return m.kind == role::station; }
bool may_be_assigned(const member& m) { return m.kind == role::crew; }
bool may_register_walk_in(const member& m) { return m.kind == role::committee; }

bool may_read_reports(const member& m) { return m.kind == role::supervisor || m.kind == role::station; }

bool may_watch_board(const member& m) { return m.kind == role::supervisor || m.kind == role::station; }

bool may_use_console(const member& m) {
  return m.kind == role::supervisor || m.kind == role::station || m.kind == role::manager;
}

bool sees_reporter_phone(const work_order& wo, const member& m) {
  if (m.kind == role::supervisor) return true;
  if (m.kind == role::committee) return wo.where.committee == m.organisation;  // their residents
  if (wo.holder != m.organisation) return false;
  return m.kind != role::crew || wo.assignee == m.id;
}

work_order member_view(work_order wo, const member& m) {
  if (!sees_reporter_phone(wo, m)) {
    wo.who.phone = mask_phone(wo.who.phone);
    for (auto& l : wo.linked) l.who.phone = mask_phone(l.who.phone);
  }
  wo.linked_more_tickets.clear();
  return wo;
}

work_order receipt_view(const work_order& wo) {
  work_order out;
  out.id = wo.id;
  out.version = wo.version;
  out.source = wo.source;
  out.external_no = wo.external_no;
  out.accepted_at = wo.accepted_at;
  out.cls.level = wo.cls.level;
  out.cls.category = wo.cls.category;
  out.cls.category_name = wo.cls.category_name;
  out.cls.advice = wo.cls.advice;  // what to tell the caller at once (gas): never personal
  out.where.to = wo.where.to;
  out.where.community_name = wo.where.community_name;
  out.where.committee = wo.where.committee;
  out.where.firm = wo.where.firm;
  out.state = wo.state;
  out.holder = wo.holder;
  out.responsible_firm = wo.responsible_firm;
  out.clocks = wo.clocks;
  out.linked_more = wo.linked_count();
  return out;
}

work_order list_view(work_order wo, std::size_t keep) {
  if (wo.linked.size() > keep) {
    wo.linked_more += wo.linked.size() - keep;
    wo.linked.resize(keep);
  }
  for (auto& l : wo.linked) {
    l.content.clear();
    l.address.clear();
    l.photos.clear();
    l.why.clear();
  }
  wo.linked_more_tickets.clear();
  return wo;
}

bool role_fits(role r, std::string_view organisation, const directory& dir) {
  const auto& cs = dir.communities;
  const bool firm = std::any_of(cs.begin(), cs.end(), [&](const community& c) { return c.firm == organisation; });
  const bool committee =
      std::any_of(cs.begin(), cs.end(), [&](const community& c) { return c.committee == organisation; });
  switch (r) {
    case role::supervisor: return organisation == dir.centre;
    case role::station: return organisation == dir.station;
    case role::committee: return committee;
    case role::crew:
    case role::manager: return firm || organisation == dir.station;
  }
  return false;
}

bool may_unlink(const work_order& wo, const member& m) {
  return m.kind == role::station || m.kind == role::supervisor ||
         (m.kind == role::manager && wo.holder == m.organisation);
}

std::vector<std::string> organisations_listed(const member& m, const directory& dir) {
  if (m.kind != role::supervisor) return {m.organisation};
  std::vector<std::string> out;
  for (const auto& c : dir.communities)
    if (std::find(out.begin(), out.end(), c.firm) == out.end()) out.push_back(c.firm);
  out.push_back(dir.station);
  return out;
}

bool listed_for(const work_order& wo, const member& m) {
  return m.kind != role::crew || wo.assignee.empty() || wo.assignee == m.id;
}

}  // namespace halfhour::sla
