#include "sla/classifier_match.hpp"

#include <algorithm>

namespace halfhour::sla::detail {

namespace {

// Two terms of one pattern belong together only when this few code points lie between them:
// "电梯……坏" across a whole sentence says nothing about the lift.
constexpr std::uint32_t max_pattern_gap = 8;
// A negation cue denies the word right after it, or the one after a filler ("没在滴", "不会变大").
constexpr std::uint32_t max_negation_gap = 1;
// A worry reaches a little further ("担心老人会摔倒", "怕哪天漏电").
constexpr std::uint32_t max_worry_gap = 5;
// A state looks back for its object over at most this many clauses, the ones between naming none.
constexpr std::uint32_t max_clauses_back = 2;

struct clause_facts {
  std::uint32_t first = 0, last = 0;  // its hits, [first, last)
  std::uint32_t end = 0;              // byte where it ends
  std::uint32_t resolved = npos;      // a "fixed" cue no "again" cue follows
  std::uint32_t past = npos;          // a past cue, when no ongoing cue stands in the clause
  bool intense = false, mild = false, ongoing = false;
};

// The analyser's working lists, kept per thread between requests so they keep their room.
struct scratch {
  std::vector<clause_facts> facts;
  std::vector<std::uint32_t> negated_by, worried_by, denied_by;
  std::vector<std::uint16_t> context;
};

class analyser {
 public:
  analyser(const compiled& c, analysis& a, scratch& s)
      : c_(c),
        a_(a),
        facts_(s.facts),
        negated_by_(s.negated_by),
        worried_by_(s.worried_by),
        denied_by_(s.denied_by),
        context_(s.context) {
    facts_.clear();
    context_.clear();
  }

  void run() {
    denied_by_.assign(a_.hits.size(), npos);
    split();
    for (std::uint32_t k = 0; k < facts_.size(); ++k) weigh(k);
    mark_negations();
    mark_planned();
    gather_context();
    for (std::uint32_t k = 0; k < facts_.size(); ++k) {
      find_patterns(k);
      bind_states(k);
    }
    lone_objects();
    std::erase_if(a_.matches, [this](const match& m) { return !has_context(m.category); });
    for (auto& m : a_.matches) judge(m);
  }

 private:
  const lexeme& word(std::uint32_t h) const { return c_.words.at(a_.hits[h].id); }
  bool has(std::uint32_t h, std::uint32_t r) const { return (word(h).roles & r) != 0; }

  void split() {
    auto& hits = a_.hits;
    clause_facts cur;
    for (std::uint32_t i = 0; i < hits.size(); ++i) {
      hits[i].clause = static_cast<std::uint32_t>(facts_.size());
      if (!has(i, role_break)) continue;
      if (cur.first == i && (i == 0 || hits[i - 1].end == hits[i].begin)) {
        cur.first = i + 1;  // breaks in a row ("， 现在") make one break, not an empty clause
        continue;
      }
      cur.last = i;
      cur.end = hits[i].begin;
      facts_.push_back(cur);
      cur = clause_facts{};
      cur.first = i + 1;
    }
    cur.last = static_cast<std::uint32_t>(hits.size());
    cur.end = static_cast<std::uint32_t>(a_.text.size());
    facts_.push_back(cur);
    a_.clauses = static_cast<std::uint32_t>(facts_.size());
  }

  // Tense, intensity and denial of one clause.
  void weigh(std::uint32_t k) {
    auto& f = facts_[k];
    bool ongoing = false, names = false, says = false;
    for (auto i = f.first; i < f.last; ++i) {
      const auto roles = word(i).roles;
      names = names || (roles & (role_object | role_term)) != 0;
      says = says || (roles & role_state) != 0;
      if (roles & role_resolved) f.resolved = i;
      if (roles & role_fine_now) a_.fine_now = true;
      if (roles & role_ongoing) {
        ongoing = true;
        f.resolved = npos;  // "上礼拜修好的那根管子今朝又在喷": it is back
      }
      if ((roles & role_past) && !compared(i)) f.past = i;
      if (roles & role_intensity) f.intense = true;
      if (roles & role_mild) f.mild = true;
    }
    if (ongoing) f.past = npos;
    f.ongoing = ongoing;
    mark_denials(f);
    // "配电房冒烟，已抢修恢复送电": a clause saying only that it is fixed speaks of the one before.
    if (k > 0 && f.resolved != npos) {
      auto& prev = facts_[k - 1];
      if (prev.resolved == npos && !prev.ongoing) prev.resolved = f.resolved;
    }
    // "插座老早就冒火星 今朝又冒了": a clause that names no object but says one is at it again
    // speaks of the clause before, which is then present.
    if (k > 0 && ongoing && says && !names && facts_[k - 1].resolved == npos) facts_[k - 1].past = npos;
  }

  // "缝比前天宽了", "比昨天又大了": a time after 比 is what now is measured against, not when it
  // happened.
  bool compared(std::uint32_t i) const {
    constexpr std::string_view than = "比";
    const auto at = a_.hits[i].begin;
    return at >= than.size() && std::string_view(a_.text).substr(at - than.size(), than.size()) == than;
  }

  // "不是 X，是 Y": a denial reaches from its cue to the next affirming "是" or the clause's end.
  // A later denial reaches at least as far as an earlier one, so a word is denied exactly when
  // the last denial before it still reaches it.
  void mark_denials(const clause_facts& f) {
    bool any = false;
    for (auto i = f.first; i < f.last && !any; ++i) any = has(i, role_denial);
    if (!any) return;                     // most clauses deny nothing
    std::uint32_t reach_of_next = f.end;  // where a denial starting here would stop, walking back
    std::vector<std::uint32_t> reach(f.last - f.first, f.end);
    for (auto j = f.last; j-- > f.first;) {
      reach[j - f.first] = reach_of_next;
      if (has(j, role_affirm)) reach_of_next = a_.hits[j].begin;
    }
    std::uint32_t last = npos;
    for (auto i = f.first; i < f.last; ++i) {
      if (last != npos && a_.hits[i].begin >= a_.hits[last].end && a_.hits[i].begin < reach[last - f.first])
        denied_by_[i] = last;
      if (has(i, role_denial)) last = i;
    }
  }

  // The categories whose context words stand in the message, said and not denied: "不是下雨漏的"
  // and "这几天没下雨" say no rain, and "假如下大雨" rain that has not come.
  void gather_context() {
    for (std::uint32_t i = 0; i < a_.hits.size(); ++i) {
      if (!has(i, role_context) || denied_by_[i] != npos || negated_by_[i] != npos || worried_by_[i] != npos) continue;
      context_.insert(context_.end(), word(i).context_of.begin(), word(i).context_of.end());
    }
  }

  // Work announced ahead: a planned cue not negated ("也没通知" is none) and a future cue anywhere in
  // the message ("【物业通知】…4月18日（周四）8:30—16:30…停水").
  void mark_planned() {
    bool planned = false, future = false;
    for (std::uint32_t i = 0; i < a_.hits.size(); ++i) {
      planned = planned || (has(i, role_planned) && negated_by_[i] == npos);
      future = future || has(i, role_future);
    }
    a_.planned = planned && future;
  }

  // Each word's negation or worry cue, if one stands close enough before it in its clause.
  void mark_negations() {
    negated_by_.assign(a_.hits.size(), npos);
    worried_by_.assign(a_.hits.size(), npos);
    std::uint32_t neg = npos, worry = npos, news = npos;
    auto near = [&](std::uint32_t cue, const hit& h, std::uint32_t gap) {
      if (cue == npos) return false;
      const auto& c = a_.hits[cue];
      return c.clause == h.clause && h.begin >= c.end && h.cp - c.cp_end <= gap;
    };
    for (std::uint32_t i = 0; i < a_.hits.size(); ++i) {
      const auto& h = a_.hits[i];
      if (near(neg, h, max_negation_gap)) negated_by_[i] = neg;
      if (near(worry, h, max_worry_gap)) worried_by_[i] = worry;
      // The news reaches the end of its clause: "新闻里讲闵行有个小区外墙落下来砸到人".
      if (news != npos && a_.hits[news].clause == h.clause && h.begin >= a_.hits[news].end) worried_by_[i] = news;
      if (has(i, role_negation)) neg = i;
      if (has(i, role_worry)) worry = i;
      if (has(i, role_news)) news = i;
    }
  }

  void find_patterns(std::uint32_t k) {
    const auto& f = facts_[k];
    for (auto i = f.first; i < f.last; ++i) {
      if (!has(i, role_term)) continue;
      for (const auto& [cat, p] : word(i).starts) {
        const auto& ids = c_.categories[cat].patterns[p];
        match m;
        m.category = cat;
        m.how = kind::pattern;
        m.clause = k;
        m.parts[0] = i;
        m.count = 1;
        if (!extend(ids, f, m)) continue;
        m.head = m.parts[m.count - 1];
        a_.matches.push_back(m);
      }
    }
  }

  // The pattern's later terms, each a few characters after the one before; an occurrence no
  // negation stands before is preferred to one that is negated.
  bool extend(const std::vector<std::uint32_t>& ids, const clause_facts& f, match& m) const {
    for (std::size_t t = 1; t < ids.size(); ++t) {
      const auto& prev = a_.hits[m.parts[m.count - 1]];
      std::uint32_t found = npos;
      for (auto j = m.parts[m.count - 1] + 1; j < f.last; ++j) {
        const auto& h = a_.hits[j];
        if (h.begin < prev.end) continue;
        if (h.cp - prev.cp_end > max_pattern_gap) break;
        if (h.id != ids[t]) continue;
        if (found == npos) found = j;
        if (negated_by_[j] == npos) {
          found = j;
          break;
        }
      }
      if (found == npos) return false;
      m.parts[m.count++] = found;
    }
    return true;
  }

  // Calls `f` with each category that accepts object `o` in state `s` (with its context, if it
  // needs one); stops and returns true as soon as `f` does.
  template <class F>
  bool each_accepting(std::uint32_t o, std::uint32_t s, F f) const {
    const bool after = o > s;
    for (auto a : word(o).object_of) {
      if (after && c_.categories[a].rule.objects_first) continue;
      for (auto b : word(s).state_of)
        if (a == b && has_context(a) && f(a)) return true;
    }
    return false;
  }
  bool accepts(std::uint32_t o, std::uint32_t s) const {
    return each_accepting(o, s, [](std::uint16_t) { return true; });
  }

  // A context word anywhere in the message counts: "下面是人行道" may come three clauses after the
  // loose tile it makes dangerous.
  bool has_context(std::uint32_t category) const {
    return c_.categories[category].rule.context.empty() ||
           std::find(context_.begin(), context_.end(), category) != context_.end();
  }

  // Each state belongs to the nearest object that can be in it, before it rather than after at
  // equal distance; with none near it in its clause, to the last such object of the clause before
  // ("热水管，今朝又在喷"), else to the first of the clause after, unless the word names its
  // category alone ("楼上漏水，天花板在滴水": the leak stays a leak).
  void bind_states(std::uint32_t k) {
    const auto& f = facts_[k];
    for (auto s = f.first; s < f.last; ++s) {
      if (!has(s, role_state)) continue;
      const auto& hs = a_.hits[s];
      std::uint32_t best = npos, best_key = npos;
      // No word lies inside another, so hits sorted by start are sorted by end too: the search
      // walks out from the state and stops at the window's edges.
      for (auto o = s; o-- > f.first && a_.hits[o].cp_end + c_.window >= hs.cp;) {
        const auto& ho = a_.hits[o];
        if (ho.end > hs.begin || !has(o, role_object) || !accepts(o, s)) continue;  // overlapping, or not one
        best = o, best_key = std::min(best_key, (hs.cp - ho.cp_end) * 2);
        break;
      }
      for (auto o = s + 1; o < f.last && a_.hits[o].cp <= hs.cp_end + c_.window; ++o) {
        const auto& ho = a_.hits[o];
        if (hs.end > ho.begin || !has(o, role_object) || !accepts(o, s)) continue;
        if ((ho.cp - hs.cp_end) * 2 + 1 < best_key) best = o;
        break;
      }
      // Back to the clause before, and past clauses that name nothing ("墙上有一道细缝，去年做过
      // 记号，现在已经超出记号两公分": the mark names no object, the crack is still the subject).
      for (std::uint32_t back = 1; best == npos && back <= std::min<std::uint32_t>(k, max_clauses_back); ++back) {
        best = carried(facts_[k - back], s, (back + 1) * c_.window);
        if (names_object(facts_[k - back])) break;
      }
      if (best == npos && k + 1 < facts_.size() && !has(s, role_decides)) best = ahead(facts_[k + 1], s);
      if (best == npos) continue;
      best = owner_of(best, s);
      a_.bound_to[s] = best;
      each_accepting(best, s, [&](std::uint16_t cat) {
        match m;
        m.category = cat;
        m.how = kind::object_state;
        m.clause = k;
        m.parts[0] = std::min(best, s);
        m.parts[1] = std::max(best, s);
        m.count = 2;
        m.head = s;
        a_.matches.push_back(m);
        return false;
      });
    }
  }

  // "空调外机的水管一直滴": a part right after a facility's object is the facility's. Not a part
  // that is a hazard in that state whatever its degree: "人行道井盖歪了" is a manhole cover,
  // "落水管支架断了" a bracket that may fall.
  std::uint32_t owner_of(std::uint32_t o, std::uint32_t s) const {
    if (each_accepting(o, s, [&](std::uint16_t k) {
          const auto& r = c_.categories[k].rule;
          return r.level == urgency::urgent && !r.needs_intensity;
        }))
      return o;
    for (auto p = o; p-- > 0;) {
      const auto& hp = a_.hits[p];
      if (hp.cp_end + 1 < a_.hits[o].cp) break;
      if (hp.end > a_.hits[o].begin || !has(p, role_object)) continue;
      if (each_accepting(p, s, [&](std::uint16_t k) { return c_.categories[k].rule.owns_parts; })) return p;
    }
    return o;
  }

  // "闻到一股怪味，像是天然气": a state may name its object in the clause right after.
  std::uint32_t ahead(const clause_facts& next, std::uint32_t s) const {
    for (auto o = next.first; o < next.last && a_.hits[o].cp - a_.hits[s].cp_end <= c_.window; ++o)
      if (has(o, role_object) && accepts(o, s)) return o;
    return npos;
  }

  std::uint32_t carried(const clause_facts& prev, std::uint32_t s, std::uint32_t reach) const {
    for (auto o = prev.last; o-- > prev.first && a_.hits[s].cp - a_.hits[o].cp_end <= reach;)
      if (has(o, role_object) && accepts(o, s)) return o;
    return npos;
  }

  bool names_object(const clause_facts& f) const {
    for (auto i = f.first; i < f.last; ++i)
      if (has(i, role_object)) return true;
    return false;
  }

  // A general category's object names its job even when a state of it is bound elsewhere or
  // denied ("外墙一道旧裂缝，未见扩大" is still a crack to fill).
  void lone_objects() {
    for (std::uint32_t o = 0; o < a_.hits.size(); ++o) {
      if (!has(o, role_object)) continue;
      for (auto cat : word(o).object_of) {
        const auto& r = c_.categories[cat].rule;
        if (r.level != urgency::general || r.objects_need_state) continue;
        match m;
        m.category = cat;
        m.how = kind::object;
        m.clause = a_.hits[o].clause;
        m.parts[0] = o;
        m.count = 1;
        m.head = o;
        a_.matches.push_back(m);
      }
    }
  }

  // Negation before a word of it, a denial around its state, then its clause's tense.
  void judge(match& m) const {
    const auto head = m.head;
    for (std::uint32_t p = 0; p < m.count && m.is == status::live; ++p) {
      const auto h = m.parts[p];
      if (m.how == kind::object_state && h != head) continue;
      if (negated_by_[h] != npos) m.is = status::negated, m.cue = negated_by_[h];
    }
    // A worry is about what may happen, not the thing: "假如下大雨车棚会不会漏" still names the shed.
    for (std::uint32_t p = 0; p < m.count && m.is == status::live && m.how != kind::object; ++p)
      if (worried_by_[m.parts[p]] != npos) m.is = status::worried, m.cue = worried_by_[m.parts[p]];
    // "不是煤气，是垃圾的臭味": denying either word of a match denies it.
    for (std::uint32_t p = 0; p < m.count && m.is == status::live; ++p)
      if (denied_by_[m.parts[p]] != npos) m.is = status::denied, m.cue = denied_by_[m.parts[p]];
    const auto& f = facts_[m.clause];
    if (m.is == status::live && f.resolved != npos) m.is = status::resolved, m.cue = f.resolved;
    // The past ends an event, not a defect: "上个月爆管" is over, "墙皮老早就掉了" still wants mending.
    const bool event = c_.categories[m.category].rule.level == urgency::urgent;
    if (m.is == status::live && event && f.past != npos) m.is = status::past, m.cue = f.past;
    // A bare word ("漏水") names no object to judge by, so a cue anywhere in the message says how
    // bad it is; an object in a state is judged by the words around it.
    // Further off, a clause counts when it names the same thing ("按钮磨掉了，看不清是几楼，电梯运行
    // 正常" says the lift works) or names nothing, so can only speak of what was named ("顶上往下
    // 滴水，判断是楼上漏的，一天接小半碗").
    const bool bare = m.how == kind::pattern && m.count == 1;
    for (std::uint32_t k = 0; k < facts_.size(); ++k) {
      const auto far = k > m.clause ? k - m.clause : m.clause - k;
      if (far > 1 && !bare && !names_category(k, m.category) && names_object(facts_[k])) continue;
      const std::uint8_t weight = far == 0 ? 3 : far == 1 ? 2 : 1;
      if (facts_[k].intense) m.intense = std::max(m.intense, weight);
      if (facts_[k].mild) m.mild = std::max(m.mild, weight);
    }
  }

  // Whether clause `k` names an object or a context word of `category`.
  bool names_category(std::uint32_t k, std::uint32_t category) const {
    for (auto i = facts_[k].first; i < facts_[k].last; ++i) {
      const auto& w = word(i);
      for (const auto* list : {&w.object_of, &w.context_of})
        if (std::find(list->begin(), list->end(), category) != list->end()) return true;
    }
    return false;
  }

  const compiled& c_;
  analysis& a_;
  std::vector<clause_facts>& facts_;
  std::vector<std::uint32_t>&negated_by_, &worried_by_, &denied_by_;
  std::vector<std::uint16_t>& context_;  // categories whose context words stand in the message
};

}  // namespace

void analyse(const compiled& c, std::string_view raw, analysis& out) {
  out.text = prepare_text(raw, c.synonyms);
  c.words.scan(out.text, out.hits);
  out.bound_to.assign(out.hits.size(), npos);
  out.matches.clear();
  out.fine_now = false;
  out.planned = false;
  thread_local scratch lists;
  analyser(c, out, lists).run();
}

}  // namespace halfhour::sla::detail
