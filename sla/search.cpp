#include "sla/search.hpp"

#include <algorithm>

namespace halfhour::sla {

std::string phone_digits(std::string_view phone) {
  std::string d;
  for (char c : phone)
    if (c >= '0' && c <= '9') d += c;
  // The country code before a mobile number, the city's code before a Shanghai landline.
  if (d.size() == 15 && d.starts_with("0086")) d.erase(0, 4);
  if (d.size() == 13 && d.starts_with("86") && d[2] == '1') d.erase(0, 2);
  if (d.size() == 11 && d.starts_with("021")) d.erase(0, 3);
  return d;
}

bool whole_phone(std::string_view digits) {
  if (digits.empty()) return false;
  const char first = digits.front();
  if (first == '1') return digits.size() == 11;                         // a mobile
  if (first == '0') return digits.size() >= 10 && digits.size() <= 12;  // another city's, with its code
  return digits.size() == 8;                                            // a Shanghai landline
}

namespace {

bool has_ticket(const work_order& wo, const std::string& no) {
  if (wo.source == channel::hotline_12345 && wo.external_no == no) return true;
  if (std::ranges::any_of(wo.linked, [&](const linked_request& l) {
        return l.source == channel::hotline_12345 && l.external_no == no;
      }))
    return true;
  return std::ranges::find(wo.linked_more_tickets, no) != wo.linked_more_tickets.end();
}

bool has_phone(const work_order& wo, const std::string& digits) {
  if (phone_digits(wo.who.phone) == digits) return true;
  return std::ranges::any_of(wo.linked, [&](const linked_request& l) { return phone_digits(l.who.phone) == digits; });
}

}  // namespace

bool matches(const work_order& wo, const search_filter& f) {
  if (!f.ticket_no.empty() && !has_ticket(wo, f.ticket_no)) return false;
  if (!f.phone.empty() && !has_phone(wo, f.phone)) return false;
  if (!f.community.empty() && wo.where.community_name != f.community) return false;
  if (!f.states.empty() && std::ranges::find(f.states, wo.state) == f.states.end()) return false;
  return true;
}

bool after(const index_position& a, const index_position& b) {
  if (a.at != b.at) return a.at < b.at;
  return a.id < b.id;
}

}  // namespace halfhour::sla
