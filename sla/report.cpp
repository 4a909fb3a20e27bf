#include "sla/report.hpp"

#include <algorithm>
#include <map>

namespace halfhour::sla {

namespace {

constexpr std::string_view unknown_community = "（地址未识别）";
constexpr std::string_view unknown_committee = "（未识别）";

// One clock of one job, as its history tells it.
struct clock_story {
  std::optional<instant> deadline;  // of its latest start before the cut-off
  std::optional<instant> started;
  std::optional<instant> stopped;  // before the cut-off
  std::optional<instant> retired;
  const event* breach = nullptr;  // for `deadline`
  int warnings = 0;
  int reminders = 0;
};

clock_story story_of(const std::vector<event>& history, clock_kind k, instant cutoff) {
  clock_story s;
  for (const auto& e : history) {
    if (e.at >= cutoff && e.kind != event_kind::clock_breached) continue;
    if (!e.clock || *e.clock != k) continue;
    switch (e.kind) {
      case event_kind::clock_started:
        // A restart (a re-classification back) judges the clock by its newest deadline.
        s.deadline = e.deadline;
        s.started = e.at;
        s.stopped.reset();
        s.retired.reset();
        s.breach = nullptr;
        break;
      case event_kind::clock_stopped:
        if (!s.stopped) s.stopped = e.at;
        break;
      case event_kind::clock_retired: s.retired = e.at; break;
      case event_kind::clock_breached:
        if (e.deadline && s.deadline && *e.deadline == *s.deadline) s.breach = &e;
        break;
      case event_kind::warned: ++s.warnings; break;
      case event_kind::renotified:
        if (e.at < cutoff) ++s.reminders;
        break;
      default: break;
    }
  }
  return s;
}

// The organisation responsible for the job as of the cut-off: the last firm it was routed to,
// else the station. Hand-overs keep the firm responsible; routing by the station names a firm.
std::string responsible(const std::vector<event>& history, instant cutoff, std::string_view station) {
  std::string firm;
  for (const auto& e : history)
    if (e.kind == event_kind::routed && e.at < cutoff && !e.organisation.empty() && e.organisation != station)
      firm = e.organisation;
  return firm.empty() ? std::string(station) : firm;
}

group_stats& row(std::map<std::string, group_stats>& rows, const std::string& name) {
  auto& g = rows[name];
  g.name = name;
  return g;
}

std::vector<group_stats> sorted(std::map<std::string, group_stats> rows) {
  std::vector<group_stats> out;
  for (auto& [_, g] : rows) out.push_back(std::move(g));
  return out;
}

// The clocks whose breach 12345 hears of: the answers owed to the caller (on site, contact, first
// contact); not completion, resolution or a re-do.
bool is_told_to_hotline(clock_kind k) {
  return k == clock_kind::on_site || k == clock_kind::contact || k == clock_kind::first_contact;
}

std::string escalation_text(const breach_entry& b, bool hotline) {
  std::string text;
  if (b.warnings) text += "时限前预警" + std::to_string(b.warnings) + "次；";
  if (b.clock == clock_kind::acknowledge) {
    text += "超时通报应急维修服务站、责任物业";
  } else {
    text += std::string("超时通报建管中心、居委、责任物业") + (hotline && is_told_to_hotline(b.clock) ? "、12345" : "");
  }
  if (b.reminders) text += "；持续超时提醒" + std::to_string(b.reminders) + "次";
  if (b.to_station) text += "；急修工单转应急维修服务站";
  return text;
}

}  // namespace

std::optional<double> group_stats::on_time_rate() const {
  const int n = judged();
  if (n == 0) return std::nullopt;
  return static_cast<double>(acknowledge.met + on_site.met + contact.met + first_contact.met + resolution.met +
                             redo.met) /
         n;
}

namespace {
std::optional<double> share(int part, int whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / whole;
}
}  // namespace

std::optional<double> share_met(const tally& t) { return share(t.met, t.total()); }

std::optional<double> group_stats::first_contact_rate() const {
  return share(on_site.met + contact.met + first_contact.met,
               on_site.total() + contact.total() + first_contact.total());
}
std::optional<double> group_stats::satisfaction_rate() const { return share(satisfied, rated); }
std::optional<double> group_stats::content_rate() const { return share(satisfied + basically_satisfied, rated); }
std::optional<double> group_stats::resolution_rate() const { return share(rated - dissatisfied, rated); }
std::optional<double> group_stats::redo_rate() const { return share(reopened, rated); }

std::optional<long long> median_of(std::vector<long long> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<long long> p90_of(std::vector<long long> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const std::size_t rank = (v.size() * 9 + 9) / 10;  // ceil(0.9 n), nearest rank
  return v[rank - 1];
}

instant records_needed_from(month m) { return m.previous().start() - std::chrono::hours{24 * 25}; }

namespace {

// Where one job counts and what the report says of it: the total, its firm, its residents'
// committee and its community, and when it was accepted.
struct job_rows {
  std::string firm;
  std::string community;
  std::string committee;
  std::array<group_stats*, 4> groups{};
  instant accepted{};
};

job_rows rows_of(const order_record& rec, report& out, std::map<std::string, group_stats>& firms,
                 std::map<std::string, group_stats>& committees, std::map<std::string, group_stats>& communities,
                 instant cutoff, std::string_view station) {
  const auto& wo = rec.wo;
  job_rows j;
  j.firm = responsible(rec.history, cutoff, station);
  j.community = wo.where.community_name.empty() ? std::string(unknown_community) : wo.where.community_name;
  j.committee = wo.where.committee.empty() ? std::string(unknown_committee) : wo.where.committee;
  j.groups = {&out.total, &row(firms, j.firm), &row(committees, j.committee), &row(communities, j.community)};
  j.groups[3]->firm = j.firm;
  j.groups[3]->committee = j.committee;
  j.accepted = wo.accepted_at;
  for (const auto& e : rec.history)
    if (e.kind == event_kind::accepted) j.accepted = e.at;
  return j;
}

// A clock that was not met, as the breach list shows it.
breach_entry breach_of(const order_record& rec, const job_rows& j, clock_kind k, const clock_story& s, instant cutoff) {
  const auto& wo = rec.wo;
  const auto deadline = *s.deadline;
  breach_entry b;
  b.work_order = wo.id;
  b.community = j.community;
  b.committee = j.committee;
  b.firm = j.firm;
  b.clock = k;
  b.level = wo.cls.level;
  b.kind = wo.cls.kind;
  b.category_name = wo.cls.category_name;
  b.source = wo.source;
  b.accepted = j.accepted;
  b.deadline = deadline;
  if (s.stopped && *s.stopped > deadline) b.stopped = s.stopped;
  b.late_ms = std::chrono::duration_cast<duration>((b.stopped ? *b.stopped : cutoff) - deadline).count();
  b.on_recovery = s.breach && s.breach->on_recovery;
  b.warnings = s.warnings;
  b.reminders = s.reminders;
  if (k == clock_kind::acknowledge)
    for (const auto& e : rec.history)
      if (e.kind == event_kind::handed_over && e.actor.empty() && e.at >= deadline && e.at < cutoff)
        b.to_station = true;
  b.escalation = escalation_text(b, wo.source == channel::hotline_12345);
  return b;
}

// Judges clock `k` of the job in the month of its deadline: met or breached for every group the
// job counts for, its time to contact or on site kept, and an entry in the breach list.
void judge(report& out, const order_record& rec, const job_rows& j, clock_kind k, instant from, instant cutoff) {
  const auto s = story_of(rec.history, k, cutoff);
  if (!s.deadline || *s.deadline < from || *s.deadline >= cutoff) return;
  const auto deadline = *s.deadline;
  const bool met = s.stopped && *s.stopped <= deadline && !s.breach;
  if (!met && !s.breach && s.retired && *s.retired <= deadline) return;  // no longer owed
  auto pick = [&](group_stats* g) -> tally& {
    switch (k) {
      case clock_kind::acknowledge: return g->acknowledge;
      case clock_kind::on_site: return g->on_site;
      case clock_kind::first_contact: return g->first_contact;
      case clock_kind::resolution: return g->resolution;
      case clock_kind::redo: return g->redo;
      case clock_kind::contact:
      case clock_kind::completion: break;
    }
    return g->contact;
  };
  const bool urgent = rec.wo.cls.kind == request_kind::repair && rec.wo.cls.level == urgency::urgent;
  for (auto* g : j.groups) {
    ++(met ? pick(g).met : pick(g).breached);
    if (urgent) ++(met ? g->urgent_clocks.met : g->urgent_clocks.breached);
  }
  if (s.stopped && (k == clock_kind::on_site || k == clock_kind::contact) && s.started) {
    const long long ms = std::chrono::duration_cast<duration>(*s.stopped - j.accepted).count();
    for (auto* g : j.groups) (k == clock_kind::on_site ? g->to_on_site_ms : g->to_contact_ms).push_back(ms);
  }
  if (met) return;
  out.breaches.push_back(breach_of(rec, j, k, s, cutoff));
  ++out.days[static_cast<std::size_t>(day_of_month(deadline) - 1)].breaches;
}

// The call-backs of one job this month, replayed as the state machine counts them: after each 完工
// the first answer reached settles, the others are kept only.
void count_callbacks(const order_record& rec, const job_rows& j, instant from, instant cutoff) {
  bool awaiting = false;
  for (const auto& e : rec.history) {
    if (e.at >= cutoff) break;
    const bool in_month = e.at >= from;
    if (e.kind == event_kind::completed) awaiting = true;
    if (e.kind == event_kind::reopened && in_month)
      for (auto* g : j.groups) ++g->reopened;
    if (e.kind == event_kind::supervised && in_month)
      for (auto* g : j.groups) ++g->supervised;
    if (e.kind != event_kind::rated || !e.outcome || *e.outcome == rating::unreached || !awaiting) continue;
    awaiting = false;
    if (!in_month) continue;
    for (auto* g : j.groups) {
      ++g->rated;
      if (*e.outcome == rating::satisfied) ++g->satisfied;
      if (*e.outcome == rating::basically_satisfied) ++g->basically_satisfied;
      if (*e.outcome == rating::dissatisfied) ++g->dissatisfied;
    }
  }
}

}  // namespace

report compute_report(const std::vector<order_record>& records, month m, std::string_view station,
                      std::optional<instant> as_of) {
  report out;
  out.m = m;
  out.total.name = "合计";
  out.days.resize(static_cast<std::size_t>(m.days()));
  const auto from = m.start();
  const auto cutoff = as_of ? std::clamp(*as_of, from, m.end()) : m.end();
  auto in_month = [&](instant t) { return t >= from && t < cutoff; };
  std::map<std::string, group_stats> firms, committees, communities;

  for (const auto& rec : records) {
    const auto& wo = rec.wo;
    const auto j = rows_of(rec, out, firms, committees, communities, cutoff, station);
    if (in_month(j.accepted)) {
      for (auto* g : j.groups) {
        ++g->received;
        ++(wo.cls.kind == request_kind::complaint ? g->complaints
           : wo.cls.level == urgency::urgent      ? g->urgent
                                                  : g->general);
        ++g->by_channel[static_cast<std::size_t>(wo.source)];
      }
      ++out.days[static_cast<std::size_t>(day_of_month(j.accepted) - 1)].received;
    }
    for (const auto& e : rec.history)
      if (e.kind == event_kind::handed_over && in_month(e.at))
        for (auto* g : j.groups) ++g->handed_over;
    for (auto k : {clock_kind::acknowledge, clock_kind::on_site, clock_kind::contact, clock_kind::first_contact,
                   clock_kind::resolution, clock_kind::redo})
      judge(out, rec, j, k, from, cutoff);
    count_callbacks(rec, j, from, cutoff);
  }
  std::sort(out.breaches.begin(), out.breaches.end(), [](const breach_entry& a, const breach_entry& b) {
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    if (a.work_order != b.work_order) return a.work_order < b.work_order;
    return a.clock < b.clock;
  });
  out.firms = sorted(std::move(firms));
  out.committees = sorted(std::move(committees));
  out.communities = sorted(std::move(communities));
  return out;
}

std::vector<const group_stats*> worst(const std::vector<group_stats>& groups, std::size_t n) {
  std::vector<const group_stats*> out;
  for (const auto& g : groups)
    if (g.breaches() > 0) out.push_back(&g);
  std::sort(out.begin(), out.end(), [](const group_stats* a, const group_stats* b) {
    if (a->breaches() != b->breaches()) return a->breaches() > b->breaches();
    const double ra = a->on_time_rate().value_or(1), rb = b->on_time_rate().value_or(1);
    if (ra != rb) return ra < rb;
    return a->name < b->name;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace halfhour::sla
