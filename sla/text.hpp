// UTF-8 text helpers of the domain and the doors in front of it: normalisation of what people
// type (full-width digits, spaces), code-point counts and edit distance, masking of phone numbers.
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

// One code point appended to `out` as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// How many code points `utf8` holds, counted as to_u32 decodes it (each malformed byte one
// U+FFFD): the length limits on what people type are in characters, not bytes.
std::size_t code_point_count(std::string_view utf8);

// At most `max` code points of `text`; a longer text is cut and says so ("…（已截断）").
std::string clip(std::string_view text, std::size_t max);

// Free text made fit to publish: every run of seven or more digits is masked as a phone number
// whatever its notation (full-width or Chinese digits; spaces, dashes, dots or brackets between
// them: "138-1234-5678", "１３９ ８７６５ ４３２１", "一三八…"), and room numbers are hidden
// ("502室", "3号502", "3-502" keep the building, lose the room).
std::string redact_personal(std::string_view text);

}  // namespace halfhour::sla
