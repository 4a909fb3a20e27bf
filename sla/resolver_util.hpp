// Small helpers the resolver's files share: character classes and lists of reasons.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace halfhour::sla::resolver_util {

inline bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
inline bool is_han(char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }
inline bool is_space(char32_t c) { return c == U' ' || c == 0x3000; }  // ASCII or ideographic
inline bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }
inline bool has(std::u32string_view t, std::u32string_view what) { return t.find(what) != std::u32string_view::npos; }

// A town (镇) at `p`: "三林镇", "北蔡镇"; "冰镇", "城镇", "镇定" are words, not towns.
inline bool town_at(std::u32string_view t, std::size_t p) {
  if (p < 2 || !is_han(t[p - 1]) || !is_han(t[p - 2]) || in(U"冰城乡重坐村", t[p - 1])) return false;
  return !(p + 1 < t.size() && in(U"定静压守住", t[p + 1]));
}

// Words that put the whole request outside the sub-district, as operators write after asking:
// "经确认来电人住宝山区，非本辖区", "已告知非本街道".
inline constexpr std::u32string_view outside_cues[] = {
    U"属地不符", U"不是我们街道", U"非本辖区",       U"不在本辖区",   U"不属本辖区", U"不属于本辖区",
    U"非本街道", U"不属于本街道", U"不在本街道",     U"不是本街道",   U"不归本街道", U"不在我街道",
    U"不属东明", U"不属于东明",   U"不在东明路街道", U"非东明路街道", U"其他街道",   U"其它街道",
    U"别的街道", U"不在东明",     U"不在我们街道",   U"不在咱们街道", U"不属本街道"};

// Words of a correction, said in a call: "先报……后说明是", "不对，是……", "更正为"; and of where the
// request points: "反映的是", "报的是".
inline constexpr std::u32string_view first_cues[] = {U"先报",   U"先说",   U"先称",   U"起先说", U"起先称", U"一开始说",
                                                     U"开始说", U"起初说", U"起初称", U"最初说", U"原报"};
inline constexpr std::u32string_view reported_here[] = {U"反映的是", U"报的是", U"报修的是", U"要报的是",
                                                        U"坏的是",   U"坏额是", U"说的是",   U"反映其",
                                                        U"报修其",   U"漏的是", U"出事的是"};
inline constexpr std::u32string_view right_cues[] = {U"是", U"应为", U"改为", U"实为", U"应该是", U"就是"};
inline constexpr std::u32string_view later_cues[] = {U"后说明", U"后称",     U"后又称", U"后改称", U"后改口", U"后又说",
                                                     U"后来说", U"后经核实", U"经核实", U"核实为", U"确认为", U"应为",
                                                     U"实为",   U"后更正",   U"更正为", U"改为",   U"改成"};

// Whose home a place may be: "女儿家", "我妈住…".
inline constexpr std::u32string_view others[] = {
    U"女儿",   U"儿子",   U"朋友", U"亲戚", U"父母", U"爸妈",   U"同学",   U"老人",   U"妈妈", U"爸爸", U"妈",
    U"爸",     U"母亲",   U"父亲", U"婆婆", U"公公", U"岳母",   U"奶奶",   U"爷爷",   U"外婆", U"外公", U"姐姐",
    U"哥哥",   U"妹妹",   U"弟弟", U"舅舅", U"姑姑", U"阿姨",   U"表姐",   U"表哥",   U"表妹", U"表弟", U"姨妈",
    U"婶婶",   U"舅妈",   U"姑妈", U"女婿", U"儿媳", U"孙子",   U"孙女",   U"外孙",   U"侄子", U"侄女", U"外甥",
    U"丈母娘", U"老丈人", U"同事", U"东家", U"雇主", U"老母亲", U"老父亲", U"老同学", U"亲家"};

// "女儿家…", "妈妈家…": text that opens with someone's home.
inline bool opens_with_their_home(std::u32string_view t) {
  return std::any_of(std::begin(others), std::end(others), [&](std::u32string_view who) {
    return t.starts_with(who) && t.substr(who.size()).starts_with(U"家");
  });
}

// The text saying the trouble is not the community's, or may not be: "不是阿拉小区",
// "不知道是不是我们小区的", "可能不归物业管", "马路对面那排房子", a public place ("小区对面公交站
// 旁边", "后门对过菜场里向", "马路中间"), a shop ("店内"). Not a landmark people live by ("住菜场对面",
// "幼儿园斜对面", "离地铁站最近那栋"): those stay the community's.
inline constexpr std::u32string_view not_the_community[] = {
    U"不是我们小区", U"不是阿拉小区", U"勿是阿拉小区", U"不是本小区",   U"不是小区里",   U"不归物业管",
    U"不属于小区",   U"马路对面",     U"小区对面",     U"小区对过",     U"小区隔壁",     U"门对面",
    U"门对过",       U"门口对面",     U"公交站",       U"公交车站",     U"加油站",       U"工地",
    U"马路中间",     U"店内",         U"店里",         U"对过小区",     U"对面小区",     U"对面那个小区",
    U"对过那个小区", U"商场",         U"公共厕所",     U"公厕",         U"卫生服务中心", U"受理服务中心",
    U"党群服务中心", U"不是小区",     U"不是一个小区", U"口外面",       U"小区大门外",   U"小区门外",
    U"小区东门外",   U"小区西门外",   U"小区南门外",   U"小区北门外",   U"小区后门外",   U"十字路口",
    U"路路口",       U"街心花园",     U"出门右转",     U"出门左转",     U"不是她们小区", U"不是他们小区",
    U"不是哪个小区", U"是马路上",     U"不是报这里",   U"不是这里的事", U"这边都好",     U"这里都好",
    U"这边没事",     U"路上一家",     U"路上的一家"};

// The caller away from home when they saw it, or the trouble at their work: "今天路过成山路地铁站",
// "公司在张江". Not "路过的人" (passers-by), nor "物业公司在处理".
inline constexpr std::u32string_view caller_away[] = {
    U"我路过",     U"今天路过", U"刚才路过",   U"刚刚路过", U"早上路过", U"公司在",     U"单位在",
    U"其单位",     U"我单位",   U"其工作的",   U"我工作的", U"我上班的", U"其上班的",   U"上班那家",
    U"上班的那家", U"上班额",   U"上班的地方", U"他上班的", U"她上班的", U"服务的那户", U"东家"};

// Whether `t` holds, ends with or starts with any of `words` (a cue list above, or a local one).
inline bool has_any(std::u32string_view t, std::span<const std::u32string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::u32string_view w) { return has(t, w); });
}
inline bool ends_with_any(std::u32string_view t, std::span<const std::u32string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::u32string_view w) { return t.ends_with(w); });
}
inline bool starts_with_any(std::u32string_view t, std::span<const std::u32string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::u32string_view w) { return t.starts_with(w); });
}

// Takes the first of `words` that `t` starts (ends) with off it; whether one was.
inline bool drop_prefix(std::u32string_view& t, std::initializer_list<std::u32string_view> words) {
  for (const auto w : words)
    if (t.starts_with(w)) {
      t.remove_prefix(w.size());
      return true;
    }
  return false;
}
inline bool drop_suffix(std::u32string_view& t, std::initializer_list<std::u32string_view> words) {
  for (const auto w : words)
    if (t.ends_with(w)) {
      t.remove_suffix(w.size());
      return true;
    }
  return false;
}

inline void add_unique(std::vector<std::string>& to, const std::string& s) {
  if (!s.empty() && std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
}

inline std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

}  // namespace halfhour::sla::resolver_util
