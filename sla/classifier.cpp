#include "sla/classifier.hpp"

#include <algorithm>
#include <stdexcept>

#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

// Two terms of one pattern belong together only when this few code points lie between them:
// "电梯……坏" across a whole sentence says nothing about the lift.
constexpr std::size_t max_gap_code_points = 8;

std::string norm(std::string_view s) { return to_utf8(normalise(to_u32(s))); }

std::vector<std::string> norm_all(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) {
    auto n = norm(s);
    if (!n.empty()) out.push_back(std::move(n));
  }
  // Longest first, so "没有" is tried before "没" and "但是" before "但".
  std::stable_sort(out.begin(), out.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return out;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool contains_any(std::string_view text, const std::vector<std::string>& cues, std::string* which = nullptr) {
  for (const auto& c : cues) {
    if (text.find(c) != std::string_view::npos) {
      if (which) *which = c;
      return true;
    }
  }
  return false;
}

std::vector<std::string> split_clauses(const std::string& text, const std::vector<std::string>& breaks) {
  std::vector<std::string> out;
  std::string cur;
  std::size_t i = 0;
  while (i < text.size()) {
    bool cut = false;
    for (const auto& b : breaks) {
      if (text[i] != b.front()) continue;  // most bytes start no break: skip the comparison call
      if (text.compare(i, b.size(), b) == 0) {
        if (!cur.empty()) out.push_back(std::move(cur));
        cur.clear();
        i += b.size();
        cut = true;
        break;
      }
    }
    if (!cut) cur.push_back(text[i++]);
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

enum class match_status { live, negated, resolved, past };

struct match {
  std::size_t category = 0;
  std::size_t clause = 0;
  std::vector<std::string> words;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // byte [begin, end) per term
  match_status status = match_status::live;
  std::string cue;

  std::size_t begin() const { return spans.front().first; }
  std::size_t end() const { return spans.back().second; }
};

bool negated_at(std::string_view clause, std::size_t pos, const std::vector<std::string>& cues, std::string* cue) {
  auto before = clause.substr(0, pos);
  for (const auto& c : cues) {
    if (before.ends_with(c)) {
      *cue = c;
      return true;
    }
  }
  return false;
}

// Finds the pattern's terms in order, each within the gap limit of the one before. Prefers an
// occurrence no negation cue stands in front of; reports a negated one only if that is all.
// `hits` holds every occurrence of every term in the clause, sorted by term then offset.
bool find_pattern(const std::string& clause, const std::vector<std::string>& terms,
                  const std::vector<std::uint32_t>& ids,
                  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& hits,
                  const std::vector<std::string>& negations, match& out) {
  // The first offset >= `from` at which term `id` occurs, as std::string::find would say.
  auto next_at = [&hits](std::uint32_t id, std::size_t from) -> std::size_t {
    auto it = std::lower_bound(hits.begin(), hits.end(), std::make_pair(id, static_cast<std::uint32_t>(from)));
    return it != hits.end() && it->first == id ? it->second : std::string::npos;
  };
  if (next_at(ids.front(), 0) == std::string::npos) return false;  // the common case, at once
  std::size_t start = 0;
  bool negated = false;
  std::string neg_cue;
  out.spans.clear();
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const auto& term = terms[t];
    std::size_t from = start;
    std::size_t found = std::string::npos;
    bool found_negated = false;
    std::string cue;
    while (true) {
      auto p = next_at(ids[t], from);
      if (p == std::string::npos) break;
      if (t > 0 && code_points(std::string_view(clause).substr(start, p - start)) > max_gap_code_points) break;
      std::string c;
      bool neg = negated_at(clause, p, negations, &c);
      if (found == std::string::npos || (found_negated && !neg)) {
        found = p;
        found_negated = neg;
        cue = c;
      }
      if (!neg) break;
      from = p + term.size();
    }
    if (found == std::string::npos) return false;
    if (found_negated) {
      negated = true;
      neg_cue = cue;
    }
    out.spans.emplace_back(found, found + term.size());
    start = found + term.size();
  }
  out.words = terms;
  if (negated) {
    out.status = match_status::negated;
    out.cue = neg_cue;
  }
  return true;
}

std::string note_for(const match& m) {
  switch (m.status) {
    case match_status::negated: return "已排除：前有否定词“" + m.cue + "”";
    case match_status::resolved: return "已排除：同一句中有“" + m.cue + "”，问题已解决";
    case match_status::past: return "已排除：同一句中有“" + m.cue + "”，说的是过去的事";
    case match_status::live: break;
  }
  return {};
}

}  // namespace

classifier::classifier(classifier_rules rules) : rules_(std::move(rules)) {
  if (rules_.categories.empty()) throw std::invalid_argument("classifier rules: no categories");
  rules_.clause_breaks = norm_all(rules_.clause_breaks);
  rules_.negation_cues = norm_all(rules_.negation_cues);
  rules_.resolved_cues = norm_all(rules_.resolved_cues);
  rules_.past_cues = norm_all(rules_.past_cues);
  rules_.ongoing_cues = norm_all(rules_.ongoing_cues);
  rules_.tone_cues = norm_all(rules_.tone_cues);
  rules_.advert_cues = norm_all(rules_.advert_cues);
  rules_.chat_cues = norm_all(rules_.chat_cues);
  rules_.request_cues = norm_all(rules_.request_cues);
  for (const auto& rule : rules_.categories) {
    if (rule.code.empty()) throw std::invalid_argument("classifier rules: a category has no code");
    compiled_category cc{rule, {}};
    for (const auto& p : rule.patterns) {
      pattern compiled;
      std::size_t from = 0;
      while (from <= p.size()) {
        auto plus = p.find('+', from);
        auto term = norm(p.substr(from, plus == std::string::npos ? std::string::npos : plus - from));
        if (term.empty())
          throw std::invalid_argument("classifier rules: empty term in pattern \"" + p + "\" of " + rule.code);
        auto known = std::find(terms_.begin(), terms_.end(), term);
        compiled.ids.push_back(static_cast<std::uint32_t>(known - terms_.begin()));
        if (known == terms_.end()) terms_.push_back(term);
        compiled.terms.push_back(std::move(term));
        if (plus == std::string::npos) break;
        from = plus + 1;
      }
      cc.patterns.push_back(std::move(compiled));
    }
    compiled_.push_back(std::move(cc));
  }
  starting_with_.resize(terms_.size());
  for (std::uint32_t k = 0; k < compiled_.size(); ++k)
    for (std::uint32_t i = 0; i < compiled_[k].patterns.size(); ++i)
      starting_with_[compiled_[k].patterns[i].ids.front()].emplace_back(k, i);
  // The automaton: a trie of the terms, then failure links turned into direct transitions
  // breadth first, so a clause is scanned with one table lookup per byte.
  term_node root;
  root.next.fill(-1);
  automaton_.push_back(root);
  for (std::uint32_t id = 0; id < terms_.size(); ++id) {
    std::int32_t node = 0;
    for (unsigned char c : terms_[id]) {
      if (automaton_[static_cast<std::size_t>(node)].next[c] < 0) {
        term_node n;
        n.next.fill(-1);
        automaton_.push_back(n);
        automaton_[static_cast<std::size_t>(node)].next[c] = static_cast<std::int32_t>(automaton_.size() - 1);
      }
      node = automaton_[static_cast<std::size_t>(node)].next[c];
    }
    automaton_[static_cast<std::size_t>(node)].out.push_back(id);
  }
  std::vector<std::int32_t> fail(automaton_.size(), 0);
  std::vector<std::int32_t> queue;
  for (auto& child : automaton_[0].next) {
    if (child < 0) {
      child = 0;
    } else {
      queue.push_back(child);
    }
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const auto v = queue[head];
    auto& node = automaton_[static_cast<std::size_t>(v)];
    const auto& inherited = automaton_[static_cast<std::size_t>(fail[static_cast<std::size_t>(v)])].out;
    node.out.insert(node.out.end(), inherited.begin(), inherited.end());
    for (int c = 0; c < 256; ++c) {
      auto& child = automaton_[static_cast<std::size_t>(v)].next[static_cast<std::size_t>(c)];
      const auto via_fail = automaton_[static_cast<std::size_t>(fail[static_cast<std::size_t>(v)])].next[static_cast<std::size_t>(c)];
      if (child < 0) {
        child = via_fail;
      } else {
        fail[static_cast<std::size_t>(child)] = via_fail;
        queue.push_back(child);
      }
    }
  }
}

classifier::term_hits classifier::find_terms(std::string_view clause) const {
  term_hits hits;
  std::int32_t node = 0;
  for (std::size_t i = 0; i < clause.size(); ++i) {
    node = automaton_[static_cast<std::size_t>(node)].next[static_cast<unsigned char>(clause[i])];
    for (auto id : automaton_[static_cast<std::size_t>(node)].out)
      hits.emplace_back(id, static_cast<std::uint32_t>(i + 1 - terms_[id].size()));
  }
  std::sort(hits.begin(), hits.end());
  return hits;
}

const category_rule* classifier::find(std::string_view code) const {
  for (const auto& c : compiled_) {
    if (c.rule.code == code || c.rule.name == code) return &c.rule;
  }
  return nullptr;
}

classification classifier::classify(std::string_view raw, const classification_hints& hints) const {
  const std::string text = norm(raw);
  const auto clauses = split_clauses(text, rules_.clause_breaks);

  std::vector<match> matches;
  for (std::size_t ci = 0; ci < clauses.size(); ++ci) {
    const auto& clause = clauses[ci];
    const auto hits = find_terms(clause);
    if (hits.empty()) continue;  // no term of any pattern: nothing more to learn from this clause
    std::string resolved_cue, past_cue;
    bool resolved = contains_any(clause, rules_.resolved_cues, &resolved_cue);
    bool past = !resolved && contains_any(clause, rules_.past_cues, &past_cue) &&
                !contains_any(clause, rules_.ongoing_cues);
    // The patterns that can match here (their first term is in the clause), in rule order.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;
    for (std::size_t h = 0; h < hits.size(); ++h) {
      if (h > 0 && hits[h].first == hits[h - 1].first) continue;
      const auto& starting = starting_with_[hits[h].first];
      candidates.insert(candidates.end(), starting.begin(), starting.end());
    }
    std::sort(candidates.begin(), candidates.end());
    for (const auto& [k, i] : candidates) {
      const auto& p = compiled_[k].patterns[i];
      match m;
      m.category = k;
      m.clause = ci;
      if (!find_pattern(clause, p.terms, p.ids, hits, rules_.negation_cues, m)) continue;
      if (m.status == match_status::live && resolved) {
        m.status = match_status::resolved;
        m.cue = resolved_cue;
      } else if (m.status == match_status::live && past) {
        m.status = match_status::past;
        m.cue = past_cue;
      }
      matches.push_back(std::move(m));
    }
  }

  // Attachment: when another category's live match sits inside this one's gap and ends where
  // this one ends, the shared predicate belongs to the nearer noun ("电梯口的灯坏了" is a light).
  std::vector<bool> dropped(matches.size(), false);
  for (std::size_t a = 0; a < matches.size(); ++a) {
    const auto& A = matches[a];
    if (A.status != match_status::live || A.spans.size() < 2) continue;
    for (std::size_t b = 0; b < matches.size(); ++b) {
      const auto& B = matches[b];
      if (b == a || B.status != match_status::live || B.clause != A.clause || B.category == A.category) continue;
      if (B.begin() >= A.spans.front().second && B.begin() < A.spans.back().first && B.end() == A.end()) {
        dropped[a] = true;
        break;
      }
    }
  }
  // Specificity: a live match whose words are part of one word of a longer live match of another
  // category yields to it ("水龙头漏水" is a dripping tap, not a leak). Words merely standing in
  // the other match's gap keep their own meaning ("地面塌陷了一个大坑" is a collapse).
  for (std::size_t b = 0; b < matches.size(); ++b) {
    const auto& B = matches[b];
    if (dropped[b] || B.status != match_status::live) continue;
    for (std::size_t a = 0; a < matches.size(); ++a) {
      const auto& A = matches[a];
      if (a == b || dropped[a] || A.status != match_status::live || A.clause != B.clause ||
          A.category == B.category)
        continue;
      bool inside_a_word = std::any_of(A.spans.begin(), A.spans.end(), [&](const auto& s) {
        return s.first <= B.begin() && B.end() <= s.second;
      });
      if (inside_a_word && (A.end() - A.begin()) > (B.end() - B.begin())) {
        dropped[b] = true;
        break;
      }
    }
  }

  const match* best = nullptr;
  auto rank = [&](const match& m) {
    const auto& r = compiled_[m.category].rule;
    return std::pair{r.level == urgency::urgent ? 1 : 0, r.priority};
  };
  for (std::size_t i = 0; i < matches.size(); ++i) {
    if (dropped[i] || matches[i].status != match_status::live) continue;
    if (!best || rank(matches[i]) > rank(*best)) best = &matches[i];
  }

  classification out;
  if (best) {
    const auto& r = compiled_[best->category].rule;
    out.level = r.level;
    out.category = r.code;
    out.category_name = r.name;
    out.advice = r.advice;
    out.reasons.push_back({r.code, best->words, "命中“" + r.name + "”规则"});
  } else if (const auto* hinted = hints.category.empty() ? nullptr : find(hints.category)) {
    out.level = hinted->level;
    out.category = hinted->code;
    out.category_name = hinted->name;
    out.advice = hinted->advice;
    out.reasons.push_back({"category_hint", {hints.category}, "文本未命中规则，采用来源渠道给出的类别"});
  } else {
    out.level = urgency::urgent;
    out.category = std::string(unclassified_code);
    out.category_name = "未能识别";
    out.reasons.push_back({std::string(unclassified_code), {}, "未识别出维修类别，按“拿不准就按急修”原则处理"});
  }

  // Every other live match is kept as a reason, then each discounted one with why.
  std::vector<std::string> seen{out.category};
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const auto& m = matches[i];
    const auto& r = compiled_[m.category].rule;
    if (&m == best || dropped[i] || m.status != match_status::live) continue;
    if (std::find(seen.begin(), seen.end(), r.code) != seen.end()) continue;
    seen.push_back(r.code);
    out.reasons.push_back({r.code, m.words, "同时提到“" + r.name + "”，按更紧急的类别处理"});
  }
  for (const auto& m : matches) {
    if (m.status == match_status::live) continue;
    out.reasons.push_back({compiled_[m.category].rule.code, m.words, note_for(m)});
  }

  if (!hints.urgency.empty()) {
    bool hint_urgent = std::find(rules_.urgent_hints.begin(), rules_.urgent_hints.end(), hints.urgency) !=
                       rules_.urgent_hints.end();
    if (hint_urgent && out.level == urgency::general) {
      out.level = urgency::urgent;
      out.reasons.push_back({"urgency_hint", {hints.urgency}, "来源渠道标注为紧急，按急修处理"});
    } else if (!hint_urgent && out.level == urgency::urgent) {
      out.reasons.push_back({"urgency_hint", {hints.urgency}, "来源渠道标注为一般，但危险程度决定类别，仍按急修处理"});
    }
  }
  std::string tone;
  if (out.level == urgency::urgent && contains_any(text, rules_.tone_cues, &tone)) {
    out.reasons.push_back({"tone", {tone}, "报修人说“" + tone + "”，但危险程度决定类别，仍按急修处理"});
  }
  return out;
}

screening classifier::screen(std::string_view raw, const classification& cls) const {
  if (cls.category != unclassified_code) return {};
  const auto text = norm(raw);
  std::string cue;
  if (contains_any(text, rules_.advert_cues, &cue)) return {false, "疑似广告（“" + cue + "”），未识别出维修内容"};
  if (contains_any(text, rules_.request_cues)) return {};
  if (contains_any(text, rules_.chat_cues, &cue)) return {false, "致谢或闲聊（“" + cue + "”），未识别出维修内容"};
  // A few characters with no repair and no ask ("好的", "👍") is chat; anything longer may be
  // a request in words the rules do not know, so a person looks at it.
  if (code_points(text) <= 4) return {false, "消息过短，未识别出维修内容"};
  return {};
}

}  // namespace halfhour::sla
