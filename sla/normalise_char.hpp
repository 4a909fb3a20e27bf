// The shared normalisation one character at a time: the whitespace it drops, and what it makes of
// any other character. For text.cpp's normalise, and for the classifier and the resolver, which
// normalise in the same pass as their own rewriting of a request.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <utility>

namespace halfhour::sla {

// Traditional characters people type (phones set to Hong Kong or Taiwan input, older residents)
// for the ones of the directory's names and of repair words: "翠竹園 8號樓 水管爆了". Sorted by the
// traditional character, for a binary search.
inline constexpr std::pair<char32_t, char32_t> traditional[] = {
    {U'來', U'来'}, {U'個', U'个'}, {U'們', U'们'}, {U'兩', U'两'}, {U'凱', U'凯'}, {U'匯', U'汇'}, {U'區', U'区'},
    {U'問', U'问'}, {U'單', U'单'}, {U'園', U'园'}, {U'報', U'报'}, {U'塊', U'块'}, {U'壓', U'压'}, {U'壞', U'坏'},
    {U'媽', U'妈'}, {U'寧', U'宁'}, {U'層', U'层'}, {U'幾', U'几'}, {U'廚', U'厨'}, {U'後', U'后'}, {U'懸', U'悬'},
    {U'掛', U'挂'}, {U'斷', U'断'}, {U'東', U'东'}, {U'棟', U'栋'}, {U'楊', U'杨'}, {U'楓', U'枫'}, {U'榮', U'荣'},
    {U'樓', U'楼'}, {U'樹', U'树'}, {U'氣', U'气'}, {U'沒', U'没'}, {U'淩', U'凌'}, {U'滲', U'渗'}, {U'滿', U'满'},
    {U'漿', U'浆'}, {U'灣', U'湾'}, {U'煙', U'烟'}, {U'燈', U'灯'}, {U'燒', U'烧'}, {U'爺', U'爷'}, {U'現', U'现'},
    {U'環', U'环'}, {U'瓏', U'珑'}, {U'窩', U'窝'}, {U'紅', U'红'}, {U'線', U'线'}, {U'縫', U'缝'}, {U'聞', U'闻'},
    {U'臺', U'台'}, {U'興', U'兴'}, {U'華', U'华'}, {U'蓋', U'盖'}, {U'號', U'号'}, {U'衛', U'卫'}, {U'裏', U'里'},
    {U'裡', U'里'}, {U'誠', U'诚'}, {U'請', U'请'}, {U'謝', U'谢'}, {U'貴', U'贵'}, {U'這', U'这'}, {U'邊', U'边'},
    {U'錦', U'锦'}, {U'鎖', U'锁'}, {U'鐵', U'铁'}, {U'門', U'门'}, {U'開', U'开'}, {U'間', U'间'}, {U'關', U'关'},
    {U'陽', U'阳'}, {U'電', U'电'}, {U'頂', U'顶'}, {U'馬', U'马'}, {U'鳳', U'凤'}, {U'點', U'点'}, {U'齊', U'齐'},
    {U'龍', U'龙'}};

// One bit per character of the Basic Multilingual Plane: set for those of the table, so that
// almost every character is passed over without a search (the classifier reads every one).
inline constexpr auto traditional_bits = [] {
  std::array<std::uint64_t, 0x10000 / 64> bits{};
  for (const auto& [from, to] : traditional) bits[from >> 6] |= std::uint64_t{1} << (from & 63);
  return bits;
}();

inline char32_t simplified(char32_t cp) {
  if (cp >= 0x10000 || !((traditional_bits[cp >> 6] >> (cp & 63)) & 1)) return cp;
  const auto* end = std::end(traditional);
  const auto* at = std::lower_bound(std::begin(traditional), end, cp,
                                    [](const std::pair<char32_t, char32_t>& p, char32_t c) { return p.first < c; });
  return at != end && at->first == cp ? at->second : cp;
}

inline bool normalise_drops(char32_t cp) {
  return cp == 0x3000 || cp == U' ' || cp == U'\t' || cp == U'\r' || cp == U'\n' || cp == 0xA0;
}

inline char32_t normalise_char(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII block
  if (cp >= U'a' && cp <= U'z') cp -= 32;
  cp = simplified(cp);
  if (cp == U'衖') cp = U'弄';
  if (cp == U'【' || cp == U'〔') cp = U'(';
  if (cp == U'】' || cp == U'〕') cp = U')';
  return cp;
}

}  // namespace halfhour::sla
