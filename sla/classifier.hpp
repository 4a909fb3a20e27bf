// Urgent or general: decides a repair request's urgency, category and the labelling guide's class
// from rules kept as data, says which rule fired on which words, and how sure it is.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halfhour::sla {

enum class urgency { urgent, general };

// A request asks for a repair, or complains about the property firm's service (物业投诉: staff,
// cleaning, guards, parking, fees, works noise, greenery). A complaint runs on working-day
// clocks; a request that is both is a repair, since something is still broken.
enum class request_kind { repair, complaint };

// One category of repair. A category is recognised three ways, every one within one clause:
// - a pattern: terms joined by '+', in that order, a few characters apart; one term decides alone;
// - an object and a state of it ("水管" … "爆"), in either order, with words between them; a state
//   belongs to the nearest object that can be in it ("电梯口的灯坏了" is the light's);
// - for a general category only, one of its objects on its own ("信箱").
struct category_rule {
  std::string code;
  std::string name;
  urgency level = urgency::general;
  int priority = 0;
  std::vector<std::string> patterns;
  std::string advice;
  std::string group;  // the labelling guide's class: U1..U11, G1..G5
  std::vector<std::string> objects;
  std::vector<std::string> states;
  // An object+state hit of this category does not say how bad it is ("水管漏水": a drip or a
  // flood?): an intensity cue near it confirms it, a mild cue sends it to `mild_code`, and with
  // neither it stays here, marked uncertain.
  bool needs_intensity = false;
  std::string mild_code;
  // When set, a hit counts only with one of these words in the message: a tile or a pane of glass
  // is a falling hazard when it is high up or over a path ("楼下", "外墙"), not on a kitchen wall.
  std::vector<std::string> context;
  // A facility: a part named right after one of its objects is its job ("垃圾房的门", "车棚灯").
  bool owns_parts = false;
  // Its objects name it only in one of its states: a wall is damp only when the text says so.
  bool objects_need_state = false;
  // Its objects take only states said after them: water that "往外冒" is a leak, "滴半桶水" is not.
  bool objects_first = false;
  // An outage announced ahead ("通知：周四9:00-11:00停水") is this category instead: a notice.
  std::string planned_code;
  // A topic of complaint (staff, cleaning, guards …) is a category too, called where no repair is.
  request_kind kind = request_kind::repair;
};

struct classifier_rules {
  std::vector<category_rule> categories;
  std::vector<std::string> clause_breaks;
  std::vector<std::string> negation_cues;
  std::vector<std::string> resolved_cues;
  std::vector<std::string> past_cues;
  std::vector<std::string> ongoing_cues;
  std::vector<std::string> urgent_hints;
  std::vector<std::string> tone_cues;
  // Screening a group chat's message that names no repair: adverts and small talk are not
  // requests; a message asking for help is one even when no category fits.
  std::vector<std::string> advert_cues;
  std::vector<std::string> chat_cues;
  std::vector<std::string> request_cues;
  // Colloquial and Shanghainese wording rewritten before matching ("坏脱了" → "坏了"), longest first.
  std::vector<std::pair<std::string, std::string>> synonyms;
  std::vector<std::string> intensity_cues;  // "哗哗", "整栋": an ambiguous hit is the urgent one
  std::vector<std::string> mild_cues;       // "一点点", "运行正常": an ambiguous hit is the mild one
  std::vector<std::string> denial_cues;     // "不是" X "是" Y: X is denied ...
  std::vector<std::string> affirm_cues;     // ... up to here, and Y decides
  std::vector<std::string> neutral_terms;   // words that hide the shorter words inside them ("漫步机")
  std::vector<std::string> fine_now_cues;  // "目前运行正常", "问问而已": it works now, nothing is asked to be mended
  std::vector<std::string> worry_cues;  // "担心", "万一": what follows may happen, it has not
  // "通知", "提前储水" with "明天", "周四": work announced ahead (see category_rule::planned_code).
  std::vector<std::string> planned_cues;
  std::vector<std::string> future_cues;
  std::vector<std::string> news_cues;  // "新闻里讲", "别的小区": the rest of the clause happened elsewhere
  int object_window = 0;               // code points between an object and its state; 0: 10
  // A general call becomes urgent and uncertain when the second opinion gives it at least this
  // probability of being urgent; 0: no second opinion is asked.
  double opinion_threshold = 0;
};

// A learned second opinion on urgency (a model trained on labelled requests). The rules decide;
// where they call a request general, a high enough probability of urgent makes it urgent and
// uncertain, so a person confirms it. It never makes an urgent request general: a false alarm
// costs a visit, a missed one a flooded flat.
class urgency_opinion {
 public:
  virtual ~urgency_opinion() = default;
  // The probability, 0..1, that `text` asks for an urgent repair.
  virtual double urgent(std::string_view text) const = 0;
  // What the opinion is, for the reason it gives ("fastText").
  virtual std::string name() const = 0;
};

struct reason {
  std::string rule;
  std::vector<std::string> words;
  std::string note;

  bool operator==(const reason&) const = default;
};

struct classification {
  urgency level = urgency::urgent;
  std::string category;
  std::string category_name;
  std::vector<reason> reasons;
  std::string advice;
  bool overridden = false;
  std::string group;                         // the class of the labelling guide (U1..U11, G1..G5); empty if none
  double confidence = 0;                     // 0..1, from how the decision was reached
  bool uncertain = false;                    // then urgent, the safe side, with a reason saying 待确认
  request_kind kind = request_kind::repair;  // a complaint's level is general

  bool operator==(const classification&) const = default;
};

// What the channel itself said; the hazard in the text outranks both.
struct classification_hints {
  std::string category;
  std::string urgency;
};

// Whether a message from a chat channel asks for a repair at all.
struct screening {
  bool request = true;
  std::string reason;  // Chinese, when it is not a request: what it looked like and on which words
};

inline constexpr std::string_view unclassified_code = "unclassified";

// Category `r` as the rules define it, with its urgency: code, name, the guide's class, advice.
// The classifier's decisions and an operator's corrections both take a category through this, so
// a corrected job carries the same class a classified one would.
void take_category(classification& out, const category_rule& r);

namespace detail {
struct compiled;
}

class classifier {
 public:
  // Throws std::invalid_argument on rules that cannot work (no categories, empty terms).
  explicit classifier(classifier_rules rules);
  // With a second opinion, asked where the rules call a request general (when the rules'
  // opinion_threshold is above 0).
  classifier(classifier_rules rules, std::shared_ptr<const urgency_opinion> opinion);

  classification classify(std::string_view text, const classification_hints& hints = {}) const;

  const category_rule* find(std::string_view code) const;
  const classifier_rules& rules() const;

  // A message naming a repair (any category) is a request; one that names none is not when it
  // reads as an advert, or as thanks or small talk with no request for help. In doubt, it is
  // a request: a missed flood costs more than an operator's glance.
  screening screen(std::string_view text, const classification& cls) const;

 private:
  classifier_rules rules_;  // as given
  // Compiled once and never changed, so copies of a classifier share them: the repairs, and the
  // complaints (none when the rules have no complaint category).
  std::shared_ptr<const detail::compiled> c_;
  std::shared_ptr<const detail::compiled> complaints_;
  std::shared_ptr<const urgency_opinion> opinion_;
};

}  // namespace halfhour::sla
