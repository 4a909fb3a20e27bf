// What the reporter's own page shows of their job (RatingView).
#include "adapters/codec.hpp"
#include "adapters/codec_pb.hpp"
#include "adapters/json_print.hpp"

namespace halfhour::codec {

namespace pb = halfhour::v1;
using namespace detail;

std::string render_rating_page(const rating_page& p) {
  pb::RatingView m;
  m.set_work_order_id(p.wo.id);
  m.set_kind(p.wo.cls.kind == sla::request_kind::complaint ? pb::RequestKind::COMPLAINT : pb::RequestKind::REPAIR);
  m.set_category_name(p.wo.cls.category_name);
  m.set_community(p.wo.where.community_name);
  m.set_holder(p.wo.responsible_firm.empty() ? p.wo.holder : p.wo.responsible_firm);
  set_time(m.mutable_accepted_at(), p.wo.accepted_at);
  if (p.completed_at) set_time(m.mutable_completed_at(), *p.completed_at);
  m.set_state(shift_up<pb::State::Value>(p.wo.state));
  switch (p.link) {
    case sla::link_state::open: m.set_link(pb::LinkState::OPEN); break;
    case sla::link_state::rated: m.set_link(pb::LinkState::RATED); break;
    case sla::link_state::expired: m.set_link(pb::LinkState::EXPIRED); break;
    case sla::link_state::unknown: break;
  }
  set_time(m.mutable_expires_at(), p.expires_at);
  if (p.invite.given) {
    m.set_rating(shift_up<pb::Rating::Value>(*p.invite.given));
    set_time(m.mutable_rated_at(), p.invite.given_at);
    m.set_comment(p.invite.comment);
  }
  return print_json(m);
}

}  // namespace halfhour::codec
