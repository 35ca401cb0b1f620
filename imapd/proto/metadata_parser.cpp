#include "imapd/proto/metadata_parser.hpp"

#include <algorithm>

#include "common/ascii.hpp"

namespace govmail::imap {
namespace {

// "/private" and "/shared" themselves only where ROOTS (GETMETADATA with DEPTH).
bool valid_entry_name(std::string_view name, bool roots) {
    if (roots && (name == "/private" || name == "/shared")) {
        return true;
    }
    if (!name.starts_with("/private/") && !name.starts_with("/shared/")) {
        return false;
    }
    if (name.ends_with('/') || name.find("//") != std::string_view::npos) {
        return false;
    }
    return std::ranges::none_of(name, [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f || c == '*' || c == '%';
    });
}

std::string entry_name(Tokenizer& tokens, bool roots) {
    std::string name = tokens.astring();
    std::ranges::transform(name, name.begin(), ascii::to_lower);
    if (tokens.ok() && !valid_entry_name(name, roots)) {
        tokens.fail("Invalid metadata entry name");
    }
    return name;
}

// "" is the server; any case of INBOX is INBOX.
std::string metadata_mailbox(Tokenizer& tokens) {
    std::string mailbox = tokens.list_reference();
    return ascii::iequals(mailbox, "INBOX") ? "INBOX" : mailbox;
}

void parse_options(Tokenizer& tokens, GetMetadata& get) {
    tokens.list(
        [&] {
            const std::string option = tokens.keyword();
            tokens.space();
            if (option == "MAXSIZE") {
                get.max_size = tokens.number();
            } else if (option == "DEPTH") {
                const std::string depth = tokens.keyword();
                if (depth == "0") {
                    get.depth = MetadataDepth::Exact;
                } else if (depth == "1") {
                    get.depth = MetadataDepth::Children;
                } else if (depth == "INFINITY") {
                    get.depth = MetadataDepth::All;
                } else {
                    tokens.fail("DEPTH is 0, 1 or infinity");
                }
            } else {
                tokens.fail("Unknown GETMETADATA option");
            }
        },
        EmptyList::Refused
    );
}

}  // namespace

GetMetadata parse_get_metadata(Tokenizer& tokens) {
    GetMetadata get;
    tokens.space();
    if (tokens.peek() == '(') {
        parse_options(tokens, get);
        tokens.space();
    }
    get.mailbox = metadata_mailbox(tokens);
    tokens.space();
    if (tokens.peek() == '(') {
        tokens.list([&] { get.entries.push_back(entry_name(tokens, true)); }, EmptyList::Refused);
    } else {
        get.entries.push_back(entry_name(tokens, true));
    }
    return get;
}

SetMetadata parse_set_metadata(Tokenizer& tokens) {
    SetMetadata set;
    tokens.space();
    set.mailbox = metadata_mailbox(tokens);
    tokens.space();
    tokens.list(
        [&] {
            MetadataEntry entry;
            entry.name = entry_name(tokens, false);
            tokens.space();
            if (tokens.peek() == '~') {
                entry.value = tokens.literal(true).data;
            } else {
                entry.value = tokens.nstring();
            }
            set.entries.push_back(std::move(entry));
        },
        EmptyList::Refused
    );
    return set;
}

}  // namespace govmail::imap
