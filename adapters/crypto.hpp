// Secrets: random tokens, their SHA-256 (what is stored at rest), and comparison in constant
// time. OpenSSL underneath.
#pragma once

#include <string>
#include <string_view>

namespace halfhour::crypto {

// `bytes` random bytes from the OS generator, as lower-case hex.
std::string random_hex(std::size_t bytes);

// `digits` random decimal digits (a login code a person can type).
std::string random_digits(std::size_t digits);

std::string sha256_hex(std::string_view data);

// HMAC-SHA-256 of `data` under `key`, as lower-case hex: a link that proves who made it.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace halfhour::crypto
