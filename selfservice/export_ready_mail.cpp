#include "selfservice/export_ready_mail.hpp"

#include <ctime>

#include "common/base64.hpp"

namespace govmail::selfservice {
namespace {

constexpr std::string_view kSubjectKorean = "메일함 백업 준비 완료";
constexpr std::string_view kSubjectEnglish = "Your mailbox backup is ready";

std::string utc_time(std::int64_t unix_time, const char* format) {
    const auto t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[64];
    return std::string(out, std::strftime(out, sizeof out, format, &tm));
}

std::string body(const ExportReadyNotice& n) {
    const auto until = utc_time(n.expires_at, "%Y-%m-%d %H:%M UTC");
    return "메일함 백업이 준비되었습니다.\r\n\r\n"
           "아래 링크에서 " +
           until + "까지 내려받을 수 있습니다.\r\n" + n.link +
           "\r\n\r\n"
           "이 링크를 아는 사람은 누구나 백업을 내려받을 수 있으니 이 메일을 전달하지 "
           "마십시오.\r\n\r\n"
           "Your mailbox backup is ready.\r\n\r\n"
           "Download it from this link until " +
           until + ":\r\n" + n.link +
           "\r\n\r\n"
           "Anyone who knows the link can download the backup: do not forward this mail.\r\n";
}

}  // namespace

std::string export_link(std::string_view base_url, std::string_view token) {
    while (!base_url.empty() && base_url.back() == '/') {
        base_url.remove_suffix(1);
    }
    return std::string(base_url) + std::string(kExportLinkPath) + "?token=" + std::string(token);
}

std::string export_ready_mail(const ExportReadyNotice& n) {
    const auto id = std::to_string(n.export_id);
    return "From: <postmaster@" + n.hostname + ">\r\nTo: <" + n.address +
           ">\r\nSubject: =?UTF-8?B?" + encode_base64(kSubjectKorean) + "?= / " +
           std::string(kSubjectEnglish) +
           "\r\nDate: " + utc_time(n.now, "%a, %d %b %Y %H:%M:%S +0000") +
           "\r\nMessage-ID: <export-" + id + "-ready@" + n.hostname +
           ">\r\nAuto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=UTF-8\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n" +
           encode_base64_lines(body(n));
}

}  // namespace govmail::selfservice
