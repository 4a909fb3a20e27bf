// Who may see and act on a work order: the organisation that holds it. A crew of one firm never
// sees another firm's jobs; a firm whose job moved to the station sees it but can no longer act.
// The centre and the station (the sub-district's desk) read every job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sla/directory.hpp"
#include "sla/work_order.hpp"

namespace halfhour::sla {

// A committee member writes down walk-in and suggestion-box requests for its communities.
enum class role { crew, manager, station, supervisor, committee };

struct member {
  std::string id;  // the login phone number
  std::string name;
  std::string organisation;
  role kind = role::crew;
};

enum class access {
  allowed,
  forbidden,  // not this organisation's job: 403
  moved,      // this organisation's job once, held by someone else now: 409
};

access may_see(const work_order& wo, const member& m);
access may_act(const work_order& wo, const member& m);

// Who may change a job's urgent/general call: the station and the centre on any job, the holding
// firm's manager on its own; a crew of the holder may only ask for it (the station decides).
enum class reclassify_right { none, request, apply };
reclassify_right may_reclassify(const work_order& wo, const member& m);

// The dispatchers' desk: a firm's manager or the station gives a job to one of its crews; only
// the station routes a job it triages to a community's firm.
bool may_assign(const member& m);
bool may_route(const member& m);

// Who a job is given to: a crew, never a manager, the station's desk or the centre.
bool may_be_assigned(const member& m);

// Walk-in visits and the suggestion box are registered by residents' committee staff.
bool may_register_walk_in(const member& m);

// The monthly breach report is for the centre and the station (or a signed link).
bool may_read_reports(const member& m);

// The live board is for the centre and the station.
bool may_watch_board(const member& m);

// The operators' console is for the station, the centre and the firms' managers.
bool may_use_console(const member& m);

// The reporter's phone is for the crew sent to them and for those who dispatch it.
bool sees_reporter_phone(const work_order& wo, const member& m);

// What a member is shown of a work order it may see: reporters' phones (the job's own and its
// linked reports') masked unless sees_reporter_phone.
work_order member_view(work_order wo, const member& m);

// What a client door (12345, a bot, an operator's answer about a job it may not see) is told of
// a job it did not create: its id, state, holder, category and clocks. Nothing of any reporter
// (name, phone, text, address, room), no staff, no history.
work_order receipt_view(const work_order& wo);

// A job as it stands in a list: the first `keep` linked reports with who reported them (their
// text dropped), the rest counted. A job with hundreds of reports stays a small list entry.
work_order list_view(work_order wo, std::size_t keep = 5);

// Which organisation a role may belong to: crews and managers to a firm of the directory or the
// station, station staff to the station, supervisors to the centre, committee staff to a
// residents' committee of the directory.
bool role_fits(role r, std::string_view organisation, const directory& dir);

// Who may split a wrongly joined report off a job: the station, the centre, the holder's manager.
bool may_unlink(const work_order& wo, const member& m);

// The organisations whose open jobs a member's list shows (the centre: every firm and the
// station), and whether one of those jobs is in it (a crew sees its firm's unassigned jobs and
// its own).
std::vector<std::string> organisations_listed(const member& m, const directory& dir);
bool listed_for(const work_order& wo, const member& m);

}  // namespace halfhour::sla
