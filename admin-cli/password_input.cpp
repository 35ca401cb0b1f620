#include "admin-cli/password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "common/utf8.hpp"

namespace govmail::admin {
namespace {

std::optional<std::string> ask_without_echo(const char* prompt) {
    termios saved{};
    if (::tcgetattr(STDIN_FILENO, &saved) != 0) {
        return std::nullopt;
    }
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    std::cerr << prompt << std::flush;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    auto line = read_password_line(std::cin);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << '\n';
    return line;
}

}  // namespace

std::optional<std::string> read_password_line(std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) {
        return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

std::optional<std::string> prompt_password() {
    if (::isatty(STDIN_FILENO) == 0) {
        std::cerr << "mailadm: no terminal to ask on; use --stdin or --generate\n";
        return std::nullopt;
    }
    auto first = ask_without_echo("New password: ");
    auto second = ask_without_echo("Repeat it: ");
    if (!first || !second || *first != *second) {
        std::cerr << "mailadm: the two entries differ\n";
        return std::nullopt;
    }
    return first;
}

std::optional<std::string> password_problem(const std::string& password) {
    if (password.size() > kMaxPasswordBytes) {
        return "password longer than " + std::to_string(kMaxPasswordBytes) + " bytes";
    }
    if (!is_valid_utf8(password)) {
        return "password is not valid UTF-8";
    }
    const auto code_points = std::count_if(password.begin(), password.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    if (static_cast<std::size_t>(code_points) < kMinPasswordLength) {
        return "password shorter than " + std::to_string(kMinPasswordLength) + " characters";
    }
    return std::nullopt;
}

}  // namespace govmail::admin
