// Small helpers the resolver's files share: character classes and lists of reasons.
#pragma once

#include <algorithm>
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
    U"非本辖区",   U"不在本辖区", U"不属本辖区", U"不属于本辖区", U"非本街道",     U"不属于本街道",   U"不在本街道",
    U"不是本街道", U"不归本街道", U"不在我街道", U"不属东明",     U"不属于东明",   U"不在东明路街道", U"非东明路街道",
    U"其他街道",   U"其它街道",   U"别的街道",   U"不在东明",     U"不在我们街道", U"不在咱们街道"};

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
