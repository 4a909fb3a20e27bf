#include "adapters/codec.hpp"

#include <map>

#include "adapters/errors.hpp"
#include "adapters/record_packing.hpp"
#include "adapters/json_print.hpp"
#include "adapters/codec_pb.hpp"
#include "halfhour/v1/halfhour.pb.h"

namespace halfhour::codec {

namespace pb = halfhour::v1;
using namespace detail;

namespace {

pb::ClockKind::Value to_pb(sla::clock_kind k) {
  switch (k) {
    case sla::clock_kind::acknowledge: return pb::ClockKind::ACKNOWLEDGE;
    case sla::clock_kind::on_site: return pb::ClockKind::ON_SITE;
    case sla::clock_kind::contact: return pb::ClockKind::CONTACT;
    case sla::clock_kind::completion: return pb::ClockKind::COMPLETION;
    case sla::clock_kind::first_contact: return pb::ClockKind::FIRST_CONTACT;
    case sla::clock_kind::resolution: return pb::ClockKind::RESOLUTION;
    case sla::clock_kind::redo: return pb::ClockKind::REDO;
  }
  return pb::ClockKind::UNSPECIFIED;
}

std::optional<sla::clock_kind> from_pb(pb::ClockKind::Value k) {
  switch (k) {
    case pb::ClockKind::ACKNOWLEDGE: return sla::clock_kind::acknowledge;
    case pb::ClockKind::ON_SITE: return sla::clock_kind::on_site;
    case pb::ClockKind::CONTACT: return sla::clock_kind::contact;
    case pb::ClockKind::COMPLETION: return sla::clock_kind::completion;
    case pb::ClockKind::FIRST_CONTACT: return sla::clock_kind::first_contact;
    case pb::ClockKind::RESOLUTION: return sla::clock_kind::resolution;
    case pb::ClockKind::REDO: return sla::clock_kind::redo;
    default: return std::nullopt;
  }
}

void to_pb(const sla::rating_invite& i, pb::RatingInvite& r) {
  r.set_reporter_key(i.reporter_key);
  r.set_round(i.round);
  set_time(r.mutable_issued_at(), i.issued);
  if (i.given) {
    r.set_rating(shift_up<pb::Rating::Value>(*i.given));
    set_time(r.mutable_rated_at(), i.given_at);
  }
  r.set_comment(i.comment);
}

sla::rating_invite invite_of(const pb::RatingInvite& r) {
  sla::rating_invite i{.reporter_key = r.reporter_key(), .round = r.round(), .issued = get_time(r.issued_at())};
  if (r.rating() >= pb::Rating::SATISFIED && r.rating() <= pb::Rating::UNREACHED) {
    i.given = shift_down<sla::rating>(r.rating());
    i.given_at = get_time(r.rated_at());
  }
  i.comment = r.comment();
  return i;
}

void to_pb(const sla::clock& k, pb::Clock& cl) {
  cl.set_kind(to_pb(k.kind));
  set_time(cl.mutable_started_at(), k.started);
  set_time(cl.mutable_deadline(), k.deadline);
  if (k.stopped) set_time(cl.mutable_stopped_at(), *k.stopped);
  if (k.breached) set_time(cl.mutable_breached_at(), *k.breached);
  cl.set_limit_seconds(std::chrono::duration_cast<std::chrono::seconds>(k.limit).count());
  cl.set_retired(k.retired);
  cl.set_warnings(k.warnings);
  cl.set_working_days(k.working_days);
}

void to_pb(const sla::work_order& wo, pb::WorkOrder& m) {
  m.set_id(wo.id);
  m.set_version(wo.version);
  m.set_channel(shift_up<pb::Channel::Value>(wo.source));
  m.set_external_no(wo.external_no);
  m.mutable_reporter()->set_name(wo.who.name);
  m.mutable_reporter()->set_phone(wo.who.phone);
  m.set_content(wo.content);
  m.set_address(wo.address);
  if (wo.reported_at) set_time(m.mutable_reported_at(), *wo.reported_at);
  set_time(m.mutable_accepted_at(), wo.accepted_at);
  auto* c = m.mutable_classification();
  c->set_urgency(wo.cls.level == sla::urgency::urgent ? pb::Urgency::URGENT : pb::Urgency::GENERAL);
  c->set_category(wo.cls.category);
  c->set_category_name(wo.cls.category_name);
  for (const auto& r : wo.cls.reasons) {
    auto* rr = c->add_reasons();
    rr->set_rule(r.rule);
    for (const auto& w : r.words) rr->add_words(w);
    rr->set_note(r.note);
  }
  c->set_advice(wo.cls.advice);
  c->set_overridden(wo.cls.overridden);
  c->set_group(wo.cls.group);
  c->set_confidence(wo.cls.confidence);
  c->set_uncertain(wo.cls.uncertain);
  c->set_kind(wo.cls.kind == sla::request_kind::complaint ? pb::RequestKind::COMPLAINT : pb::RequestKind::REPAIR);
  auto* w = m.mutable_resolution();
  w->set_route(wo.where.to == sla::route::firm ? pb::Route::FIRM : pb::Route::STATION);
  w->set_community(wo.where.community_name);
  w->set_committee(wo.where.committee);
  w->set_firm(wo.where.firm);
  w->set_reason(wo.where.reason);
  for (const auto& cand : wo.where.candidates) w->add_candidates(cand);
  w->set_building(wo.where.building);
  w->set_room(wo.where.room);
  m.set_state(shift_up<pb::State::Value>(wo.state));
  m.set_holder(wo.holder);
  m.set_responsible_firm(wo.responsible_firm);
  m.set_assignee(wo.assignee);
  m.set_short_code(wo.short_code);
  if (wo.settled) m.set_settled_rating(shift_up<pb::Rating::Value>(*wo.settled));
  m.set_redo_rounds(wo.redo_rounds);
  m.set_supervised(wo.supervised);
  for (const auto& i : wo.invites) to_pb(i, *m.add_rating_invites());
  for (const auto& k : wo.clocks) to_pb(k, *m.add_clocks());
  for (const auto& r : wo.recent_requests) m.add_recent_requests(r);
  for (const auto& p : wo.photos) m.add_photos(p);
  if (wo.reported_position) {
    m.mutable_reported_position()->set_latitude(wo.reported_position->latitude);
    m.mutable_reported_position()->set_longitude(wo.reported_position->longitude);
    m.mutable_reported_position()->set_accuracy_m(wo.reported_position->accuracy_m);
  }
  for (const auto& l : wo.linked) {
    auto* out = m.add_linked();
    out->set_key(l.key);
    out->set_channel(shift_up<pb::Channel::Value>(l.source));
    out->set_external_no(l.external_no);
    out->mutable_reporter()->set_name(l.who.name);
    out->mutable_reporter()->set_phone(l.who.phone);
    out->set_content(l.content);
    out->set_address(l.address);
    for (const auto& p : l.photos) out->add_photos(p);
    set_time(out->mutable_at(), l.at);
    out->set_why(l.why);
  }
  if (wo.linked_count() > 0) m.set_linked_count(static_cast<std::int32_t>(wo.linked_count()));
  for (const auto& t : wo.linked_more_tickets) m.add_linked_tickets(t);
}

void to_pb(const sla::event& e, pb::Event& m) {
  m.set_kind(shift_up<pb::EventKind::Value>(e.kind));
  set_time(m.mutable_at(), e.at);
  m.set_actor(e.actor);
  m.set_organisation(e.organisation);
  if (e.clock) m.set_clock(to_pb(*e.clock));
  if (e.deadline) set_time(m.mutable_deadline(), *e.deadline);
  m.set_late_ms(e.late_ms);
  m.set_on_recovery(e.on_recovery);
  m.set_note(e.note);
  m.set_actor_id(e.actor_id);
  m.set_method(e.method);
  if (e.outcome) m.set_rating(shift_up<pb::Rating::Value>(*e.outcome));
  if (e.device_time) set_time(m.mutable_device_time(), *e.device_time);
  if (e.where) {
    m.mutable_position()->set_latitude(e.where->latitude);
    m.mutable_position()->set_longitude(e.where->longitude);
    m.mutable_position()->set_accuracy_m(e.where->accuracy_m);
  }
}

// The API's JSON: proto field names (snake_case), every field printed so clients see one shape.
std::string to_json(const google::protobuf::Message& m) { return print_json(m); }

sla::classification classification_of(const pb::Classification& c) {
  sla::classification out;
  out.level = c.urgency() == pb::Urgency::GENERAL ? sla::urgency::general : sla::urgency::urgent;
  out.category = c.category();
  out.category_name = c.category_name();
  for (const auto& r : c.reasons()) out.reasons.push_back({r.rule(), {r.words().begin(), r.words().end()}, r.note()});
  out.advice = c.advice();
  out.overridden = c.overridden();
  out.group = c.group();
  out.confidence = c.confidence();
  out.uncertain = c.uncertain();
  out.kind = c.kind() == pb::RequestKind::COMPLAINT ? sla::request_kind::complaint : sla::request_kind::repair;
  return out;
}

}  // namespace

std::string encode_work_order(const sla::work_order& wo) {
  pb::WorkOrder m;
  to_pb(wo, m);
  m.clear_version();              // the version lives beside the record, where the write script checks it
  m.set_idempotency_key(wo.key);  // the store's alone: no view shows it
  return m.SerializeAsString();
}

boost::system::result<sla::work_order> decode_work_order(std::string_view bytes) {
  pb::WorkOrder m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return make_error_code(errc::corrupt);
  sla::work_order wo;
  wo.id = m.id();
  wo.version = m.version();
  if (m.channel() < pb::Channel::HOTLINE_12345 || m.channel() > pb::Channel::OPEN311)
    return make_error_code(errc::corrupt);
  wo.source = shift_down<sla::channel>(m.channel());
  wo.external_no = m.external_no();
  wo.who = {m.reporter().name(), m.reporter().phone()};
  wo.content = m.content();
  wo.address = m.address();
  if (m.has_reported_at()) wo.reported_at = get_time(m.reported_at());
  wo.accepted_at = get_time(m.accepted_at());
  wo.cls = classification_of(m.classification());
  const auto& w = m.resolution();
  wo.where.to = w.route() == pb::Route::FIRM ? sla::route::firm : sla::route::station;
  wo.where.community_name = w.community();
  wo.where.committee = w.committee();
  wo.where.firm = w.firm();
  wo.where.reason = w.reason();
  wo.where.candidates.assign(w.candidates().begin(), w.candidates().end());
  wo.where.building = w.building();
  wo.where.room = w.room();
  if (m.state() < pb::State::DISPATCHED || m.state() > pb::State::REOPENED) return make_error_code(errc::corrupt);
  wo.state = shift_down<sla::wo_state>(m.state());
  wo.holder = m.holder();
  wo.responsible_firm = m.responsible_firm();
  wo.assignee = m.assignee();
  wo.short_code = m.short_code();
  wo.key = m.idempotency_key();
  if (m.settled_rating() >= pb::Rating::SATISFIED && m.settled_rating() <= pb::Rating::UNREACHED)
    wo.settled = shift_down<sla::rating>(m.settled_rating());
  wo.redo_rounds = m.redo_rounds();
  wo.supervised = m.supervised();
  for (const auto& r : m.rating_invites()) wo.invites.push_back(invite_of(r));
  for (const auto& cl : m.clocks()) {
    auto kind = from_pb(cl.kind());
    if (!kind) return make_error_code(errc::corrupt);
    sla::clock k;
    k.kind = *kind;
    k.started = get_time(cl.started_at());
    k.deadline = get_time(cl.deadline());
    if (cl.has_stopped_at()) k.stopped = get_time(cl.stopped_at());
    if (cl.has_breached_at()) k.breached = get_time(cl.breached_at());
    k.limit = std::chrono::seconds{cl.limit_seconds()};
    k.retired = cl.retired();
    k.warnings = cl.warnings();
    k.working_days = cl.working_days();
    wo.clocks.push_back(k);
  }
  wo.recent_requests.assign(m.recent_requests().begin(), m.recent_requests().end());
  wo.photos.assign(m.photos().begin(), m.photos().end());
  if (m.has_reported_position())
    wo.reported_position = sla::position{m.reported_position().latitude(), m.reported_position().longitude(),
                                         m.reported_position().accuracy_m()};
  for (const auto& l : m.linked()) {
    if (l.channel() < pb::Channel::HOTLINE_12345 || l.channel() > pb::Channel::OPEN311)
      return make_error_code(errc::corrupt);
    sla::linked_request out;
    out.key = l.key();
    out.source = shift_down<sla::channel>(l.channel());
    out.external_no = l.external_no();
    out.who = {l.reporter().name(), l.reporter().phone()};
    out.content = l.content();
    out.address = l.address();
    out.photos.assign(l.photos().begin(), l.photos().end());
    out.at = get_time(l.at());
    out.why = l.why();
    wo.linked.push_back(std::move(out));
  }
  if (m.linked_count() > 0 && static_cast<std::size_t>(m.linked_count()) > wo.linked.size())
    wo.linked_more = static_cast<std::size_t>(m.linked_count()) - wo.linked.size();
  wo.linked_more_tickets.assign(m.linked_tickets().begin(), m.linked_tickets().end());
  return wo;
}

std::string encode_event(const sla::event& e) {
  pb::Event m;
  to_pb(e, m);
  return m.SerializeAsString();
}

namespace {

boost::system::result<sla::event> from_pb(const pb::Event& m) {
  if (m.kind() < pb::EventKind::ACCEPTED || m.kind() > pb::EventKind::SUPERVISED) return make_error_code(errc::corrupt);
  sla::event e;
  e.kind = shift_down<sla::event_kind>(m.kind());
  e.at = get_time(m.at());
  e.actor = m.actor();
  e.organisation = m.organisation();
  e.clock = from_pb(m.clock());
  if (m.has_deadline()) e.deadline = get_time(m.deadline());
  e.late_ms = m.late_ms();
  e.on_recovery = m.on_recovery();
  e.note = m.note();
  e.actor_id = m.actor_id();
  e.method = m.method();
  if (m.has_device_time()) e.device_time = get_time(m.device_time());
  if (m.has_position())
    e.where = sla::position{m.position().latitude(), m.position().longitude(), m.position().accuracy_m()};
  if (m.rating() >= pb::Rating::SATISFIED && m.rating() <= pb::Rating::UNREACHED)
    e.outcome = shift_down<sla::rating>(m.rating());
  return e;
}

}  // namespace

boost::system::result<sla::event> decode_event(std::string_view bytes) {
  pb::Event m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return make_error_code(errc::corrupt);
  return from_pb(m);
}

std::string journal_append(const std::vector<sla::event>& events, const std::vector<sla::notification>& owed) {
  pb::Journal j;
  for (const auto& e : events) to_pb(e, *j.add_events());
  for (const auto& n : owed) {
    auto* o = j.add_notices();
    o->set_key(n.key);
    o->set_recipient(sla::code_of(n.to));
    o->set_organisation(n.organisation);
    o->set_kind(n.kind);
  }
  return j.SerializeAsString();
}

namespace {

// A notification's key names its work order first ("W07-000123:ack:due0:holder:…"), and a
// settlement is kept in that work order's journal: there it is written without the id, and a
// delivery without its status, the commonest settlement of all (22 of its 63 bytes).
constexpr std::string_view delivered = "delivered";

std::string_view within_job(std::string_view key, std::string_view work_order) {
  if (!work_order.empty() && key.size() > work_order.size() && key.starts_with(work_order) &&
      key[work_order.size()] == ':')
    key.remove_prefix(work_order.size() + 1);
  return key;
}

}  // namespace

std::string journal_settlement(std::string_view work_order, std::string_view key, std::string_view status,
                               sla::instant at) {
  pb::Journal j;
  auto* s = j.add_settled();
  s->set_key(std::string(within_job(key, work_order)));
  if (status != delivered) s->set_status(std::string(status));
  set_time(s->mutable_settled_at(), at);
  return j.SerializeAsString();
}

boost::system::result<journal> decode_journal(std::string_view bytes) {
  pb::Journal j;
  if (!j.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return make_error_code(errc::corrupt);
  // Packed parts after the plain fields, in the order they were appended: every part written
  // plain came before the store was first written packed, and settlements stay plain (their
  // order among themselves is all that counts).
  const auto packed = std::move(*j.mutable_packed());
  j.clear_packed();
  for (const auto& p : packed) {
    auto plain = packing::unpack_record(p);
    pb::Journal part;
    if (!plain || !part.ParseFromString(*plain)) return make_error_code(errc::corrupt);
    j.MergeFrom(part);
  }
  journal out;
  out.events.reserve(j.events_size());
  for (const auto& m : j.events()) {
    auto e = from_pb(m);
    if (!e) return e.error();
    out.events.push_back(std::move(*e));
  }
  // Every notification owed names the job first; settlements are found by the rest of the key,
  // whether written with the id (before they were kept without it) or not.
  std::string_view job;
  if (!j.notices().empty()) job = std::string_view(j.notices(0).key()).substr(0, j.notices(0).key().find(':'));
  std::map<std::string_view, const pb::Notice*> last;  // a retried settlement: the last one holds
  for (const auto& s : j.settled()) last[within_job(s.key(), job)] = &s;
  for (const auto& m : j.notices()) {
    notice n;
    n.key = m.key();
    n.recipient = m.recipient();
    n.organisation = m.organisation();
    n.kind = m.kind();
    if (auto it = last.find(within_job(m.key(), job)); it != last.end()) {
      n.status = it->second->status().empty() ? std::string(delivered) : it->second->status();
      n.settled_at = get_time(it->second->settled_at());
    }
    out.notices.push_back(std::move(n));
  }
  return out;
}

std::string render_receipt(std::string_view outcome, const sla::work_order* wo, std::string_view reason,
                           std::string_view reply) {
  pb::ChannelReceipt m;
  m.set_outcome(std::string(outcome));
  m.set_reason(std::string(reason));
  m.set_reply(std::string(reply));
  if (wo) {
    m.set_work_order_id(wo->id);
    m.set_urgency(wo->cls.level == sla::urgency::urgent ? pb::Urgency::URGENT : pb::Urgency::GENERAL);
    m.set_category_name(wo->cls.category_name);
    m.set_holder(wo->holder);
    if (const auto* c = sla::promised_clock(*wo)) set_time(m.mutable_deadline(), c->deadline);
  }
  return to_json(m);
}

std::string render_work_order(const sla::work_order& wo, const std::vector<sla::event>& history, format f,
                              const std::vector<notice>& notices) {
  pb::WorkOrder m;
  to_pb(wo, m);
  for (const auto& e : history) to_pb(e, *m.add_history());
  for (const auto& n : notices) {
    auto* out = m.add_notices();
    out->set_key(n.key);
    out->set_recipient(n.recipient);
    out->set_organisation(n.organisation);
    out->set_kind(n.kind);
    out->set_status(n.status);
    if (n.settled_at) set_time(out->mutable_settled_at(), *n.settled_at);
  }
  if (f == format::protobuf) return m.SerializeAsString();
  return to_json(m);
}

namespace {

void to_pb(const sla::member& who, pb::Member& m) {
  m.set_id(who.id);
  m.set_name(who.name);
  m.set_organisation(who.organisation);
  m.set_role(shift_up<pb::Role::Value>(who.kind));
}

}  // namespace

namespace {

// A job in a list, with the clock it races and the time left on it.
void to_pb(const sla::work_order& wo, sla::instant now, pb::Job& job) {
  to_pb(wo, *job.mutable_work_order());
  if (const auto* c = sla::racing_clock(wo)) {
    job.set_clock(to_pb(c->kind));
    job.set_time_left_ms(std::chrono::duration_cast<std::chrono::milliseconds>(c->deadline - now).count());
  }
}

}  // namespace

std::string render_job_list(const std::vector<sla::work_order>& jobs, sla::instant now, const sla::member& who) {
  pb::JobList m;
  for (const auto& wo : jobs) to_pb(wo, now, *m.add_jobs());
  set_time(m.mutable_server_time(), now);
  to_pb(who, *m.mutable_member());
  return to_json(m);
}

std::string render_search_page(const std::vector<sla::work_order>& jobs, std::string_view next_cursor,
                               std::size_t scanned, sla::instant now) {
  pb::WorkOrderPage m;
  for (const auto& wo : jobs) to_pb(wo, now, *m.add_work_orders());
  m.set_next_cursor(std::string(next_cursor));
  m.set_scanned(static_cast<std::int32_t>(scanned));
  set_time(m.mutable_server_time(), now);
  return to_json(m);
}

std::optional<sla::wo_state> state_named(std::string_view name) {
  pb::State::Value v{};
  if (!pb::State::Value_Parse(std::string(name), &v) || v == pb::State::UNSPECIFIED) return std::nullopt;
  return shift_down<sla::wo_state>(v);
}

std::string render_login(const std::string& token, sla::instant expires_at, const sla::member& who) {
  pb::LoginResponse m;
  m.set_token(token);
  set_time(m.mutable_expires_at(), expires_at);
  to_pb(who, *m.mutable_member());
  return to_json(m);
}

std::string render_refusal(std::string_view code, std::string_view message, const sla::work_order& wo) {
  pb::Refusal m;
  m.mutable_error()->set_code(std::string(code));
  m.mutable_error()->set_message(std::string(message));
  to_pb(wo, *m.mutable_work_order());
  return to_json(m);
}

std::string error_json(std::string_view code, std::string_view field, std::string_view message) {
  pb::ErrorResponse m;
  m.mutable_error()->set_code(std::string(code));
  m.mutable_error()->set_field(std::string(field));
  m.mutable_error()->set_message(std::string(message));
  return to_json(m);
}

}  // namespace halfhour::codec
