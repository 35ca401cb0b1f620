#pragma once

// Where `mailadm account password` gets a new password from; what it accepts is
// selfservice/password.hpp's rule.

#include <istream>
#include <optional>
#include <string>

namespace govmail::admin {

// The first line of IN without its line ending; nothing at end of input.
std::optional<std::string> read_password_line(std::istream& in);

// Asks twice on the terminal with echo off; nothing when stdin is no terminal or the two
// entries differ (the reason is written to stderr).
std::optional<std::string> prompt_password();

}  // namespace govmail::admin
