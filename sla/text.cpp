#include "sla/text.hpp"

#include <algorithm>
#include <vector>

#include "sla/normalise_char.hpp"

namespace halfhour::sla {

namespace {

// Decodes into `out`; returns how many malformed sequences (bad bytes, overlong forms,
// surrogates, beyond U+10FFFF) were replaced by U+FFFD.
std::size_t decode(std::string_view s, std::u32string& out) {
  std::size_t bad = 0;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = 0;
    std::size_t len = 0;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    }
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      ok = (len == 1) || (len == 2 && cp >= 0x80) || (len == 3 && cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) ||
           (len == 4 && cp >= 0x10000 && cp <= 0x10FFFF);
    }
    if (!ok) {
      out.push_back(U'\uFFFD');
      ++bad;
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return bad;
}

}  // namespace

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  decode(s, out);
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t cp : text) append_utf8(out, cp);
  return out;
}

std::u32string normalise(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (!normalise_drops(cp)) out.push_back(normalise_char(cp));
  }
  return out;
}

std::size_t edit_distance(std::u32string_view a, std::u32string_view b, std::size_t limit) {
  auto diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > limit) return limit + 1;
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string mask_phone(std::string_view phone) {
  bool digits =
      phone.size() >= 7 && std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return phone.empty() ? std::string{} : std::string(std::min<std::size_t>(phone.size(), 4), '*');
  std::string out(phone);
  for (std::size_t i = 3; i + 4 < out.size(); ++i) out[i] = '*';
  return out;
}

bool is_valid_utf8(std::string_view s) {
  std::u32string ignored;
  return decode(s, ignored) == 0;
}

std::size_t code_point_count(std::string_view utf8) { return to_u32(utf8).size(); }

std::string clip(std::string_view text, std::size_t max) {
  auto cps = to_u32(text);
  if (cps.size() <= max) return std::string(text);
  cps.resize(max);
  return to_utf8(cps) + "…（已截断）";
}

namespace {

// The digit a code point writes, ASCII, full-width or Chinese; -1 for anything else.
int digit_of(char32_t cp) {
  if (cp >= U'0' && cp <= U'9') return static_cast<int>(cp - U'0');
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<int>(cp - 0xFF10);
  static constexpr std::u32string_view chinese = U"〇一二三四五六七八九";
  if (auto at = chinese.find(cp); at != std::u32string_view::npos) return static_cast<int>(at);
  if (cp == U'零') return 0;
  if (cp == U'幺') return 1;  // said for 1 when reading numbers aloud
  return -1;
}

// What people put between the digits of a phone number.
bool digit_separator(char32_t cp) {
  return cp == U' ' || cp == U'-' || cp == U'.' || cp == U'(' || cp == U')' || cp == U'/' || cp == U'_' ||
         cp == 0x3000 || cp == 0xA0 || cp == U'—' || cp == U'－' || cp == U'（' || cp == U'）' || cp == U'·' ||
         cp == U'－' || cp == U'．' || cp == U'\t';
}

// Words after which a number is the building, and after which the next number is the room.
bool building_word_end(char32_t cp) {
  return cp == U'号' || cp == U'楼' || cp == U'幢' || cp == U'栋' || cp == U'座' || cp == U'元';
}
bool room_word(char32_t cp) { return cp == U'室' || cp == U'房' || cp == U'户'; }

}  // namespace

std::string redact_personal(std::string_view text) {
  const auto in = to_u32(text);
  std::u32string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    if (digit_of(in[i]) < 0) {
      out.push_back(in[i++]);
      continue;
    }
    // A run of digits with at most two separators between any two of them.
    std::size_t j = i, end = i, digits = 0;
    std::u32string ds;
    while (j < in.size()) {
      const int d = digit_of(in[j]);
      if (d >= 0) {
        ds.push_back(static_cast<char32_t>(U'0' + d));
        ++digits;
        end = ++j;
        continue;
      }
      std::size_t k = j;
      while (k < in.size() && k - j < 2 && digit_separator(in[k])) ++k;
      if (k == j || k >= in.size() || digit_of(in[k]) < 0) break;
      j = k;
    }
    if (digits >= 7) {  // a phone number, however written
      out += to_u32(mask_phone(to_utf8(ds)));
      i = end;
      continue;
    }
    // Not a phone: only the first group of digits is this number ("5-302" is a building, then
    // a room).
    digits = 0;
    for (end = i; end < in.size() && digit_of(in[end]) >= 0; ++end) ++digits;
    // A room: digits followed by 室/房/户, after a building word (3号502), or after "3-".
    const bool before_room_word = end < in.size() && room_word(in[end]);
    const bool after_building = i > 0 && building_word_end(in[i - 1]) && digits >= 3;
    const bool after_dash =
        i >= 2 && (in[i - 1] == U'-' || in[i - 1] == U'－') && digit_of(in[i - 2]) >= 0 && digits >= 3;
    if (before_room_word || after_building || after_dash) {
      out.append(digits, U'*');
    } else {
      out.append(in.begin() + static_cast<std::ptrdiff_t>(i), in.begin() + static_cast<std::ptrdiff_t>(end));
    }
    i = end;
  }
  return to_utf8(out);
}

}  // namespace halfhour::sla
