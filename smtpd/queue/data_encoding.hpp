#pragma once

// A stored message as the content of DATA (RFC 5321 4.5.2): what goes on the wire, and what
// does not (the Return-Path the store keeps for final delivery, RFC 5321 4.4).

#include <string>
#include <string_view>

namespace govmail::smtp {

// MESSAGE without a leading "Return-Path:" field (and its continuation lines).
std::string_view without_return_path(std::string_view message);

// MESSAGE dot-stuffed, with every line end CRLF and the terminator "." CRLF appended. A bare
// CR or bare LF becomes CRLF, so no smuggled end-of-data sequence (CVE-2023-51764) can reach
// the next server in any form it might read as one. A last line without a line end gets one.
std::string encode_data(std::string_view message);

// True when MESSAGE holds an octet above 127 (BODY=8BITMIME is then declared).
bool has_eight_bit(std::string_view message);

}  // namespace govmail::smtp
