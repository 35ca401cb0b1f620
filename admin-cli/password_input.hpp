#pragma once

// Where `mailadm account password` gets a new password from, and what it accepts.

#include <istream>
#include <optional>
#include <string>

namespace govmail::admin {

inline constexpr std::size_t kMinPasswordLength = 8;  // code points
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// The first line of IN without its line ending; nothing at end of input.
std::optional<std::string> read_password_line(std::istream& in);

// Asks twice on the terminal with echo off; nothing when stdin is no terminal or the two
// entries differ (the reason is written to stderr).
std::optional<std::string> prompt_password();

// Why PASSWORD cannot be used (too short, too long, not UTF-8), or nothing when it can.
std::optional<std::string> password_problem(const std::string& password);

}  // namespace govmail::admin
