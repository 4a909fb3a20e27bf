// The decision among a request's matches: which are reinterpreted, which live match decides, how
// sure that is, and the reasons an operator reads.
#include <algorithm>
#include <string_view>
#include <tuple>

#include "sla/classifier.hpp"
#include "sla/classifier_match.hpp"
#include "sla/text.hpp"

namespace halfhour::sla {

namespace {

using detail::analysis;
using detail::compiled;
using detail::kind;
using detail::match;
using detail::npos;
using detail::status;

// How sure each way of deciding is; an uncertain decision is urgent whatever its category says.
constexpr double sure_urgent = 0.9;
constexpr double sure_general = 0.9;
constexpr double general_by_object = 0.8;
constexpr double general_despite_discounted = 0.7;
constexpr double fixed_and_done = 0.6;
constexpr double ambiguous = 0.5;
constexpr double from_hint = 0.5;
constexpr double complaint_found = 0.8;
constexpr double nothing_found = 0.2;

const category_rule& rule_of(const compiled& c, const match& m) { return c.categories[m.category].rule; }

std::vector<std::string> words_of(const compiled& c, const analysis& a, const match& m) {
  std::vector<std::string> out;
  for (std::uint32_t p = 0; p < m.count; ++p) out.push_back(c.words.at(a.hits[m.parts[p]].id).text);
  return out;
}

// Whether `category` takes object `o` in state `s`.
bool accepts(const compiled& c, const analysis& a, std::uint32_t o, std::uint32_t s, std::uint32_t category) {
  const auto& objects = c.words.at(a.hits[o].id).object_of;
  const auto& states = c.words.at(a.hits[s].id).state_of;
  return std::find(objects.begin(), objects.end(), category) != objects.end() &&
         std::find(states.begin(), states.end(), category) != states.end();
}

// A pattern's words yield to the object their last word is bound to, when that object stands
// between them or is the word's own: "水龙头漏水" is a dripping tap, not a leak, and
// "电梯口的灯坏了" is a light.
void yield_patterns(const compiled& c, analysis& a) {
  for (auto& m : a.matches) {
    if (m.how != kind::pattern) continue;
    const auto o = a.bound_to[m.head];
    if (o == npos || accepts(c, a, o, m.head, m.category)) continue;
    if (m.count == 1 || (o > m.parts[0] && o < m.head)) m.yielded = true;
  }
}

// An ambiguous hit is confirmed by intensity, made mild by a mild cue, else left unsure; the cue
// in its own clause counts before one next to it, and intensity before mildness (the safe side).
void settle_degree(const compiled& c, analysis& a) {
  for (auto& m : a.matches) {
    const auto& cc = c.categories[m.category];
    if (m.yielded || m.is != status::live || !cc.rule.needs_intensity) continue;
    if (m.intense && m.intense >= m.mild) continue;  // confirmed
    if (m.mild > m.intense && cc.mild != npos) m.category = cc.mild;
    else m.unsure = true;
  }
}

// "物业通知明天上午停水检修": an outage announced ahead is its planned category, a notice. Not one
// that has come ("贴了通知讲停两个钟头……反而整幢楼没水了"): the outage said with 了 is here.
void settle_planned(const compiled& c, analysis& a) {
  if (!a.planned) return;
  for (auto& m : a.matches) {
    const auto& cc = c.categories[m.category];
    if (m.yielded || m.is != status::live || cc.planned == npos) continue;
    if (std::string_view(a.text).substr(a.hits[m.head].end).starts_with("了")) continue;
    m.category = cc.planned;
    m.announced = true;
  }
}

auto rank(const compiled& c, const match& m) {
  const auto& r = rule_of(c, m);
  return std::tuple{r.level == urgency::urgent, !m.unsure, r.priority, static_cast<int>(m.how)};
}

bool counts(const match& m) { return !m.yielded && m.is == status::live; }

// How much a general match says: a bare object half as much as an object in a state, and nothing
// when the same object already counts in a fuller match of its category. A facility named bare
// counts in full: the parts said broken around it ("垃圾房门口…门也锁不上") are most often its own.
// `fuller` holds the (hit, category) pairs of the fuller matches, sorted.
bool names_other_object(const detail::lexeme& w, std::uint32_t category) {
  return !w.object_of.empty() && std::find(w.object_of.begin(), w.object_of.end(), category) == w.object_of.end();
}

// A bare object right before another object says where that one is ("楼梯木扶手", "楼道墙面"): it
// counts for nothing of its own, unless it is a facility that owns the other or the other is an
// object of its own kind ("楼梯灯灯罩").
double weight(const compiled& c, const analysis& a, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& fuller,
              const match& m) {
  // A bare word that is itself a mild cue is a trace, not a job: "水渍" may be a leak's or an old
  // stain to paint over ("老水渍……要求刷白").
  if (m.how == kind::pattern && m.count == 1) {
    const auto& cues = c.rules.mild_cues;
    if (std::find(cues.begin(), cues.end(), c.words.at(a.hits[m.head].id).text) != cues.end()) return 0.5;
  }
  if (m.how != kind::object) return 1.0;
  if (std::binary_search(fuller.begin(), fuller.end(), std::pair{m.head, m.category})) return 0.0;
  if (rule_of(c, m).owns_parts) return 1.0;
  constexpr std::uint32_t max_gap = 1;  // "木", "的"
  const auto& h = a.hits[m.head];
  for (auto n = m.head + 1; n < a.hits.size() && a.hits[n].cp <= h.cp_end + max_gap; ++n)
    if (a.hits[n].begin >= h.end && names_other_object(c.words.at(a.hits[n].id), m.category)) return 0.0;
  return 0.5;
}

// The general facility a part belongs to: "垃圾房的门" is the bin room's door, "车棚灯" the shed's
// light, so their job is the owner's.
const std::string& owner_group(const compiled& c, const analysis& a, const match& m) {
  constexpr std::uint32_t max_gap = 2;  // "的", "有个"
  const auto& first = a.hits[m.parts[0]];
  for (std::uint32_t h = m.parts[0]; h-- > 0;) {
    const auto& o = a.hits[h];
    if (o.cp_end + max_gap < first.cp) break;
    if (o.end > first.begin) continue;
    for (auto k : c.words.at(o.id).object_of) {
      const auto& r = c.categories[k].rule;
      if (r.owns_parts && k != m.category) return r.group;
    }
  }
  return rule_of(c, m).group;
}

// Several general jobs in one message: the class the most words speak of is the job, and within
// it the strongest, highest-priority match.
const match* best_general(const compiled& c, const analysis& a) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> fuller;
  for (const auto& m : a.matches)
    if (counts(m) && m.how != kind::object)
      for (std::uint32_t p = 0; p < m.count; ++p) fuller.emplace_back(m.parts[p], m.category);
  std::sort(fuller.begin(), fuller.end());
  // The classes by name, viewed in the rules: no string is copied per match.
  std::vector<std::pair<std::string_view, double>> votes;
  for (const auto& m : a.matches) {
    if (!counts(m)) continue;
    const std::string_view g = owner_group(c, a, m);
    auto it = std::find_if(votes.begin(), votes.end(), [&](const auto& v) { return v.first == g; });
    if (it == votes.end()) it = votes.insert(votes.end(), {g, 0.0});
    it->second += weight(c, a, fuller, m);
  }
  auto top = [&](std::string_view group) {
    int p = 0;
    for (const auto& m : a.matches)
      if (counts(m) && rule_of(c, m).group == group) p = std::max(p, rule_of(c, m).priority);
    return p;
  };
  const std::pair<std::string_view, double>* win = nullptr;
  for (const auto& v : votes) {
    if (!win || std::pair{v.second, top(v.first)} > std::pair{win->second, top(win->first)}) win = &v;
  }
  const match* best = nullptr;
  auto score = [&](const match& m) { return std::pair{m.how != kind::object, rule_of(c, m).priority}; };
  for (const auto& m : a.matches) {
    if (counts(m) && rule_of(c, m).group == win->first && (!best || score(m) > score(*best))) best = &m;
  }
  return best;  // null only if the owners' class has no match of its own; the caller falls back
}

const match* best_live(const compiled& c, const analysis& a) {
  const match* best = nullptr;
  for (const auto& m : a.matches) {
    if (!counts(m)) continue;
    if (!best || rank(c, m) > rank(c, *best)) best = &m;
  }
  if (best && rule_of(c, *best).level == urgency::general) {
    if (const auto* general = best_general(c, a)) return general;
  }
  return best;
}

std::string note_for(const compiled& c, const analysis& a, const match& m) {
  const auto cue = m.cue == npos ? std::string() : c.words.at(a.hits[m.cue].id).text;
  switch (m.is) {
    case status::negated: return "已排除：前有否定词“" + cue + "”";
    case status::denied: return "已排除：“" + cue + "”否认了这一项，以后面说的为准";
    case status::worried: return "已排除：“" + cue + "”之后说的是担心会发生的事，尚未发生";
    case status::resolved: return "已排除：说了“" + cue + "”，问题已解决";
    case status::past: return "已排除：同一句中有“" + cue + "”，说的是过去的事";
    case status::live: break;
  }
  return {};
}

void make_uncertain(classification& out, std::vector<std::string> words, const std::string& why) {
  out.uncertain = true;
  out.level = urgency::urgent;
  out.reasons.push_back({"uncertain", std::move(words), "待确认：" + why + "，按“拿不准就按急修”原则处理"});
}

// The rules called it general and a model trained on labelled requests reads it as urgent: a
// person decides, and until then it is urgent. The category stays the rules' (what it most likely
// is); the reason gives the model's probability.
void second_opinion(const urgency_opinion& o, double threshold, std::string_view raw, classification& out) {
  const double p = o.urgent(raw);
  if (!(p >= threshold)) return;
  out.uncertain = true;
  out.level = urgency::urgent;
  out.confidence = ambiguous;
  const int percent = static_cast<int>(p * 100 + 0.5);
  out.reasons.push_back({"second_opinion",
                         {},
                         "待确认：规则判为一般维修，但" + o.name() + "模型判为急修的可能为" + std::to_string(percent) +
                             "%，按“拿不准就按急修”原则处理"});
}

// No live match: a problem said to be fixed leaves nothing to do; anything else is a person's call.
void decide_without_match(const compiled& c, const analysis& a, const classification_hints& hints,
                          classification& out) {
  bool discounted = false, only_fixed = true, any_fixed = false;
  for (const auto& m : a.matches) {
    if (m.yielded || m.is == status::live) continue;
    any_fixed = any_fixed || m.is == status::resolved;
    if (rule_of(c, m).level != urgency::urgent) continue;
    discounted = true;
    only_fixed = only_fixed && m.is == status::resolved;
  }
  const category_rule* hinted = nullptr;
  if (!hints.category.empty()) {
    for (const auto& cc : c.categories)
      if (cc.rule.code == hints.category || cc.rule.name == hints.category) hinted = &cc.rule;
  }
  if (hinted) {
    take_category(out, *hinted);
    out.confidence = from_hint;
    out.reasons.push_back({"category_hint", {hints.category}, "文本未命中规则，采用来源渠道给出的类别"});
    return;
  }
  out.category = std::string(unclassified_code);
  out.category_name = "未能识别";
  // "道闸今朝终于修好了，谢谢物业": only something fixed is said, urgent or not.
  if ((discounted && only_fixed) || (!discounted && any_fixed)) {
    out.level = urgency::general;
    out.confidence = fixed_and_done;
    out.reasons.push_back({std::string(unclassified_code), {}, "提到的问题已解决，未发现待修的急修项目"});
    return;
  }
  // "如果电梯关人该打谁的电话？目前电梯运行正常": a question or a thought about what works now.
  if (a.fine_now) {
    out.level = urgency::general;
    out.confidence = fixed_and_done;
    out.reasons.push_back({std::string(unclassified_code), {}, "所问的设施目前正常，未发现正在发生的险情"});
    return;
  }
  out.confidence = nothing_found;
  out.reasons.push_back({std::string(unclassified_code), {}, "未识别出维修类别，按“拿不准就按急修”原则处理"});
  make_uncertain(out, {}, discounted ? "提到的急修问题被否定或属于过去，但未说明现在要修什么" : "未识别出维修类别");
}

void decide_with_match(const compiled& c, const analysis& a, const match& best, classification& out) {
  const auto& r = rule_of(c, best);
  take_category(out, r);
  out.reasons.push_back({r.code, words_of(c, a, best), "命中“" + r.name + "”规则"});
  if (best.unsure) {
    out.confidence = ambiguous;
    make_uncertain(out, words_of(c, a, best), "“" + r.name + "”没有说清严重程度（多大、多少、到了哪里）");
    return;
  }
  if (r.level == urgency::urgent) {
    out.confidence = sure_urgent;
    return;
  }
  const bool discounted = std::any_of(a.matches.begin(), a.matches.end(), [&](const match& m) {
    return !m.yielded && m.is != status::live && rule_of(c, m).level == urgency::urgent;
  });
  out.confidence = discounted                 ? general_despite_discounted
                   : best.how == kind::object ? general_by_object
                                              : sure_general;
}

// Every other live category is kept as a reason, then each discounted match with why.
void add_other_reasons(const compiled& c, const analysis& a, const match* best, classification& out) {
  std::vector<std::string> seen{out.category};
  for (const auto& m : a.matches) {
    const auto& r = rule_of(c, m);
    if (&m == best || m.yielded || m.is != status::live) continue;
    if (std::find(seen.begin(), seen.end(), r.code) != seen.end()) continue;
    seen.push_back(r.code);
    const bool outranked = out.level == urgency::urgent && r.level == urgency::general;
    out.reasons.push_back(
        {r.code, words_of(c, a, m), "同时提到“" + r.name + (outranked ? "”，按更紧急的类别处理" : "”")});
  }
  for (const auto& m : a.matches) {
    if (m.yielded || m.is == status::live) continue;
    reason r{rule_of(c, m).code, words_of(c, a, m), note_for(c, a, m)};
    if (std::find(out.reasons.begin(), out.reasons.end(), r) == out.reasons.end()) out.reasons.push_back(std::move(r));
  }
}

void apply_hints(const compiled& c, const analysis& a, const classification_hints& hints, classification& out) {
  const auto& rules = c.rules;
  if (!hints.urgency.empty()) {
    const bool hint_urgent =
        std::find(rules.urgent_hints.begin(), rules.urgent_hints.end(), hints.urgency) != rules.urgent_hints.end();
    if (hint_urgent && out.level == urgency::general) {
      out.level = urgency::urgent;
      out.reasons.push_back({"urgency_hint", {hints.urgency}, "来源渠道标注为紧急，按急修处理"});
    } else if (!hint_urgent && out.level == urgency::urgent) {
      out.reasons.push_back({"urgency_hint", {hints.urgency}, "来源渠道标注为一般，但危险程度决定类别，仍按急修处理"});
    }
  }
  for (const auto& tone : rules.tone_cues) {
    if (out.level != urgency::urgent || a.text.find(tone) == std::string::npos) continue;
    out.reasons.push_back({"tone", {tone}, "报修人说“" + tone + "”，但危险程度决定类别，仍按急修处理"});
    break;
  }
}

// The complaint a message makes: its complaint match of the highest rank, said in words (a
// pattern, or someone in a state: "保安+睡觉"); a bare "物业" or "保安" is no complaint. A complaint
// is most often about what was not done ("不开发票", "没人接") or done before ("上次修完态度很差"),
// so negation, the past and a repair since done leave it standing; only a denial ("不是…是…")
// sets it aside.
const match* best_complaint(const compiled& k, const analysis& b) {
  const auto stands = [](const match& m) { return !m.yielded && m.how != kind::object && m.is != status::denied; };
  const match* best = nullptr;
  for (const auto& m : b.matches)
    if (stands(m) && (!best || rank(k, m) > rank(k, *best))) best = &m;
  return best;
}

// Something said broken: a repair's pattern or an object in a state, not a bare object.
bool names_fault(const analysis& a) {
  return std::any_of(a.matches.begin(), a.matches.end(),
                     [](const match& m) { return counts(m) && m.how != kind::object; });
}

const category_rule* hinted_complaint(const compiled& k, const classification_hints& hints) {
  if (hints.category.empty()) return nullptr;
  for (const auto& cc : k.categories)
    if (cc.rule.code == hints.category || cc.rule.name == hints.category) return &cc.rule;
  return nullptr;
}

// Complaint or repair. Anything said broken makes a repair, and the complaint beside it is noted;
// a complaint with no repair, or beside a repair's bare object with nothing said broken about it
// ("换个楼道灯泡收50块上门费"), is a complaint, on working-day clocks. True when the call became a
// complaint.
bool weigh_complaint(const compiled& k, std::string_view raw, const compiled& c, const analysis& a, const match* repair,
                     const classification_hints& hints, classification& out) {
  thread_local analysis b;
  detail::analyse(k, raw, b);
  yield_patterns(k, b);
  const match* grievance = best_complaint(k, b);
  if (names_fault(a)) {
    if (grievance) {
      const auto& r = rule_of(k, *grievance);
      out.reasons.push_back(
          {r.code, words_of(k, b, *grievance), "另有投诉“" + r.name + "”，因有待修的问题，按维修处理"});
    }
    return false;
  }
  classification complaint;
  if (grievance) {
    const auto& r = rule_of(k, *grievance);
    take_category(complaint, r);
    complaint.confidence = complaint_found;
    complaint.reasons.push_back(
        {r.code, words_of(k, b, *grievance), "命中“" + r.name + "”：投诉物业服务，未发现待修的问题"});
  } else if (const auto* hinted = repair ? nullptr : hinted_complaint(k, hints)) {
    take_category(complaint, *hinted);
    complaint.confidence = from_hint;
    complaint.reasons.push_back({"category_hint", {hints.category}, "文本未命中规则，采用来源渠道给出的投诉类别"});
  } else {
    return false;
  }
  if (repair) {
    const auto& r = rule_of(c, *repair);
    complaint.reasons.push_back({r.code, words_of(c, a, *repair), "同时提到“" + r.name + "”，但未说坏在哪里"});
  }
  // What the repair reading set aside (a leak already fixed, a denied hazard) stays in view.
  for (auto& why : out.reasons)
    if (why.note.starts_with("已排除")) complaint.reasons.push_back(std::move(why));
  out = std::move(complaint);
  return true;
}

}  // namespace

void take_category(classification& out, const category_rule& r) {
  out.kind = r.kind;
  out.level = r.level;
  out.category = r.code;
  out.category_name = r.name;
  out.group = r.group;
  out.advice = r.advice;
}

classification classifier::classify(std::string_view raw, const classification_hints& hints) const {
  const auto& c = *c_;
  // One analysis per thread, reused: its buffers keep their room from one request to the next
  // (analyse resets every field), which spares a handful of allocations per request.
  thread_local analysis a;
  detail::analyse(c, raw, a);
  yield_patterns(c, a);
  settle_planned(c, a);
  settle_degree(c, a);
  classification out;
  const match* best = best_live(c, a);
  if (best) decide_with_match(c, a, *best, out);
  else decide_without_match(c, a, hints, out);
  add_other_reasons(c, a, best, out);
  // A complaint is general by its nature: no urgency hint and no second opinion makes it urgent.
  if (complaints_ && weigh_complaint(*complaints_, raw, c, a, best, hints, out)) return out;
  apply_hints(c, a, hints, out);
  // A notice of work ahead is general by what it says, not for want of a rule: the opinion,
  // trained on outages reported as they happen, is not asked.
  const bool announced = best && best->announced;
  if (opinion_ && out.level == urgency::general && c.rules.opinion_threshold > 0 && !announced)
    second_opinion(*opinion_, c.rules.opinion_threshold, raw, out);
  return out;
}

}  // namespace halfhour::sla
