#include "sla/access.hpp"

namespace halfhour::sla {

access may_see(const work_order& wo, const member& m) {
  if (m.kind == role::supervisor) return access::allowed;
  if (m.kind == role::committee)
    return wo.where.committee == m.organisation ? access::allowed : access::forbidden;
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

bool sees_reporter_phone(const work_order& wo, const member& m) {
  if (m.kind == role::supervisor) return true;
  if (m.kind == role::committee) return wo.where.committee == m.organisation;  // their residents
  if (wo.holder != m.organisation) return false;
  return m.kind != role::crew || wo.assignee == m.id;
}

std::string_view role_code(role r) {
  switch (r) {
    case role::crew: return "crew";
    case role::manager: return "manager";
    case role::station: return "station";
    case role::supervisor: return "supervisor";
    case role::committee: return "committee";
  }
  return "";
}

bool role_from_code(std::string_view code, role& out) {
  for (auto r : {role::crew, role::manager, role::station, role::supervisor, role::committee}) {
    if (role_code(r) == code) {
      out = r;
      return true;
    }
  }
  return false;
}

}  // namespace halfhour::sla
