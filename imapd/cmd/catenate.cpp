#include "imapd/cmd/catenate.hpp"

#include <span>

#include "imapd/cmd/errors.hpp"
#include "imapd/proto/imap_url.hpp"
#include "imapd/proto/mailbox_name.hpp"
#include "imapd/proto/tokenizer.hpp"
#include "mime/parts.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::imap {
namespace {

using Bytes = std::variant<std::string, Reply>;

// NO [BADURL url]: the URL as sent, less the bytes resp-text-code cannot carry (RFC 4469
// url-resp-text: no CR, LF, NUL or "]").
Reply bad_url(std::string_view url) {
    std::string shown;
    for (const char c : url.substr(0, 1024)) {
        if (c != '\r' && c != '\n' && c != '\0' && c != ']') {
            shown += c;
        }
    }
    return refuse("BADURL " + shown, "Unable to resolve URL");
}

// The range of SECTION ("", "1.2", "TEXT", "1.HEADER", "2.MIME") in a message of PARTS.
std::optional<mime::ByteRange> section_range(
    std::string_view section, const std::vector<mime::PartSpan>& parts
) {
    const std::size_t dot = section.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? section : section.substr(dot + 1);
    if (last.empty() || (last.front() >= '0' && last.front() <= '9')) {
        return mime::locate_section(parts, section, mime::SectionText::Body);
    }
    const std::string_view number =
        dot == std::string_view::npos ? std::string_view() : section.substr(0, dot);
    if (last == "HEADER") {
        return mime::locate_section(parts, number, mime::SectionText::Header);
    }
    if (last == "TEXT") {
        return mime::locate_section(parts, number, mime::SectionText::Text);
    }
    if (last == "MIME") {
        return mime::locate_section(parts, number, mime::SectionText::Mime);
    }
    return std::nullopt;  // HEADER.FIELDS and the like are not offered in URLs here
}

// The bytes the URL TEXT names in the session's own mailboxes.
boost::asio::awaitable<Bytes> url_bytes(Session& s, std::string_view text, std::uint64_t max_size) {
    const auto url = parse_imap_url(text);
    if (!url || (url->user && !iequals(*url->user, s.account->address))) {
        co_return bad_url(text);
    }
    const auto name = canonical_mailbox_name(url->mailbox);
    const auto* canonical = std::get_if<std::string>(&name);
    if (canonical == nullptr) {
        co_return bad_url(text);
    }
    auto& store = s.server.store;
    auto mailbox = co_await store.find_mailbox(s.account_id(), *canonical);
    if (!mailbox) {
        if (mailbox.error() == make_error_code(storage::Errc::NotFound) ||
            mailbox.error() == make_error_code(storage::Errc::NoPerm)) {
            co_return bad_url(text);
        }
        co_return storage_failure(s, mailbox.error());
    }
    if (url->uidvalidity && *url->uidvalidity != mailbox->uidvalidity) {
        co_return bad_url(text);
    }
    const storage::Uid uid = url->uid;
    auto bodies =
        co_await store.message_bodies(s.account_id(), mailbox->id, std::span(&uid, 1), max_size);
    if (!bodies) {
        co_return storage_failure(s, bodies.error());
    }
    if (bodies->empty()) {
        co_return bad_url(text);
    }
    const std::string_view raw = bodies->front().raw;
    const auto parts = mime::deserialize_parts(bodies->front().parts);
    const auto range = parts ? section_range(url->section, *parts) : std::nullopt;
    if (!range || range->begin > range->end || range->end > raw.size()) {
        co_return bad_url(text);
    }
    std::string_view bytes = raw.substr(range->begin, range->end - range->begin);
    if (url->partial) {
        bytes = url->partial->offset < bytes.size()
                    ? bytes.substr(url->partial->offset, url->partial->length)
                    : std::string_view();
    }
    co_return std::string(bytes);
}

}  // namespace

boost::asio::awaitable<Bytes> catenate(
    Session& s, const std::vector<CatenatePart>& parts, std::uint64_t max_size
) {
    std::string message;
    for (const auto& part : parts) {
        if (!part.is_url) {
            message += part.text;
        } else {
            auto bytes = co_await url_bytes(s, part.text, max_size);
            if (auto* refusal = std::get_if<Reply>(&bytes)) {
                co_return std::move(*refusal);
            }
            message += std::get<std::string>(bytes);
        }
        if (message.size() > max_size) {
            co_return refuse("TOOBIG", "Message too big");
        }
    }
    co_return message;
}

}  // namespace govmail::imap
