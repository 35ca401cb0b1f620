#include "portal/time_zone.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace govmail::portal {

void use_time_zone(std::string_view zone) {
    const std::string name(zone);
    const char* tzdir = std::getenv("TZDIR");
    const std::filesystem::path database = tzdir != nullptr ? tzdir : "/usr/share/zoneinfo";
    std::error_code ec;
    if (name.empty() || name.find("..") != std::string::npos || name.front() == '/' ||
        !std::filesystem::is_regular_file(database / name, ec)) {
        throw std::runtime_error("unknown time zone in [server] timezone: " + name);
    }
    setenv("TZ", name.c_str(), 1);
    tzset();
}

}  // namespace govmail::portal
