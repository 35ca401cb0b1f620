#pragma once

// The "your backup is ready" mail (SPEC "Export"): when the export worker has built an
// archive and the portal's public address ([portal] base_url) is known, the account gets a
// message in its INBOX, in Korean and then in English as the portal speaks, with the
// download link and when it expires. The link carries a token of its own (a bearer secret,
// like the one `mailadm export request` prints), answered by the portal at kExportLinkPath.

#include <cstdint>
#include <string>
#include <string_view>

namespace govmail::selfservice {

inline constexpr std::string_view kExportLinkPath = "/backup/link";

// BASE_URL (trailing slashes dropped) + kExportLinkPath + "?token=" + TOKEN.
std::string export_link(std::string_view base_url, std::string_view token);

struct ExportReadyNotice {
    std::string address;   // the account, the mail's To
    std::string hostname;  // the server's name, for From and Message-ID
    std::int64_t export_id = 0;
    std::string link;
    std::int64_t expires_at = 0;  // unix seconds
    std::int64_t now = 0;
};

// The complete message (CRLF, UTF-8 text as base64, Auto-Submitted so no away reply answers
// it).
std::string export_ready_mail(const ExportReadyNotice& notice);

}  // namespace govmail::selfservice
