// The layout's armed steps (layout.hpp): a job's steps in one field of its shard's steps hash,
// their names and moments; and the pages of the layouts before, read for moving them over.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "adapters/redis/layout.hpp"

namespace halfhour::redis::layout {

using boost::system::result;

bool taken_over(std::string_view mark) {
  return mark == "2" || mark == "3" || mark == "4" || mark == "5" || mark == "moving to 4" || mark == "moving to 5" ||
         mark == moving;
}

std::string step_name(const sla::deadline& d) {
  switch (d.s) {
    case sla::step::due: return sla::code_of(d.kind);
    case sla::step::warn: return fmt::format("{}.{}", sla::code_of(d.kind), d.index);
    case sla::step::renotify: return fmt::format("{}!", sla::code_of(d.kind));
  }
  return {};
}

std::optional<sla::deadline> parse_step_name(std::string_view name, sla::instant at) {
  const auto mark = name.find_first_of(".!");
  auto kind = sla::clock_from_code(name.substr(0, mark));
  if (!kind) return std::nullopt;
  sla::deadline d{*kind, at};
  if (mark == std::string_view::npos) return d;
  if (name[mark] == '!') {
    if (mark + 1 != name.size()) return std::nullopt;
    d.s = sla::step::renotify;
    return d;
  }
  auto index = number_of(name.substr(mark + 1), 10);
  if (!index || *index < 0 || *index > 99) return std::nullopt;
  d.s = sla::step::warn;
  d.index = static_cast<int>(*index);
  return d;
}

bool parse_steps(std::string_view id, std::string_view steps, std::vector<armed_deadline>& out) {
  bool whole = !steps.empty();
  for (std::size_t from = 0; from < steps.size();) {
    auto comma = steps.find(',', from);
    if (comma == std::string_view::npos) comma = steps.size();
    const auto part = steps.substr(from, comma - from);
    from = comma + 1;
    const auto at = part.find('@');
    auto ms = at == std::string_view::npos ? std::nullopt : number_of(part.substr(at + 1), 36);
    auto d = ms ? parse_step_name(part.substr(0, at), sla::from_ms(*ms)) : std::nullopt;
    if (!d) {
      whole = false;
      continue;
    }
    out.push_back({std::string(id), *d});
  }
  return whole;
}

std::optional<armed_deadline> parse_deadline_member(std::string_view m, sla::instant at) {
  auto bar = m.find('|');
  if (bar == std::string_view::npos) return std::nullopt;
  auto rest = m.substr(bar + 1);
  auto bar2 = rest.find('|');
  auto kind = sla::clock_from_code(rest.substr(0, bar2));
  if (!kind) return std::nullopt;
  armed_deadline out{std::string(m.substr(0, bar)), {*kind, at}};
  if (bar2 == std::string_view::npos) return out;
  auto step = rest.substr(bar2 + 1);
  if (step == "renotify") {
    out.due.s = sla::step::renotify;
    return out;
  }
  auto index = step.starts_with("warn") ? number_of(step.substr(4), 10) : std::nullopt;
  if (!index || *index < 0 || *index > 99) return std::nullopt;
  out.due.s = sla::step::warn;
  out.due.index = static_cast<int>(*index);
  return out;
}

result<long long> bucket_count_of(const reply& r) {
  if (r.type == reply::kind::nil) return 0;  // no id taken yet
  auto last = r.type == reply::kind::string ? number_of(r.str, 10) : std::nullopt;
  if (!last || *last < 0) return error_of(r);
  return *last / bucket_size + 1;
}

result<std::vector<armed_deadline>> bucket_steps_of(const std::vector<reply>& buckets) {
  std::vector<armed_deadline> out;
  for (const auto& b : buckets) {
    if (b.type != reply::kind::array) return error_of(b);
    for (std::size_t i = 0; i + 1 < b.elements.size(); i += 2)
      if (!parse_steps(b.elements[i].str, b.elements[i + 1].str, out))
        spdlog::error("redis: ignoring malformed armed steps of {}: {}", b.elements[i].str, b.elements[i + 1].str);
  }
  return out;
}

result<std::vector<armed_deadline>> overdue_of(const std::vector<reply>& shards, sla::instant before) {
  std::vector<armed_deadline> out;
  for (const auto& shard : shards) {
    if (shard.type != reply::kind::array) return error_of(shard);
    for (std::size_t i = 0; i + 1 < shard.elements.size(); i += 2) {
      std::vector<armed_deadline> steps;
      parse_steps(shard.elements[i].str, shard.elements[i + 1].str, steps);
      for (auto& s : steps)
        if (s.due.at <= before) out.push_back(std::move(s));
    }
  }
  return out;
}

result<legacy_page> legacy_page_of(const reply& r) {
  if (!is_pair(r) || r.elements[1].type != reply::kind::array) return error_of(r);
  legacy_page out{r.elements[0].str, {}};
  const auto& items = r.elements[1].elements;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    const auto ms = ms_of_score(items[i + 1].str);
    auto d = parse_deadline_member(items[i].str, sla::from_ms(ms));
    if (!d) {
      spdlog::error("redis: leaving a malformed deadline member of an older layout: {}", items[i].str);
      continue;
    }
    out.moves.insert(out.moves.end(), {items[i].str, d->id, step_name(d->due), std::to_string(ms)});
  }
  return out;
}

result<scan_page> scan_page_of(const reply& r) {
  if (!is_pair(r) || r.elements[1].type != reply::kind::array) return error_of(r);
  scan_page out{r.elements[0].str, {}};
  const auto& items = r.elements[1].elements;
  for (std::size_t i = 0; i < items.size(); i += 2) out.members.push_back(items[i].str);
  return out;
}

result<scan_page> hash_page_of(const reply& r) {
  if (!is_pair(r) || r.elements[1].type != reply::kind::array) return error_of(r);
  scan_page out{r.elements[0].str, {}};
  for (const auto& item : r.elements[1].elements) out.members.push_back(item.str);
  return out;
}

}  // namespace halfhour::redis::layout
