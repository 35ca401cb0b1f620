#pragma once

// Shared by the SMTP protocol tests: readable GoogleTest printers and parameterised test names.

#include <gtest/gtest.h>

#include <cctype>
#include <concepts>
#include <ostream>
#include <string>

#include "smtpd/proto/address.hpp"
#include "smtpd/proto/error.hpp"

namespace govmail::smtp {

inline void PrintTo(const Error& error, std::ostream* os) {
    *os << error.code << ' ' << error.enhanced << ' ' << error.text
        << (error.fatal ? " (fatal)" : "");
}

inline void PrintTo(const Mailbox& mailbox, std::ostream* os) {
    *os << '<' << mailbox.to_string() << '>';
}

namespace {  // the test files' own unnamed namespace, so ADL finds it for their case structs

// Table cases print as their description instead of a byte dump.
template <class Case>
requires requires(const Case& c) {
    { c.name } -> std::convertible_to<std::string>;
}
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

}  // namespace

// A GoogleTest parameter name from a case's description: "bare lf" -> "bare_lf".
template <class Case>
std::string case_name(const testing::TestParamInfo<Case>& info) {
    std::string name;
    for (char c : info.param.name) {
        name.push_back(std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_');
    }
    return name;
}

}  // namespace govmail::smtp
