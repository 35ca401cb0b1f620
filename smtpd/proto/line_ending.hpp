#pragma once

// What the readers do with a bare CR or bare LF, i.e. a line end other than CRLF.
// RFC 5321 section 2.3.8 forbids them; real clients (scripts, netcat, broken MUAs) still send them,
// and SMTP smuggling (CVE-2023-51764 and friends) relies on servers that treat them as CRLF
// when looking for the end of DATA.

#include <cstddef>
#include <string>
#include <string_view>

namespace govmail::smtp {

enum class BareLineEnd {
    // Default, as Postfix smtpd_forbid_bare_newline = normalize: accept the line end and store it
    // as CRLF, so stored mail is clean. It never ends DATA: only <CRLF>.<CRLF> does.
    Normalize,
    // Reject the command or message that contains one (the readers stay in sync and report at
    // the end of the line or at the end of DATA).
    Reject,
};

// The position of the first CR or LF in TEXT at or after POS, npos when there is none. Two
// memchr scans: std::string_view::find_first_of("\r\n") tests every byte against the set
// with a call of its own, which made it the hottest spot of a 100 KiB DATA.
std::size_t find_line_end(std::string_view text, std::size_t pos = 0);

// TEXT with every bare CR and bare LF made a CRLF, as DataReader stores lines under
// BareLineEnd::Normalize; for a message that arrived in BDAT chunks, which are read verbatim.
std::string normalize_line_ends(std::string_view text);

}  // namespace govmail::smtp
