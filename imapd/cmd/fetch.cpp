// FETCH and UID FETCH (RFC 3501 section 6.4.5, RFC 7162 MODSEQ and CHANGEDSINCE). ENVELOPE,
// BODY and BODYSTRUCTURE come as cached at delivery; BODY[section]<partial> is sliced from the
// stored bytes with the cached part offsets, never by parsing the message again. A body fetch
// without PEEK sets \Seen first and reports the new FLAGS. Messages are read in chunks (the
// bodies of a chunk in batches of about 1 MiB, one round trip each) and responses written as
// they grow, so memory stays bounded whatever the range.
// BINARY[part] and BINARY.SIZE[part] (RFC 3516) decode parts in fetch_binary.cpp.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <span>
#include <unordered_map>

#include "imapd/cmd/chunked_output.hpp"
#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/fetch_binary.hpp"
#include "imapd/cmd/handlers.hpp"
#include "imapd/cmd/qresync.hpp"
#include "imapd/proto/date_time.hpp"
#include "mime/header.hpp"
#include "mime/parts.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::imap {
namespace {

constexpr std::size_t kChunk = 256;                 // messages per summary read
constexpr std::uint64_t kBodyBatchBytes = 1 << 20;  // body bytes per read (and one message more)

bool is_body_item(FetchItem item) {
    return item == FetchItem::Rfc822 || item == FetchItem::Rfc822Header ||
           item == FetchItem::Rfc822Text || item == FetchItem::BodySection ||
           item == FetchItem::BinarySection || item == FetchItem::BinarySize;
}

bool sets_seen(const FetchAttribute& a) {
    return a.item == FetchItem::Rfc822 || a.item == FetchItem::Rfc822Text ||
           ((a.item == FetchItem::BodySection || a.item == FetchItem::BinarySection) && !a.peek);
}

// The items read from the cached structure: ENVELOPE, BODY, BODYSTRUCTURE, dates and sizes.
bool needs_summary(FetchItem item) {
    return !is_body_item(item) && item != FetchItem::Flags && item != FetchItem::Uid &&
           item != FetchItem::ModSeq;
}

std::string literal(std::string_view bytes) {
    return "{" + std::to_string(bytes.size()) + "}\r\n" + std::string(bytes);
}

std::string part_number(const Section& section) {
    std::string out;
    for (const auto n : section.part) {
        out += (out.empty() ? "" : ".") + std::to_string(n);
    }
    return out;
}

// "1.HEADER.FIELDS (From To)", as the response names the section.
std::string section_name(const Section& section) {
    static constexpr std::string_view kTexts[] = {
        "", "HEADER", "HEADER.FIELDS", "HEADER.FIELDS.NOT", "TEXT", "MIME"};
    std::string name = part_number(section);
    const auto text = kTexts[static_cast<std::size_t>(section.text)];
    if (!text.empty()) {
        name += (name.empty() ? "" : ".") + std::string(text);
    }
    if (!section.header_fields.empty()) {
        name += " (";
        for (std::size_t i = 0; i < section.header_fields.size(); ++i) {
            name += (i == 0 ? "" : " ") + format_astring(section.header_fields[i]);
        }
        name += ")";
    }
    return name;
}

mime::SectionText mime_text(SectionText text) {
    switch (text) {
        case SectionText::None:
            return mime::SectionText::Body;
        case SectionText::Text:
            return mime::SectionText::Text;
        case SectionText::Mime:
            return mime::SectionText::Mime;
        default:
            return mime::SectionText::Header;
    }
}

// The bytes of SECTION, empty when the message has no such part.
std::string section_bytes(
    const Section& section, std::string_view raw, const std::vector<mime::PartSpan>& parts
) {
    const auto range = mime::locate_section(parts, part_number(section), mime_text(section.text));
    if (!range || range->end > raw.size() || range->begin > range->end) {
        return {};
    }
    const auto bytes = raw.substr(range->begin, range->end - range->begin);
    if (section.text == SectionText::HeaderFields || section.text == SectionText::HeaderFieldsNot) {
        return mime::header_fields(
            bytes, section.header_fields, section.text == SectionText::HeaderFieldsNot
        );
    }
    return std::string(bytes);
}

std::string body_section_item(
    const FetchAttribute& a, std::string_view raw, const std::vector<mime::PartSpan>& parts
) {
    auto bytes = section_bytes(a.section, raw, parts);
    std::string item = "BODY[" + section_name(a.section) + "]";
    if (a.partial) {
        item += "<" + std::to_string(a.partial->offset) + ">";
        bytes = a.partial->offset < bytes.size()
                    ? bytes.substr(a.partial->offset, a.partial->length)
                    : std::string();
    }
    return item + " " + literal(bytes);
}

// What one message's response is built from.
struct MessageData {
    std::uint32_t msn = 0;
    ViewMessage message;
    const storage::MessageSummary* summary = nullptr;  // when an item needs it
    std::string_view raw;                              // when an item needs the bytes
    std::vector<mime::PartSpan> parts;
};

// The bodies of a run of messages, read in one round trip.
struct BodyBatch {
    std::vector<storage::MessageBody> bodies;  // in UID order, the expunged left out
    std::size_t covered = 0;                   // how many of the messages asked for it settles
};

// The bodies of MSNS (ascending), as many as kBodyBatchBytes allows, at least the first one's.
Awaitable<Result<BodyBatch>> read_bodies(Session& s, std::span<const std::uint32_t> msns) {
    const auto& view = *s.selected;
    std::vector<storage::Uid> uids;
    uids.reserve(msns.size());
    for (const auto msn : msns) {
        uids.push_back(view.at(msn).uid);
    }
    auto bodies = co_await s.server.store.message_bodies(
        s.account_id(), view.mailbox_id(), uids, kBodyBatchBytes
    );
    if (!bodies) {
        co_return bodies.error();
    }
    BodyBatch batch{std::move(*bodies), msns.size()};
    if (!batch.bodies.empty()) {
        // Those after the last body returned are still to read (or expunged meanwhile).
        batch.covered = static_cast<std::size_t>(
            std::ranges::upper_bound(uids, batch.bodies.back().uid) - uids.begin()
        );
    }
    co_return batch;
}

// The response for one message; nullopt when a BINARY item names a part whose
// Content-Transfer-Encoding cannot be undone.
std::optional<std::string> fetch_line(const Fetch& c, const MessageData& d, bool seen_set) {
    std::string items;
    auto add = [&](std::string_view text) {
        items += (items.empty() ? "" : " ") + std::string(text);
    };
    const auto& m = d.message;
    if (c.uid) {
        add("UID " + std::to_string(m.uid));
    }
    bool flags_sent = false;
    bool modseq_sent = false;
    for (const auto& a : c.attributes) {
        switch (a.item) {
            case FetchItem::Flags:
                add(fetch_flags_item(m));
                flags_sent = true;
                break;
            case FetchItem::Uid:
                if (!c.uid) {
                    add("UID " + std::to_string(m.uid));
                }
                break;
            case FetchItem::ModSeq:
                add("MODSEQ (" + std::to_string(m.modseq) + ")");
                modseq_sent = true;
                break;
            case FetchItem::InternalDate:
                add("INTERNALDATE " +
                    format_date_time(DateTime{
                        std::chrono::sys_seconds(std::chrono::seconds(d.summary->internal_date)),
                        std::chrono::minutes(0)}));
                break;
            case FetchItem::Rfc822Size:
                add("RFC822.SIZE " + std::to_string(d.summary->size));
                break;
            case FetchItem::Envelope:
                add("ENVELOPE " + d.summary->envelope);
                break;
            case FetchItem::Body:
                add("BODY " + d.summary->body);
                break;
            case FetchItem::BodyStructure:
                add("BODYSTRUCTURE " + d.summary->body_structure);
                break;
            case FetchItem::Rfc822:
                add("RFC822 " + literal(d.raw));
                break;
            case FetchItem::Rfc822Header:
                add("RFC822.HEADER " +
                    literal(section_bytes({{}, SectionText::Header, {}}, d.raw, d.parts)));
                break;
            case FetchItem::Rfc822Text:
                add("RFC822.TEXT " +
                    literal(section_bytes({{}, SectionText::Text, {}}, d.raw, d.parts)));
                break;
            case FetchItem::BodySection:
                add(body_section_item(a, d.raw, d.parts));
                break;
            case FetchItem::BinarySection:
            case FetchItem::BinarySize: {
                const auto section = part_number(a.section);
                const auto content = binary_content(section, d.raw, d.parts);
                if (!content) {
                    return std::nullopt;
                }
                add(binary_item(a, section, *content));
                break;
            }
        }
    }
    if (seen_set && !flags_sent) {
        add(fetch_flags_item(m));
    }
    if (c.changed_since && !modseq_sent) {
        add("MODSEQ (" + std::to_string(m.modseq) + ")");
    }
    return std::to_string(d.msn) + " FETCH (" + items + ")";
}

// Sets \Seen on the messages of MSNS that lack it; returns their UIDs.
Awaitable<Result<std::vector<storage::Uid>>> mark_seen(
    Session& s, const std::vector<std::uint32_t>& msns
) {
    auto& view = *s.selected;
    std::vector<std::uint32_t> unseen;
    std::ranges::copy_if(msns, std::back_inserter(unseen), [&](auto msn) {
        return !view.at(msn).has_flag("\\Seen");
    });
    std::vector<storage::Uid> uids;
    if (unseen.empty()) {
        co_return uids;
    }
    const std::vector<std::string> seen{"\\Seen"};
    auto changed = co_await s.server.store.store_flags(
        s.account_id(), view.mailbox_id(), view.uid_ranges(unseen), storage::FlagChange::Add, seen
    );
    if (!changed) {
        co_return changed.error();
    }
    for (const auto& state : *changed) {
        view.apply_own(state);
        uids.push_back(state.uid);
    }
    std::ranges::sort(uids);
    co_return uids;
}

}  // namespace

Awaitable<Reply> handle_fetch(Session& s, const Fetch& c) {
    const auto& attrs = c.attributes;
    if (c.vanished && !s.qresync) {
        co_return Reply::bad("VANISHED needs ENABLE QRESYNC");  // RFC 7162 3.2.6
    }
    auto& view = *s.selected;
    auto msns = view.resolve(c.set, c.uid);
    if (!msns) {
        co_return Reply::bad("Invalid message sequence number");
    }
    if (c.vanished) {
        auto changes = co_await s.server.store.changes_since(
            s.account_id(), view.mailbox_id(), *c.changed_since
        );
        if (!changes) {
            co_return storage_failure(s, changes.error());
        }
        if (const auto vanished = vanished_earlier(view, *changes, c.set); !vanished.empty()) {
            s.untagged("VANISHED (EARLIER) " + vanished);
        }
    }
    std::erase_if(*msns, [&](auto msn) {
        return view.at(msn).expunged ||
               (c.changed_since && view.at(msn).modseq <= *c.changed_since);
    });
    const auto has = [&](auto predicate) { return std::ranges::any_of(attrs, predicate); };
    if (c.changed_since || has([](const auto& a) { return a.item == FetchItem::ModSeq; })) {
        s.condstore = true;  // RFC 7162 3.1: a CONDSTORE-enabling command
    }
    std::vector<storage::Uid> seen_now;
    if (!view.read_only() && has(sets_seen)) {
        auto marked = co_await mark_seen(s, *msns);
        if (!marked) {
            co_return storage_failure(s, marked.error());
        }
        seen_now = std::move(*marked);
    }
    const bool summaries = has([](const auto& a) { return needs_summary(a.item); });
    const bool bodies = has([](const auto& a) { return is_body_item(a.item); });
    for (std::size_t start = 0; start < msns->size(); start += kChunk) {
        const std::vector<std::uint32_t> chunk(
            msns->begin() + static_cast<std::ptrdiff_t>(start),
            msns->begin() + static_cast<std::ptrdiff_t>(std::min(start + kChunk, msns->size()))
        );
        std::unordered_map<storage::Uid, storage::MessageSummary> by_uid;
        if (summaries) {
            auto rows = co_await s.server.store.fetch(
                s.account_id(), view.mailbox_id(), view.uid_ranges(chunk)
            );
            if (!rows) {
                co_return storage_failure(s, rows.error());
            }
            for (auto& row : *rows) {
                const auto uid = row.state.uid;
                by_uid.emplace(uid, std::move(row));
            }
        }
        for (std::size_t next = 0; next < chunk.size();) {
            BodyBatch batch{{}, chunk.size() - next};
            if (bodies) {
                auto read = co_await read_bodies(s, std::span(chunk).subspan(next));
                if (!read) {
                    co_return storage_failure(s, read.error());
                }
                batch = std::move(*read);
            }
            auto body = batch.bodies.begin();
            for (const auto msn : std::span(chunk).subspan(next, batch.covered)) {
                MessageData data{msn, view.at(msn), nullptr, {}, {}};
                while (body != batch.bodies.end() && body->uid < data.message.uid) {
                    ++body;
                }
                if (summaries) {
                    const auto it = by_uid.find(data.message.uid);
                    if (it == by_uid.end()) {
                        continue;  // expunged by another session meanwhile
                    }
                    data.summary = &it->second;
                }
                if (bodies) {
                    if (body == batch.bodies.end() || body->uid != data.message.uid) {
                        continue;  // expunged by another session meanwhile
                    }
                    data.raw = body->raw;
                    auto parts = mime::deserialize_parts(body->parts);
                    if (!parts) {
                        spdlog::error(
                            "imap {}: unreadable part list of uid {}", s.id, data.message.uid
                        );
                    }
                    data.parts = parts ? std::move(*parts) : std::vector<mime::PartSpan>{};
                }
                const bool seen_set = std::ranges::binary_search(seen_now, data.message.uid);
                const auto line = fetch_line(c, data, seen_set);
                if (!line) {
                    co_return refuse("UNKNOWN-CTE", "Cannot decode the part's transfer encoding");
                }
                s.untagged(*line);
                const bool written = co_await flush_when_full(s);
                if (!written) {
                    co_return Reply::none();
                }
            }
            next += batch.covered;
        }
    }
    co_return Reply::ok(c.uid ? "UID FETCH completed" : "FETCH completed");
}

}  // namespace govmail::imap
