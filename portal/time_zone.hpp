#pragma once

// The zone the portal shows times in ([server] timezone, an IANA name such as Asia/Seoul):
// set once at start as the process's local time zone, so the pages format times with
// localtime_r.

#include <string_view>

namespace govmail::portal {

// Makes ZONE the process's local time zone. Throws std::runtime_error naming it when the
// system's time zone database (TZDIR, else /usr/share/zoneinfo) has no such zone.
void use_time_zone(std::string_view zone);

}  // namespace govmail::portal
