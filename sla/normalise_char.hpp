// What the shared normalisation makes of one character that is not whitespace (whitespace it
// drops): for text.cpp's normalise, and for the classifier, which normalises while it marks
// clauses in the same pass.
#pragma once

namespace halfhour::sla {

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
