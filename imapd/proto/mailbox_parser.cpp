#include "imapd/proto/mailbox_parser.hpp"

#include <array>

namespace govmail::imap {
namespace {

struct StatusItemName {
    std::string_view name;
    StatusItem item;
};

constexpr std::array<StatusItemName, 7> kStatusItems = {{
    {"MESSAGES", StatusItem::Messages},
    {"RECENT", StatusItem::Recent},
    {"UIDNEXT", StatusItem::UidNext},
    {"UIDVALIDITY", StatusItem::UidValidity},
    {"UNSEEN", StatusItem::Unseen},
    {"HIGHESTMODSEQ", StatusItem::HighestModSeq},
    {"SIZE", StatusItem::Size},
}};

std::vector<StatusItem> parse_status_items(Tokenizer& tokens) {
    std::vector<StatusItem> items;
    tokens.list(
        [&] {
            const std::string name = tokens.keyword();
            for (const StatusItemName& known : kStatusItems) {
                if (known.name == name) {
                    items.push_back(known.item);
                    return;
                }
            }
            tokens.fail("Unknown STATUS item");
        },
        EmptyList::Refused
    );
    return items;
}

// "(" uidvalidity SP modseq [SP known-uids] [SP "(" known-seqs SP known-uids ")"] ")"
QresyncParams parse_qresync(Tokenizer& tokens) {
    QresyncParams qresync;
    tokens.expect('(');
    qresync.uid_validity = tokens.nz_number();
    tokens.space();
    qresync.mod_seq = tokens.number64();
    if (tokens.skip_if(' ') && tokens.peek() != '(') {
        qresync.known_uids = tokens.sequence_set();
        tokens.skip_if(' ');
    }
    if (tokens.skip_if('(')) {
        qresync.known_sequence_numbers = tokens.sequence_set();
        tokens.space();
        qresync.known_sequence_uids = tokens.sequence_set();
        tokens.expect(')');
    }
    tokens.expect(')');
    return qresync;
}

ListSelection parse_list_selection(Tokenizer& tokens) {
    ListSelection selection;
    tokens.list(
        [&] {
            const std::string option = tokens.keyword();
            if (option == "SUBSCRIBED") {
                selection.subscribed = true;
            } else if (option == "REMOTE") {
                selection.remote = true;
            } else if (option == "RECURSIVEMATCH") {
                selection.recursive_match = true;
            } else if (option == "SPECIAL-USE") {
                selection.special_use = true;
            } else {
                tokens.fail("Unknown LIST selection option");
            }
        },
        EmptyList::Allowed
    );
    // RFC 5258 section 3: RECURSIVEMATCH alone is a syntax error.
    if (selection.recursive_match && !selection.subscribed && !selection.special_use) {
        tokens.fail("RECURSIVEMATCH needs another selection option");
    }
    return selection;
}

ListReturn parse_list_return(Tokenizer& tokens) {
    ListReturn returns;
    tokens.list(
        [&] {
            const std::string option = tokens.keyword();
            if (option == "SUBSCRIBED") {
                returns.subscribed = true;
            } else if (option == "CHILDREN") {
                returns.children = true;
            } else if (option == "SPECIAL-USE") {
                returns.special_use = true;
            } else if (option == "STATUS") {
                tokens.space();
                returns.status = parse_status_items(tokens);
            } else {
                tokens.fail("Unknown LIST return option");
            }
        },
        EmptyList::Allowed
    );
    return returns;
}

// "(" cat-part *(SP cat-part) ")", cat-part = "TEXT" SP literal / "URL" SP astring (RFC 4469,
// a TEXT literal8 with RFC 3516).
std::vector<CatenatePart> parse_catenate_parts(Tokenizer& tokens) {
    std::vector<CatenatePart> parts;
    tokens.list(
        [&] {
            CatenatePart part;
            const std::string kind = tokens.keyword();
            tokens.space();
            if (kind == "URL") {
                part.is_url = true;
                part.text = tokens.astring();
            } else if (kind == "TEXT") {
                part.text = tokens.literal(true).data;
            } else {
                tokens.fail("Expected TEXT or URL");
            }
            parts.push_back(std::move(part));
        },
        EmptyList::Refused
    );
    return parts;
}

}  // namespace

Select parse_select(Tokenizer& tokens, bool read_only) {
    Select select;
    select.read_only = read_only;
    tokens.space();
    select.mailbox = tokens.mailbox();
    if (!tokens.skip_if(' ')) {
        return select;
    }
    tokens.list(
        [&] {
            const std::string parameter = tokens.keyword();
            if (parameter == "CONDSTORE") {
                select.condstore = true;
            } else if (parameter == "QRESYNC") {
                tokens.space();
                select.qresync = parse_qresync(tokens);
            } else {
                tokens.fail("Unknown SELECT parameter");
            }
        },
        EmptyList::Refused
    );
    return select;
}

Create parse_create(Tokenizer& tokens) {
    Create create;
    tokens.space();
    create.mailbox = tokens.new_mailbox();
    if (!tokens.skip_if(' ')) {
        return create;
    }
    tokens.list(
        [&] {
            if (tokens.keyword() != "USE") {
                tokens.fail("Unknown CREATE parameter");
            }
            tokens.space();
            create.special_use = tokens.flag_list();
        },
        EmptyList::Refused
    );
    for (const std::string& use : create.special_use) {
        if (use.empty() || use.front() != '\\') {
            tokens.fail("Special-use attributes start with a backslash");
        }
    }
    return create;
}

Rename parse_rename(Tokenizer& tokens) {
    Rename rename;
    tokens.space();
    rename.from = tokens.mailbox();
    tokens.space();
    rename.to = tokens.new_mailbox();
    return rename;
}

List parse_list(Tokenizer& tokens) {
    List list;
    tokens.space();
    if (tokens.peek() == '(') {
        list.selection = parse_list_selection(tokens);
        tokens.space();
    }
    list.reference = tokens.list_reference();
    tokens.space();
    if (tokens.peek() == '(') {
        tokens.list([&] { list.patterns.push_back(tokens.list_mailbox()); }, EmptyList::Refused);
    } else {
        list.patterns.push_back(tokens.list_mailbox());
    }
    if (tokens.skip_if(' ')) {
        if (!tokens.skip_keyword("RETURN")) {
            tokens.fail("Expected RETURN");
        }
        tokens.space();
        list.returns = parse_list_return(tokens);
    }
    return list;
}

Lsub parse_lsub(Tokenizer& tokens) {
    Lsub lsub;
    tokens.space();
    lsub.reference = tokens.list_reference();
    tokens.space();
    lsub.pattern = tokens.list_mailbox();
    return lsub;
}

Status parse_status(Tokenizer& tokens) {
    Status status;
    tokens.space();
    status.mailbox = tokens.mailbox();
    tokens.space();
    status.items = parse_status_items(tokens);
    return status;
}

Append parse_append(Tokenizer& tokens) {
    Append append;
    tokens.space();
    append.mailbox = tokens.mailbox();
    do {
        tokens.space();
        AppendMessage message;
        if (tokens.peek() == '(') {
            message.flags = tokens.flag_list();
            tokens.space();
        }
        if (tokens.peek() == '"') {
            message.internal_date = tokens.date_time();
            tokens.space();
        }
        if (tokens.skip_keyword("CATENATE")) {
            tokens.space();
            message.catenate = parse_catenate_parts(tokens);
        } else {
            LiteralData literal = tokens.literal(true);
            message.message = std::move(literal.data);
            message.binary = literal.binary;
        }
        append.messages.push_back(std::move(message));
    } while (tokens.ok() && tokens.peek() == ' ');
    return append;
}

}  // namespace govmail::imap
