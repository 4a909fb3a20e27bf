// The query of GET /v1/work-orders: the filters an operator searches by, the span of acceptance
// times, the page's size and where it starts (a cursor the previous page gave).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/input.hpp"
#include "sla/search.hpp"

namespace halfhour::channels {

struct search_query {
  sla::search_filter filter;
  std::optional<sla::instant> from;  // accepted at or after
  std::optional<sla::instant> to;    // accepted before
  std::optional<sla::index_position> cursor;
  std::size_t limit = 20;
};

struct search_parse {
  bool ok = false;
  search_query q;
  input_error error;
};

inline constexpr std::size_t max_search_limit = 100;

// ticket_no, phone (the whole number), community, state (names, comma separated, or OPEN for all
// but DONE), from and to (RFC 3339, or a date in Shanghai: `to` a date reads through that day),
// limit (1–100) and cursor. Unknown parameters are refused, so a misspelt filter never reads as
// "no filter".
search_parse parse_search(std::string_view query_string);

// The cursor of the page after `p`: "<ms since the epoch>.<id>".
std::string render_cursor(const sla::index_position& p);

}  // namespace halfhour::channels
