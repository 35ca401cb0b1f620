#include "portal/html.hpp"

namespace govmail::portal {
namespace {

// The KRDS style sheet and the Pretendard GOV font, served by the portal itself
// (pages/assets.cpp), then the portal's own rules over them: readable on a phone, visible
// focus, no script anywhere. Sizes follow KRDS's root of 10px (62.5%), kept also when the
// assets are not installed.
constexpr std::string_view kStyleSheets =
    "<link rel=\"stylesheet\" href=\"/assets/pretendard-gov.css\">"
    "<link rel=\"stylesheet\" href=\"/assets/krds.min.css\">";
constexpr std::string_view kStyle =
    "html{font-size:62.5%}"
    "body{font-family:'Pretendard GOV',sans-serif;font-size:1.7rem;max-width:64rem;margin:0 "
    "auto;padding:1.6rem;line-height:1.5;color:#1e2124}"
    "label{display:block;margin-top:.8em;font-weight:bold}"
    "input,textarea,select,button{font-size:1em;padding:.4em;max-width:100%;box-sizing:border-"
    "box}"
    "input[type=text],input[type=password],input[type=tel],input[type=date],textarea{width:100%}"
    "button{margin-top:1em;padding:.5em 1.2em;border:0;border-radius:.6rem;background:#0b50d0;"
    "color:#fff;font-weight:bold;cursor:pointer}"
    ":focus{outline:3px solid #1a5fb4;outline-offset:2px}"
    "a{color:#0b50d0;text-decoration:underline}"
    "nav a{margin-right:1em}[role=alert]{color:#a51d2d;font-weight:bold}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em}"
    ".skip-link{position:absolute;left:-999rem}.skip-link:focus{position:static}"
    // KRDS hides native check boxes and radio buttons for its own drawn ones, which need its
    // markup; the portal's forms keep the native, visible ones.
    "input[type=checkbox],input[type=radio]{position:static!important;width:auto!important;"
    "height:auto!important;margin:0 .4em 0 0!important;overflow:visible!important;"
    "clip:auto!important}";

}  // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string csrf_field(std::string_view token) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(token) + "\">";
}

std::string input(
    std::string_view id,
    std::string_view label,
    std::string_view type,
    std::string_view value,
    std::string_view extra_attributes
) {
    std::string out = "<label for=\"" + escape(id) + "\">" + escape(label) +
                      "</label><input class=\"krds-input\" id=\"" + escape(id) + "\" name=\"" +
                      escape(id) + "\" type=\"" + escape(type) + "\"";
    if (!value.empty()) {
        out += " value=\"" + escape(value) + "\"";
    }
    if (!extra_attributes.empty()) {
        out += " ";
        out += extra_attributes;
    }
    return out + ">";
}

std::string alert(std::string_view text) {
    return text.empty() ? std::string{} : "<p id=\"error\" role=\"alert\">" + escape(text) + "</p>";
}

std::string notice(std::string_view text) {
    return text.empty() ? std::string{}
                        : "<p id=\"notice\" role=\"status\">" + escape(text) + "</p>";
}

std::string page(
    Lang lang,
    std::string_view title,
    std::string_view body,
    bool signed_in,
    std::string_view csrf_token
) {
    std::string out = "<!DOCTYPE html><html lang=\"";
    out += lang_code(lang);
    out +=
        "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width,initial-scale=1\"><title>";
    out += escape(title);
    out += "</title>";
    out += kStyleSheets;
    out += "<style>";
    out += kStyle;
    out += "</style></head><body><a class=\"skip-link\" href=\"#main\">";
    out += escape(tr(lang, Msg::SkipToContent));
    out += "</a><header><p>";
    out += escape(tr(lang, Msg::PortalName));
    out += " · <a id=\"lang-switch\" href=\"?lang=";
    out += lang == Lang::Ko ? "en\" lang=\"en\">English" : "ko\" lang=\"ko\">한국어";
    out += "</a></p>";
    if (signed_in) {
        out +=
            "<nav id=\"nav\"><a id=\"nav-home\" href=\"/\">" + escape(tr(lang, Msg::Home)) +
            "</a><a id=\"nav-app-passwords\" href=\"/app-passwords\">" +
            escape(tr(lang, Msg::AppPasswords)) + "</a><a id=\"nav-away\" href=\"/away\">" +
            escape(tr(lang, Msg::Away)) + "</a><a id=\"nav-backup\" href=\"/backup\">" +
            escape(tr(lang, Msg::Backup)) +
            "</a><a id=\"nav-address-book\" href=\"/address-book\">" +
            escape(tr(lang, Msg::AddressBook)) + "</a><a id=\"nav-password\" href=\"/password\">" +
            escape(tr(lang, Msg::ChangePassword)) + "</a><a id=\"nav-mobile\" href=\"/mobile\">" +
            escape(tr(lang, Msg::MobilePhone)) + "</a></nav>";
        out += "<form method=\"post\" action=\"/signout\">" + csrf_field(csrf_token) +
               "<button id=\"signout\" type=\"submit\">" + escape(tr(lang, Msg::SignOut)) +
               "</button></form>";
    }
    out += "</header><main id=\"main\"><h1>";
    out += escape(title);
    out += "</h1>";
    out += body;
    out += "</main></body></html>";
    return out;
}

}  // namespace govmail::portal
