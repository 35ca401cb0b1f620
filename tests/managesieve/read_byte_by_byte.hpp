#pragma once

// For the ManageSieve reader tests: what a session gets from input arriving a byte at a time.

#include <string>
#include <string_view>

#include "managesieve/proto/command_reader.hpp"

namespace govmail::managesieve {

// The first event that is not NeedMore, read from the bytes of INPUT received so far.
inline ReadEvent read_byte_by_byte(std::string_view input, const ReaderLimits& limits) {
    std::string received;
    for (const char c : input) {
        received += c;
        std::string_view pending(received);
        auto event = read_command(pending, limits);
        if (!std::holds_alternative<NeedMore>(event)) {
            return event;
        }
    }
    return NeedMore{};
}

}  // namespace govmail::managesieve
