#include "sla/classifier.hpp"

#include <algorithm>
#include <stdexcept>

#include "sla/classifier_match.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

using detail::compiled;
using detail::npos;

constexpr std::uint32_t default_window = 10;
constexpr std::uint32_t max_window = 64;

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

bool contains_any(std::string_view text, const std::vector<std::string>& cues, std::string* which = nullptr) {
  for (const auto& c : cues) {
    if (text.find(c) != std::string_view::npos) {
      if (which) *which = c;
      return true;
    }
  }
  return false;
}

void add_cues(compiled& c, const std::vector<std::string>& cues, std::uint32_t role) {
  for (const auto& cue : cues) {
    auto t = detail::prepare_term(cue, c.synonyms);
    if (!t.empty()) c.words.add(t, role);
  }
}

void add_synonyms(compiled& c) {
  for (const auto& [from, to] : c.rules.synonyms) {
    auto f = normalise(to_u32(from));
    if (!f.empty()) c.synonyms.add(std::move(f), normalise(to_u32(to)));
  }
  c.synonyms.build();
}

std::uint32_t term_id(compiled& c, std::string_view term, std::uint32_t role, const std::string& code) {
  auto t = detail::prepare_term(term, c.synonyms);
  if (t.empty()) throw std::invalid_argument("classifier rules: empty term \"" + std::string(term) + "\" in " + code);
  return c.words.add(t, role);
}

void add_category(compiled& c, const category_rule& rule) {
  if (rule.code.empty()) throw std::invalid_argument("classifier rules: a category has no code");
  const auto k = static_cast<std::uint16_t>(c.categories.size());
  if (rule.patterns.size() > 0xFFFF) throw std::invalid_argument("classifier rules: too many patterns in " + rule.code);
  detail::compiled_category cc{rule, {}, npos};
  for (const auto& p : rule.patterns) {
    std::vector<std::uint32_t> ids;
    std::size_t from = 0;
    while (true) {
      const auto plus = p.find('+', from);
      const auto term = std::string_view(p).substr(from, plus == std::string::npos ? std::string::npos : plus - from);
      ids.push_back(term_id(c, term, detail::role_term, rule.code));
      if (plus == std::string::npos) break;
      from = plus + 1;
    }
    if (ids.size() > detail::max_parts)
      throw std::invalid_argument("classifier rules: pattern \"" + p + "\" of " + rule.code + " has too many terms");
    c.words.at(ids.front()).starts.emplace_back(k, static_cast<std::uint16_t>(cc.patterns.size()));
    if (ids.size() == 1) c.words.at(ids.front()).roles |= detail::role_decides;
    cc.patterns.push_back(std::move(ids));
  }
  auto member = [&](const std::vector<std::string>& words, std::uint32_t role, auto list) {
    for (const auto& w : words) {
      auto& l = c.words.at(term_id(c, w, role, rule.code));
      auto& of = l.*list;
      if (std::find(of.begin(), of.end(), k) == of.end()) of.push_back(k);
    }
  };
  member(rule.objects, detail::role_object, &detail::lexeme::object_of);
  member(rule.states, detail::role_state, &detail::lexeme::state_of);
  member(rule.context, detail::role_context, &detail::lexeme::context_of);
  c.categories.push_back(std::move(cc));
}

// A word holding a shorter one says what it says ("坏了" is "坏", "一直在漏" holds "一直", "电梯按钮"
// names the lift): the scan keeps only the longer word, so it carries the shorter one's intensity,
// mildness and context, and the states of its parts. Objects, words that decide alone and neutral
// words keep their own states ("漫步机" is no flood, "反味" no sewage).
void add_all(std::vector<std::uint16_t>& to, const std::vector<std::uint16_t>& from) {
  for (auto k : from)
    if (std::find(to.begin(), to.end(), k) == to.end()) to.push_back(k);
}

// A mild cue that opens with a negation ("无人被困", "没有人被困") says the state is absent: it
// keeps none of its parts' states.
bool denies_itself(const compiled& c, const detail::lexeme& l, const std::vector<std::uint32_t>& negations) {
  if (!(l.roles & detail::role_mild)) return false;
  return std::any_of(negations.begin(), negations.end(), [&](std::uint32_t n) {
    const auto& cue = c.words.at(n).text;
    return l.text.size() > cue.size() && l.text.starts_with(cue);
  });
}

void inherit_from_parts(compiled& c) {
  constexpr auto degree = detail::role_intensity | detail::role_mild;
  std::vector<std::uint32_t> parts, negations;
  for (std::uint32_t i = 0; i < c.words.size(); ++i) {
    if (c.words.at(i).roles & (degree | detail::role_state | detail::role_context)) parts.push_back(i);
    if (c.words.at(i).roles & detail::role_negation) negations.push_back(i);
  }
  for (std::uint32_t i = 0; i < c.words.size(); ++i) {
    auto& l = c.words.at(i);
    const bool keeps_own = (l.roles & (detail::role_object | detail::role_neutral | detail::role_decides)) != 0 ||
                           denies_itself(c, l, negations);
    for (auto p : parts) {
      const auto& part = c.words.at(p);
      if (p == i || l.text.size() <= part.text.size() || l.text.find(part.text) == std::string::npos) continue;
      l.roles |= part.roles & (degree | detail::role_context);
      add_all(l.context_of, part.context_of);
      if (keeps_own || !(part.roles & detail::role_state)) continue;
      l.roles |= detail::role_state;
      add_all(l.state_of, part.state_of);
    }
  }
}

// One set of categories compiled with every cue: the repairs', or the complaints'.
std::shared_ptr<const compiled> compile(classifier_rules rules) {
  auto c = std::make_shared<compiled>();
  c->rules = std::move(rules);
  auto& r = c->rules;
  if (r.categories.size() > 0xFFFF) throw std::invalid_argument("classifier rules: too many categories");
  add_synonyms(*c);
  c->window = r.object_window > 0 ? std::min<std::uint32_t>(static_cast<std::uint32_t>(r.object_window), max_window)
                                  : default_window;
  add_cues(*c, r.clause_breaks, detail::role_break);
  add_cues(*c, r.negation_cues, detail::role_negation);
  add_cues(*c, r.worry_cues, detail::role_worry);
  add_cues(*c, r.fine_now_cues, detail::role_fine_now);
  add_cues(*c, r.planned_cues, detail::role_planned);
  add_cues(*c, r.future_cues, detail::role_future);
  add_cues(*c, r.news_cues, detail::role_news);
  add_cues(*c, r.denial_cues, detail::role_denial);
  add_cues(*c, r.affirm_cues, detail::role_affirm);
  add_cues(*c, r.resolved_cues, detail::role_resolved);
  add_cues(*c, r.past_cues, detail::role_past);
  add_cues(*c, r.ongoing_cues, detail::role_ongoing);
  add_cues(*c, r.intensity_cues, detail::role_intensity);
  add_cues(*c, r.mild_cues, detail::role_mild);
  add_cues(*c, r.neutral_terms, detail::role_neutral);
  add_cues(*c, r.tone_cues, detail::role_neutral);  // "不急" denies nothing
  for (const auto& rule : r.categories) add_category(*c, rule);
  const auto index_of = [&](const std::string& code, const std::string& of, const char* field) {
    for (std::uint32_t k = 0; k < c->categories.size(); ++k)
      if (c->categories[k].rule.code == code) return k;
    throw std::invalid_argument("classifier rules: " + of + " names an unknown " + field);
  };
  for (auto& cc : c->categories) {
    if (!cc.rule.mild_code.empty()) cc.mild = index_of(cc.rule.mild_code, cc.rule.code, "mild_code");
    if (!cc.rule.planned_code.empty()) cc.planned = index_of(cc.rule.planned_code, cc.rule.code, "planned_code");
  }
  inherit_from_parts(*c);
  c->words.build();
  for (auto* list : {&r.clause_breaks, &r.negation_cues, &r.resolved_cues, &r.past_cues, &r.ongoing_cues, &r.mild_cues,
                     &r.tone_cues, &r.advert_cues, &r.chat_cues, &r.request_cues})
    *list = norm_all(*list);
  return c;
}

}  // namespace

// Complaints are compiled apart from repairs, so their words (保安, 物业费 …) never hide a repair's
// word inside them nor take a repair's state: the repair call is the same with or without them.
classifier::classifier(classifier_rules rules) : rules_(rules) {
  if (rules.categories.empty()) throw std::invalid_argument("classifier rules: no categories");
  auto repairs = rules, complaints = std::move(rules);
  std::erase_if(repairs.categories, [](const category_rule& r) { return r.kind == request_kind::complaint; });
  std::erase_if(complaints.categories, [](const category_rule& r) { return r.kind != request_kind::complaint; });
  if (repairs.categories.empty()) throw std::invalid_argument("classifier rules: no repair categories");
  const bool any_complaint = !complaints.categories.empty();
  c_ = compile(std::move(repairs));
  if (any_complaint) complaints_ = compile(std::move(complaints));
}

classifier::classifier(classifier_rules rules, std::shared_ptr<const urgency_opinion> opinion)
    : classifier(std::move(rules)) {
  opinion_ = std::move(opinion);
}

const classifier_rules& classifier::rules() const { return rules_; }

const category_rule* classifier::find(std::string_view code) const {
  for (const auto* set : {c_.get(), complaints_.get()}) {
    if (!set) continue;
    for (const auto& c : set->categories)
      if (c.rule.code == code || c.rule.name == code) return &c.rule;
  }
  return nullptr;
}

screening classifier::screen(std::string_view raw, const classification& cls) const {
  if (cls.category != unclassified_code) return {};
  const auto text = norm(raw);
  const auto& r = c_->rules;
  std::string cue;
  if (contains_any(text, r.advert_cues, &cue)) return {false, "疑似广告（“" + cue + "”），未识别出维修内容"};
  if (contains_any(text, r.request_cues)) return {};
  if (contains_any(text, r.chat_cues, &cue)) return {false, "致谢或闲聊（“" + cue + "”），未识别出维修内容"};
  // A few characters with no repair and no ask ("好的", "👍") is chat; anything longer may be
  // a request in words the rules do not know, so a person looks at it.
  if (code_point_count(text) <= 4) return {false, "消息过短，未识别出维修内容"};
  return {};
}

}  // namespace halfhour::sla
