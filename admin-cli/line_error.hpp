#pragma once

// A problem with one line (1-based) of a file an administrator gave mailadm.

#include <cstddef>
#include <string>

namespace govmail::admin {

struct LineError {
    std::size_t line = 0;
    std::string message;
};

}  // namespace govmail::admin
