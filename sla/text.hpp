// UTF-8 text helpers the classifier and resolver share: normalisation of what people type
// (full-width digits, spaces), code-point edit distance, and masking of phone numbers.
#pragma once

#include <string>
#include <string_view>

namespace halfhour::sla {

// Decodes UTF-8; invalid bytes become U+FFFD so hostile input cannot derail matching.
std::u32string to_u32(std::string_view utf8);
std::string to_utf8(std::u32string_view text);

// Folds full-width ASCII (０-９, Ａ-Ｚ, （）) to ASCII, lower-case to upper-case, drops all
// whitespace, and maps common variants (號 → 号, 衖 → 弄). What remains is matched literally.
std::u32string normalise(std::u32string_view text);

// Levenshtein distance over code points; stops early once it exceeds `limit`.
std::size_t edit_distance(std::u32string_view a, std::u32string_view b, std::size_t limit);

// "13812345678" -> "138****5678"; anything that is not a long digit string is masked whole.
std::string mask_phone(std::string_view phone);

bool is_valid_utf8(std::string_view text);

}  // namespace halfhour::sla
