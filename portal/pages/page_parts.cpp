#include "portal/pages/page_parts.hpp"

#include <array>
#include <charconv>
#include <ctime>

#include "portal/html.hpp"

namespace govmail::portal {

Response signed_in_page(const Visit& visit, Msg title, std::string_view body, unsigned status) {
    return html_response(
        page(visit.lang, tr(visit.lang, title), body, true, visit.csrf_token), status
    );
}

Response temporary_error_page(const Visit& visit, Msg title) {
    return signed_in_page(visit, title, alert(tr(visit.lang, Msg::TemporaryError)), 503);
}

std::string format_time(std::optional<std::int64_t> unix_seconds, Lang lang) {
    if (!unix_seconds) {
        return std::string(tr(lang, Msg::Never));
    }
    const auto t = static_cast<std::time_t>(*unix_seconds);
    std::tm local{};
    localtime_r(&t, &local);
    char text[48];
    const auto length = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M %Z", &local);
    return std::string(text, length);
}

std::string folder_display_name(Lang lang, std::string_view name) {
    struct Standard {
        std::string_view name;
        Msg display;
    };
    constexpr std::array kStandard{
        Standard{"INBOX", Msg::FolderInbox},   Standard{"Sent", Msg::FolderSent},
        Standard{"Drafts", Msg::FolderDrafts}, Standard{"Trash", Msg::FolderTrash},
        Standard{"Junk", Msg::FolderJunk},     Standard{"Archive", Msg::FolderArchive},
    };
    if (lang == Lang::Ko) {
        for (const auto& standard : kStandard) {
            if (name == standard.name) {
                return std::string(tr(lang, standard.display));
            }
        }
    }
    return std::string(name);
}

std::optional<std::int64_t> id_field(const Fields& form, std::string_view name) {
    const auto text = field(form, name);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id < 0) {
        return std::nullopt;
    }
    return id;
}

}  // namespace govmail::portal
