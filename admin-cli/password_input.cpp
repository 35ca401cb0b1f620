#include "admin-cli/password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

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

}  // namespace govmail::admin
