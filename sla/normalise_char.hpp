// The shared normalisation one character at a time: the whitespace it drops, and what it makes of
// any other character. For text.cpp's normalise, and for the classifier and the resolver, which
// normalise in the same pass as their own rewriting of a request.
#pragma once

namespace halfhour::sla {

inline bool normalise_drops(char32_t cp) {
  return cp == 0x3000 || cp == U' ' || cp == U'\t' || cp == U'\r' || cp == U'\n' || cp == 0xA0;
}

inline char32_t normalise_char(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII block
  if (cp >= U'a' && cp <= U'z') cp -= 32;
  if (cp == U'號') cp = U'号';
  if (cp == U'衖') cp = U'弄';
  if (cp == U'【' || cp == U'〔') cp = U'(';
  if (cp == U'】' || cp == U'〕') cp = U')';
  return cp;
}

}  // namespace halfhour::sla
