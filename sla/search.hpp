// Finding work orders by what an operator knows of them: a 12345 ticket number, the reporter's
// phone, the community, the state. The engine reads the acceptance index newest first, a page
// at a time; what decides whether a job is in the answer is here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sla/time.hpp"
#include "sla/work_order.hpp"

namespace halfhour::sla {

struct search_filter {
  std::string ticket_no;         // the job's own 12345 number or a linked report's
  std::string phone;             // as phone_digits gives it
  std::string community;         // a community of the directory, as the resolver named it
  std::vector<wo_state> states;  // any of these; empty: any
};

// A phone number as its digits, so that "+86 138-1234-5678", "8613812345678" and "13812345678"
// are one number, as are "021-5888 1234" and "58881234".
std::string phone_digits(std::string_view phone);

// Whether `digits` can be a whole number (a mobile's 11, a Shanghai landline's 8, another city's
// landline with its area code). A search by
// phone takes the whole number only: with a part of one, anyone who may search could list
// residents by trying digits.
bool whole_phone(std::string_view digits);

bool matches(const work_order& wo, const search_filter& f);

// A place in the acceptance index read newest first: acceptance time, then id, both descending,
// so pages given by the last entry read never skip nor repeat a job, whatever shares a moment.
struct index_position {
  instant at{};
  std::string id;
  bool operator==(const index_position&) const = default;
};

// Whether `a` is read after `b` (older, or as old with a smaller id).
bool after(const index_position& a, const index_position& b);

}  // namespace halfhour::sla
