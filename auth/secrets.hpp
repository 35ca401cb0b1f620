#pragma once

// Random secrets handed to people once (app passwords, generated passwords) and the digest
// app passwords are stored and found by. An app password has 100 random bits, far beyond
// guessing, so a fast SHA-256 protects it as well as a slow hash would and lets a login find
// it with one indexed look-up instead of trying every device's hash.

#include <string>
#include <string_view>

namespace govmail::auth {

// 20 characters from a 32-letter alphabet without look-alikes (no 0/o, 1/l), in groups of
// four joined by '-': "abcd-efgh-jkmn-pqrs-tuvw". Throws std::runtime_error without entropy.
std::string generate_secret();

// A one-time SMS login code: six decimal digits, uniform over 000000..999999 (rejection
// sampling of 32 random bits). Throws std::runtime_error without entropy.
std::string generate_sms_code();

// The stored form of an app password: SHA-256 of it with case, spaces and dashes removed,
// so "ABCD EFGH ..." typed from the printed form still matches.
std::string app_password_digest(std::string_view secret);

}  // namespace govmail::auth
