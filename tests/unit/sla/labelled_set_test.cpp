// Accuracy of the shipped rules and directory on the labelled sets in tests/data: the figures
// are printed, and the test fails if they fall below the bar or if too many urgent requests are
// called general (the one mistake that leaves a flooded flat waiting).
#include <gtest/gtest.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>

#include "adapters/config.hpp"
#include "sla/classifier.hpp"
#include "sla/resolver.hpp"
#include "tests/data/labelled.hpp"
#include "tests/unit/sla/shipped.hpp"

namespace halfhour::sla {
namespace {

using testing::labelled;

std::vector<labelled> read_set(const std::string& name) {
  return testing::read_labelled(std::string(HALFHOUR_TEST_DATA_DIR "/") + name);
}

const classifier& shipped() { return testing::shipped_classifier(); }

struct score {
  std::size_t n = 0, urgency = 0, category = 0, route = 0, urgent_called_general = 0;
  double rate(std::size_t k) const { return static_cast<double>(k) / static_cast<double>(n); }
};

// The old sets name categories by rule code; the labelling guide scores the class, so a code is
// right when it falls in the same class ("water_leak" for "burst_pipe": both U1). A code with no
// class ("unclassified") must match itself.
bool same_category(const classification& c, const std::string& labelled_code) {
  const auto* want = shipped().find(labelled_code);
  if (want && !want->group.empty()) return c.group == want->group;
  return c.category == labelled_code;
}

score evaluate(const std::string& name) {
  const resolver res(config::default_directory());
  const auto rows = read_set(name);
  score s;
  s.n = rows.size();
  std::ostringstream misses;
  for (const auto& r : rows) {
    auto c = shipped().classify(r.text);
    auto w = res.resolve(r.address, r.text);
    const std::string urgency = c.level == urgency::urgent ? "URGENT" : "GENERAL";
    const std::string community = w.to == route::firm ? w.community_name : "STATION";
    const bool category_ok = same_category(c, r.category);
    s.urgency += urgency == r.urgency;
    s.category += category_ok;
    s.route += community == r.community;
    if (r.urgency == "URGENT" && urgency == "GENERAL") ++s.urgent_called_general;
    if (urgency != r.urgency || !category_ok || community != r.community) {
      misses << "  [" << r.kind << "] " << r.text << " | " << r.address << "\n    want " << r.urgency << " "
             << r.category << " " << r.community << "\n    got  " << urgency << " " << c.category << " " << community
             << "\n";
    }
  }
  std::cout << name << ": " << s.n << " requests\n"
            << "  urgency  " << s.urgency << "/" << s.n << " = " << 100 * s.rate(s.urgency) << "%\n"
            << "  category " << s.category << "/" << s.n << " = " << 100 * s.rate(s.category) << "%\n"
            << "  routing  " << s.route << "/" << s.n << " = " << 100 * s.rate(s.route) << "%\n"
            << "  urgent called general: " << s.urgent_called_general << "\n"
            << "misses:\n"
            << misses.str();
  return s;
}

TEST(labelled_set, accuracy_of_classifier_and_resolver) {
  auto s = evaluate("labelled_requests.tsv");
  ASSERT_GE(s.n, 100u);
  EXPECT_EQ(s.urgent_called_general, 0u);
  EXPECT_GE(s.rate(s.urgency), 0.97);
  EXPECT_GE(s.rate(s.category), 0.90);
  EXPECT_GE(s.rate(s.route), 0.97);
}

// The held-out set was never tuned against; its bar is lower, and its figures are the honest
// ones. An urgent request called general still fails it.
TEST(labelled_set, held_out_accuracy) {
  auto s = evaluate("labelled_holdout.tsv");
  ASSERT_GE(s.n, 30u);
  EXPECT_EQ(s.urgent_called_general, 0u);
  EXPECT_GE(s.rate(s.urgency), 0.90);
  EXPECT_GE(s.rate(s.category), 0.75);
  EXPECT_GE(s.rate(s.route), 0.90);
}

// One door's decisions: urgent requests kept urgent or called general, general ones kept general
// or called urgent, and the class right or wrong.
struct door_tally {
  std::size_t n = 0, urgent_kept = 0, urgent_lost = 0, general_kept = 0, general_raised = 0, class_right = 0;

  void add(const door_tally& o) {
    n += o.n, urgent_kept += o.urgent_kept, urgent_lost += o.urgent_lost, general_kept += o.general_kept;
    general_raised += o.general_raised, class_right += o.class_right;
  }
  double recall() const { return ratio(urgent_kept, urgent_kept + urgent_lost); }
  double urgency() const { return ratio(urgent_kept + general_kept, n); }
  double classes() const { return ratio(class_right, n); }
  static double ratio(std::size_t a, std::size_t b) {
    return b ? static_cast<double>(a) / static_cast<double>(b) : 1.0;
  }
};

std::string line_of(const std::string& door, const door_tally& t) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %-10s %4zu %9zu %9zu %9zu %9zu %7zu   %.3f %.3f %.3f\n", door.c_str(), t.n,
                t.urgent_kept, t.urgent_lost, t.general_kept, t.general_raised, t.class_right, t.recall(), t.urgency(),
                t.classes());
  return buf;
}

// The corpus written to the labelling guide (requests_dev.tsv: the part for tuning; its test part
// is scored elsewhere and never read here), scored as the guide scores it: urgent recall first,
// urgency, and the class U1..U11 / G1..G5. The bars are the figures reached, less a small margin.
TEST(labelled_set, guide_corpus_dev_part) {
  const auto rows = read_set("requests_dev.tsv");
  ASSERT_GE(rows.size(), 800u);
  std::map<std::string, door_tally> doors;
  std::ostringstream misses;
  for (const auto& r : rows) {
    const auto c = shipped().classify(r.text);
    const bool urgent = c.level == urgency::urgent, want_urgent = r.urgency == "URGENT";
    auto& t = doors[r.door];
    ++t.n;
    (want_urgent ? (urgent ? t.urgent_kept : t.urgent_lost) : (urgent ? t.general_raised : t.general_kept))++;
    t.class_right += c.group == r.category;
    if (urgent != want_urgent || c.group != r.category)
      misses << "  [" << r.door << (want_urgent && !urgent ? ", URGENT CALLED GENERAL" : "") << "] " << r.text
             << "\n    want " << r.urgency << " " << r.category << "  got " << (urgent ? "URGENT " : "GENERAL ")
             << (c.group.empty() ? c.category : c.group) << (c.uncertain ? " (待确认)" : "") << "\n";
  }
  door_tally all;
  std::string table = "  door          n  urgent ok  urg->gen   gen ok   gen->urg  class   recall urgency class\n";
  for (const auto& [door, t] : doors) {
    table += line_of(door, t);
    all.add(t);
  }
  table += line_of("all", all);
  std::cout << "requests_dev.tsv: " << all.n << " requests\n"
            << "  urgent recall " << all.recall() << ", urgency " << all.urgency() << ", category (class) "
            << all.classes() << "\n"
            << table << "misses:\n"
            << misses.str();
  // Reached when the bars were set (1,648 rows, all tuned on): recall 0.999, urgency 0.990,
  // class 0.976.
  EXPECT_GE(all.recall(), 0.995);
  EXPECT_GE(all.urgency(), 0.985);
  EXPECT_GE(all.classes(), 0.970);
}

struct routed_part {
  door_tally all;
  double routing = 0;
  std::size_t unplaced_to_firm = 0;
};

// A dev part scored with routing, its misses printed (dev parts are tuned on: reading them is the
// point). An AMBIGUOUS or UNKNOWN place sent to a single firm is counted apart.
routed_part score_with_routing(const std::string& file, std::size_t at_least = 500) {
  const resolver res(config::default_directory());
  const auto rows = read_set(file);
  EXPECT_GE(rows.size(), at_least);
  std::map<std::string, door_tally> doors;
  std::size_t routed = 0;
  routed_part out;
  std::ostringstream misses;
  for (const auto& r : rows) {
    const auto c = shipped().classify(r.text);
    const auto w = res.resolve(r.address, r.text);
    const bool urgent = c.level == urgency::urgent, want_urgent = r.urgency == "URGENT";
    const bool unplaced = r.community == "AMBIGUOUS" || r.community == "UNKNOWN";
    const std::string got_place = w.to == route::firm ? w.community_name : "STATION";
    const bool route_ok = got_place == (unplaced ? "STATION" : r.community);
    auto& t = doors[r.door];
    ++t.n;
    (want_urgent ? (urgent ? t.urgent_kept : t.urgent_lost) : (urgent ? t.general_raised : t.general_kept))++;
    t.class_right += c.group == r.category;
    routed += route_ok;
    out.unplaced_to_firm += unplaced && w.to == route::firm;
    if (urgent != want_urgent || c.group != r.category || !route_ok)
      misses << "  [" << r.door << (want_urgent && !urgent ? ", URGENT CALLED GENERAL" : "") << "] " << r.text << " | "
             << r.address << "\n    want " << r.urgency << " " << r.category << " " << r.community << "  got "
             << (urgent ? "URGENT " : "GENERAL ") << (c.group.empty() ? c.category : c.group) << " " << got_place
             << "\n";
  }
  for (const auto& [door, t] : doors) out.all.add(t);
  out.routing = door_tally::ratio(routed, out.all.n);
  std::cout << file << ": " << out.all.n << " requests\n"
            << "  urgent recall " << out.all.recall() << ", urgency " << out.all.urgency() << ", category (class) "
            << out.all.classes() << ", routing " << out.routing << ", unplaced to a firm " << out.unplaced_to_firm
            << "\n"
            << "misses:\n"
            << misses.str();
  return out;
}

// The bars a dev part holds once tuned on: what was reached, so that nothing slips back.
struct bars {
  std::size_t unplaced_to_firm;
  double recall, urgency, classes, routing;
};

void expect_bars(const routed_part& p, const bars& b) {
  EXPECT_LE(p.unplaced_to_firm, b.unplaced_to_firm);
  EXPECT_GE(p.all.recall(), b.recall);
  EXPECT_GE(p.all.urgency(), b.urgency);
  EXPECT_GE(p.all.classes(), b.classes);
  EXPECT_GE(p.routing, b.routing);
}

// The third dev part (requests_dev3.tsv: long WeChat messages with the hazard last, 12345
// summaries of several problems, Shanghainese, hedging, hypotheticals, English and pinyin,
// addresses written every way).
TEST(labelled_set, guide_corpus_dev3_part) {
  const auto p = score_with_routing("requests_dev3.tsv");
  // Scored unseen before any rule was tuned on it: recall 0.967, urgency 0.937, class 0.860,
  // routing 0.962. Reached when the bars were set: recall 1.000, urgency 0.995, class 0.968,
  // routing 0.988.
  expect_bars(p, {0, 0.995, 0.99, 0.96, 0.98});
}

// The fourth dev part (requests_dev4.tsv: hard voices, places offered as alternatives, committees
// of two communities, split lanes written "586A").
TEST(labelled_set, guide_corpus_dev4_part) {
  const auto p = score_with_routing("requests_dev4.tsv");
  // Scored unseen: recall 0.959, urgency 0.940, class 0.887, routing 0.985, 3 unplaced to a firm.
  // Reached when the bars were set: 0.996, 0.981, 0.925, 0.994, 1 (a name half remembered,
  // "金什么新苑", read as a near miss of 品新苑; now read as such, 0).
  expect_bars(p, {0, 0.99, 0.975, 0.92, 0.99});
}

// The sixth dev part (requests_dev6.tsv: addresses written every way, 120 of them AMBIGUOUS or
// UNKNOWN: half-remembered names, firms, pinyin, another district's namesake, someone else's home).
TEST(labelled_set, guide_corpus_dev6_part) {
  const auto p = score_with_routing("requests_dev6.tsv", 300);
  // Scored unseen: recall 1.000, urgency 0.993, class 0.960, routing 0.783, 13 unplaced to a
  // firm. Reached when the bars were set: routing 0.983, 2 unplaced to a firm (parents' home in
  // another district with our address given; "老银杏苑", 老 for 古).
  expect_bars(p, {2, 0.99, 0.99, 0.95, 0.98});
}

// The seventh dev part (requests_dev7.tsv: committee-desk and hotline notes, half of them
// AMBIGUOUS or UNKNOWN: committees of several communities, digits for numerals, firms, phases).
TEST(labelled_set, guide_corpus_dev7_part) {
  const auto p = score_with_routing("requests_dev7.tsv", 200);
  // Scored unseen: recall 0.990, urgency 0.985, class 0.975, routing 0.970, 1 unplaced to a firm.
  // Reached when the bars were set: 1.000, 0.990, 0.980, 0.980, 0.
  expect_bars(p, {0, 0.99, 0.985, 0.97, 0.975});
}

// The eighth dev part (requests_dev8.tsv: committee-desk notes, 113 of 250 AMBIGUOUS or UNKNOWN:
// clerks' short forms, namesakes in other towns, relatives' homes, denials).
TEST(labelled_set, guide_corpus_dev8_part) {
  const auto p = score_with_routing("requests_dev8.tsv", 250);
  // Scored unseen (as shipped): recall 1.000, urgency 0.976, class 0.960, routing 0.900, 8
  // unplaced to a firm (seven namesakes in other towns). Reached when the bars were set: routing
  // 0.968, 0.
  expect_bars(p, {0, 0.99, 0.97, 0.95, 0.96});
}

// The ninth dev part (requests_dev9.tsv: every door, 150 of 299 AMBIGUOUS or UNKNOWN; clerks'
// fields parted by spaces, firms beside committees, relatives' homes, news and hedging).
TEST(labelled_set, guide_corpus_dev9_part) {
  const auto p = score_with_routing("requests_dev9.tsv", 299);
  // Scored unseen (as shipped): recall 0.994, urgency 0.953, class 0.906, routing 0.920, 4
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.970, 0.920, 0.990, 1.
  expect_bars(p, {1, 0.99, 0.96, 0.91, 0.98});
}

// The tenth dev part (requests_dev10.tsv: every door, 60 of 300 AMBIGUOUS or UNKNOWN; relatives'
// homes beside the poster's own address, namesakes said to lie elsewhere, places taken back).
TEST(labelled_set, guide_corpus_dev10_part) {
  const auto p = score_with_routing("requests_dev10.tsv", 300);
  // Scored unseen (as shipped): recall 1.000, urgency 0.977, class 0.937, routing 0.973, 3
  // unplaced to a firm. Reached when the bars were set: routing 1.000, 0.
  expect_bars(p, {0, 0.99, 0.97, 0.93, 0.99});
}

// The eleventh dev part (requests_dev11.tsv: written for hard decisions: hazards without their
// keyword, questions, notices and news, borderline categories, addresses that contradict the text).
TEST(labelled_set, guide_corpus_dev11_part) {
  const auto p = score_with_routing("requests_dev11.tsv", 300);
  // Scored unseen (as shipped): recall 1.000, urgency 0.893, class 0.837, routing 0.963, 7
  // unplaced to a firm. Reached when the bars were set: urgency 0.930, class 0.863, routing
  // 0.990, 0.
  expect_bars(p, {0, 0.99, 0.92, 0.855, 0.985});
}

// The twelfth dev part (requests_dev12.tsv: written for hard places: relatives' homes, roads outside
// communities, namesakes, split lanes, committees of two communities, clerks' shorthand).
TEST(labelled_set, guide_corpus_dev12_part) {
  const auto p = score_with_routing("requests_dev12.tsv", 300);
  // Scored unseen (as shipped): recall 0.987, urgency 0.920, class 0.893, routing 0.930, 15
  // unplaced to a firm. Reached when the bars were set: 0.994, 0.943, 0.920, 0.970, 3.
  expect_bars(p, {3, 0.99, 0.935, 0.91, 0.965});
}

// The thirteenth dev part (requests_dev13.tsv: every door as an ordinary month brings them).
TEST(labelled_set, guide_corpus_dev13_part) {
  const auto p = score_with_routing("requests_dev13.tsv", 300);
  // Scored unseen (as shipped): recall 0.985, urgency 0.960, class 0.917, routing 0.997, 0
  // unplaced to a firm. Reached when the bars were set: 0.993, 0.963, 0.923, 0.997, 0.
  expect_bars(p, {0, 0.99, 0.955, 0.915, 0.99});
}

// The fourteenth dev part (requests_dev14.tsv: older residents, busy clerks, hurried operators;
// places said outside after asking, two lanes offered with spaces, stems parted by spaces).
TEST(labelled_set, guide_corpus_dev14_part) {
  const auto p = score_with_routing("requests_dev14.tsv", 300);
  // Scored unseen (as shipped): recall 0.993, urgency 0.937, class 0.893, routing 0.963, 5
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.940, 0.897, 0.987, 0.
  expect_bars(p, {0, 0.99, 0.935, 0.89, 0.98});
}

// The fifteenth dev part (requests_dev15.tsv: where the trouble is, half of it AMBIGUOUS or
// UNKNOWN: public ground, the caller's work, shop or former home, places said elsewhere after asking).
TEST(labelled_set, guide_corpus_dev15_part) {
  const auto p = score_with_routing("requests_dev15.tsv", 240);
  // Scored unseen (as shipped): recall 0.984, urgency 0.971, class 0.929, routing 0.821, 23
  // unplaced to a firm. Reached when the bars were set: 0.984, 0.971, 0.929, 0.908, 3 (two
  // homes or a lane said roughly sent to the station cost the routing; the three left are a
  // firm's bare name used as an area, a split estate's "东面西面" and a lane the caller took back;
  // the dev16 round's rules settled them: routing 0.925, 0 unplaced to a firm).
  expect_bars(p, {0, 0.98, 0.965, 0.925, 0.92});
}

// The sixteenth dev part (requests_dev16.tsv: unclear, hedged, corrected and elsewhere addresses
// beside clear ones written every way, from every door).
TEST(labelled_set, guide_corpus_dev16_part) {
  const auto p = score_with_routing("requests_dev16.tsv", 240);
  // Scored unseen (as shipped): recall 1.000, urgency 0.988, class 0.975, routing 0.942, 1
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.988, 0.975, 0.963, 0.
  expect_bars(p, {0, 0.99, 0.98, 0.97, 0.96});
}

// The seventeenth dev part (requests_dev17.tsv: hard urgent/general decisions: hazards named by
// object and state, local words, several problems, past and again-now, negation, tone).
TEST(labelled_set, guide_corpus_dev17_part) {
  const auto p = score_with_routing("requests_dev17.tsv", 240);
  // Scored unseen (as shipped): recall 1.000, urgency 0.963, class 0.887, routing 0.979, 1
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.967, 0.904, 0.988, 0.
  expect_bars(p, {0, 0.99, 0.96, 0.90, 0.98});
}

// The eighteenth dev part (requests_dev18.tsv: a month as it comes, from every door, in a season of
// rain, cold and heat).
TEST(labelled_set, guide_corpus_dev18_part) {
  const auto p = score_with_routing("requests_dev18.tsv", 240);
  // Scored unseen (as shipped): recall 1.000, urgency 0.958, class 0.954, routing 0.967, 1
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.958, 0.954, 0.979, 0.
  expect_bars(p, {0, 0.99, 0.955, 0.95, 0.975});
}

// The nineteenth dev part (requests_dev19.tsv: who calls for whom, posters writing about other
// estates, short terse requests).
TEST(labelled_set, guide_corpus_dev19_part) {
  const auto p = score_with_routing("requests_dev19.tsv", 180);
  // Scored unseen (as shipped): recall 1.000, urgency 0.972, class 0.967, routing 0.783, 14
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.972, 0.967, 0.861, 1 (a daughter's
  // home said only as "浦东那边的新房子").
  expect_bars(p, {1, 0.99, 0.97, 0.96, 0.86});
}

// The twentieth dev part (requests_dev20.tsv: the place is the hard part, at every door: lanes,
// landmarks, committees and firms of one or several communities, group names, desk notes).
TEST(labelled_set, guide_corpus_dev20_part) {
  const auto p = score_with_routing("requests_dev20.tsv", 210);
  // Scored unseen (as shipped): recall 1.000, urgency 0.971, class 0.971, routing 0.910, 11
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.971, 0.971, 0.962, 0.
  expect_bars(p, {0, 0.99, 0.97, 0.97, 0.96});
}

// The twenty-first dev part (requests_dev21.tsv: several people and places in one request: long
// hotline summaries, forwarded and quoted chat, terse notes by desks, the station and guards).
TEST(labelled_set, guide_corpus_dev21_part) {
  const auto p = score_with_routing("requests_dev21.tsv", 210);
  // Scored unseen (as shipped): recall 1.000, urgency 0.952, class 0.952, routing 0.814, 21
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.952, 0.952, 0.895, 4; after the
  // dev22 round, 0.900 and 3 (a cousin's estate named for comparison by a caller from another
  // town; a riverside path "outside the wall"; "永泰那边有人说").
  expect_bars(p, {3, 0.99, 0.95, 0.95, 0.89});
}

// The twenty-second dev part (requests_dev22.tsv: desk notes with several people and places, posts
// about public ground at estates' edges, hotline calls with hard names).
TEST(labelled_set, guide_corpus_dev22_part) {
  const auto p = score_with_routing("requests_dev22.tsv", 210);
  // Scored unseen (as shipped): recall 1.000, urgency 0.933, class 0.895, routing 0.819, 20
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.933, 0.895, 0.919, 0.
  expect_bars(p, {0, 0.99, 0.93, 0.89, 0.91});
}

// The twenty-third dev part (requests_dev23.tsv: forwarded work orders, several places in one
// message, elderly callers with old names).
TEST(labelled_set, guide_corpus_dev23_part) {
  const auto p = score_with_routing("requests_dev23.tsv", 210);
  // Scored unseen (as shipped): recall 1.000, urgency 0.957, class 0.924, routing 0.838, 12
  // unplaced to a firm. Reached when the bars were set: 1.000, 0.957, 0.924, 0.890, 1 ("品华还是品珍
  // 我记不清了": the committee's bare name 品华 narrows the half-remembered 品什么苑).
  expect_bars(p, {1, 0.99, 0.95, 0.92, 0.885});
}

}  // namespace
}  // namespace halfhour::sla
