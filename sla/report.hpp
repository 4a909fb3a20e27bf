// The monthly breach report for the construction management centre (建管中心), computed from
// work-order histories alone, so the same month always gives the same report.
//
// What counts where:
//   - a ticket is received in the month it was accepted;
//   - a clock (acknowledge, on site, contact; a complaint's first contact and resolution) is
//     judged in the month of its deadline: met when
//     it stopped by the deadline, breached otherwise (a retired clock is not judged, unless it
//     breached first); every deadline of a past month is settled by then, so nothing judged
//     changes later;
//   - times to contact / on site and how late a breach was use only what was recorded before
//     the month ended; a breach still open then is reported as such, late until the month's end;
//   - a job counts for the firm responsible for it as the month ended (the station while it
//     never reached a firm), and for its community and residents' committee.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sla/calendar.hpp"
#include "sla/work_order.hpp"

namespace halfhour::sla {

struct order_record {
  work_order wo;
  std::vector<event> history;
};

struct tally {
  int met = 0;
  int breached = 0;
  int total() const { return met + breached; }
};

inline constexpr std::size_t channel_count = 6;

struct group_stats {
  std::string name;
  std::string firm;       // a community's firm
  std::string committee;  // a community's committee
  int received = 0;
  int urgent = 0;  // repairs
  int general = 0;
  int complaints = 0;  // 物业投诉
  std::array<int, channel_count> by_channel{};
  tally acknowledge;
  tally on_site;
  tally contact;
  tally first_contact;  // a complaint's, in working days
  tally resolution;
  tally redo;                            // a re-do after 不满意 (重办), in working days
  tally urgent_clocks;                   // every clock above of an urgent repair, again
  std::vector<long long> to_on_site_ms;  // acceptance to on-site check-in, clocks judged this month
  std::vector<long long> to_contact_ms;
  int handed_over = 0;  // jobs moved to the station this month (a crew's hand-over or the fallback)
  // Call-backs settled this month (the first answer reached after each 完工; 未接通 is none), and
  // the re-dos and the centre's cases they brought.
  int rated = 0;
  int satisfied = 0;
  int basically_satisfied = 0;
  int dissatisfied = 0;
  int reopened = 0;
  int supervised = 0;

  // 先联率: the first answers owed the caller (on site, contact, a complaint's first contact) on time.
  std::optional<double> first_contact_rate() const;
  // Over the call-backs settled: 满意, 满意+基本满意, not 不满意 (解决率), sent back (重办率).
  std::optional<double> satisfaction_rate() const;
  std::optional<double> content_rate() const;
  std::optional<double> resolution_rate() const;
  std::optional<double> redo_rate() const;

  int breaches() const {
    return acknowledge.breached + on_site.breached + contact.breached + first_contact.breached + resolution.breached +
           redo.breached;
  }
  int judged() const {
    return acknowledge.total() + on_site.total() + contact.total() + first_contact.total() + resolution.total() +
           redo.total();
  }
  // Met clocks over judged clocks; nothing judged: none.
  std::optional<double> on_time_rate() const;
};

// Met over judged; nothing judged: none.
std::optional<double> share_met(const tally& t);

// The middle and the 90th percentile (nearest rank) of a list of durations.
std::optional<long long> median_of(std::vector<long long> v);
std::optional<long long> p90_of(std::vector<long long> v);

struct breach_entry {
  std::string work_order;
  std::string community;
  std::string committee;
  std::string firm;
  clock_kind clock = clock_kind::on_site;
  urgency level = urgency::urgent;
  request_kind kind = request_kind::repair;
  std::string category_name;
  channel source = channel::hotline_12345;
  instant accepted{};
  instant deadline{};
  std::optional<instant> stopped;  // when the clock stopped, if before the month ended
  long long late_ms = 0;           // stopped (or the month's end) minus the deadline
  bool on_recovery = false;        // recorded when the engine came back
  int warnings = 0;                // warnings sent before the deadline
  int reminders = 0;               // reminders after it, before the month ended
  bool to_station = false;         // the urgent job went to the station for want of acknowledgement
  std::string escalation;          // what the ladder did, in Chinese
};

struct day_stats {
  int received = 0;
  int breaches = 0;
};

struct report {
  month m;
  group_stats total;
  std::vector<group_stats> firms;        // by name
  std::vector<group_stats> committees;   // by name
  std::vector<group_stats> communities;  // by name
  std::vector<breach_entry> breaches;    // by deadline, then work order
  std::vector<day_stats> days;           // one per day of the month
};

// `station` names the emergency repair station (the firm of jobs no firm took). A month still
// running is reported `as_of` a moment in it: only what was due by then is judged.
report compute_report(const std::vector<order_record>& records, month m, std::string_view station,
                      std::optional<instant> as_of = std::nullopt);

// The worst first: most breaches, then the lowest on-time rate, then by name.
std::vector<const group_stats*> worst(const std::vector<group_stats>& groups, std::size_t n);

// The records a report of `m` (and the month before it, for comparison) needs were accepted from
// this instant on: a complaint's deadline of five working days reaches back that far, and more
// across 春节 (nine days off).
instant records_needed_from(month m);

}  // namespace halfhour::sla
