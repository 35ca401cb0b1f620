#include "imapd/proto/command_parser.hpp"

#include <array>

#include "imapd/proto/fetch_parser.hpp"
#include "imapd/proto/mailbox_parser.hpp"
#include "imapd/proto/metadata_parser.hpp"
#include "imapd/proto/search_parser.hpp"
#include "imapd/proto/sort_parser.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {
namespace {

// RFC 2971 section 3.3: at most 30 field-value pairs.
constexpr std::size_t kMaxIdFields = 30;

bool is_sasl_response_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
}

Authenticate parse_authenticate(Tokenizer& tokens) {
    Authenticate authenticate;
    tokens.space();
    authenticate.mechanism = tokens.keyword();
    if (tokens.skip_if(' ')) {
        const std::string_view response = tokens.take_while(is_sasl_response_char);
        if (response.empty()) {
            tokens.fail("Invalid SASL initial response");
        }
        authenticate.initial_response = std::string(response);
    }
    return authenticate;
}

Login parse_login(Tokenizer& tokens) {
    Login login;
    tokens.space();
    login.username = tokens.astring();
    tokens.space();
    login.password = tokens.astring();
    return login;
}

Store parse_store(Tokenizer& tokens, bool uid) {
    Store store;
    store.uid = uid;
    tokens.space();
    store.set = tokens.sequence_set();
    tokens.space();
    if (tokens.peek() == '(') {
        tokens.list(
            [&] {
                if (tokens.keyword() != "UNCHANGEDSINCE") {
                    tokens.fail("Unknown STORE modifier");
                }
                tokens.space();
                store.unchanged_since = tokens.number64();
            },
            EmptyList::Refused
        );
        tokens.space();
    }
    std::string item = tokens.keyword();  // "+" and "-" are atom characters
    if (!item.empty() && (item.front() == '+' || item.front() == '-')) {
        store.mode = item.front() == '+' ? StoreMode::Add : StoreMode::Remove;
        item.erase(0, 1);
    }
    store.silent = item == "FLAGS.SILENT";
    if (item != "FLAGS" && !store.silent) {
        tokens.fail("Expected FLAGS, +FLAGS or -FLAGS");
    }
    tokens.space();
    if (tokens.peek() == '(') {
        store.flags = tokens.flag_list();
    } else {
        do {
            store.flags.push_back(tokens.flag());
        } while (tokens.ok() && tokens.skip_if(' '));
    }
    return store;
}

// COPY and MOVE: set SP mailbox.
template <class Transfer>
Transfer parse_transfer(Tokenizer& tokens, bool uid) {
    Transfer transfer;
    transfer.uid = uid;
    tokens.space();
    transfer.set = tokens.sequence_set();
    tokens.space();
    transfer.mailbox = tokens.mailbox();
    return transfer;
}

Expunge parse_uid_expunge(Tokenizer& tokens) {
    tokens.space();
    return Expunge{tokens.sequence_set()};
}

Request parse_uid(Tokenizer& tokens) {
    tokens.space();
    const std::string command = tokens.keyword();
    if (command == "FETCH") {
        return parse_fetch(tokens, true);
    }
    if (command == "SEARCH") {
        return parse_search(tokens, true);
    }
    if (command == "STORE") {
        return parse_store(tokens, true);
    }
    if (command == "COPY") {
        return parse_transfer<Copy>(tokens, true);
    }
    if (command == "MOVE") {
        return parse_transfer<Move>(tokens, true);
    }
    if (command == "EXPUNGE") {
        return parse_uid_expunge(tokens);
    }
    if (command == "SORT") {
        return parse_sort(tokens, true);
    }
    if (command == "THREAD") {
        return parse_thread(tokens, true);
    }
    tokens.fail("Unknown UID command");
    return Noop{};
}

Id parse_id(Tokenizer& tokens) {
    Id id;
    tokens.space();
    if (tokens.peek() != '(') {
        if (tokens.keyword() != "NIL") {
            tokens.fail("Expected a list or NIL");
        }
        return id;
    }
    id.fields.emplace();
    tokens.list(
        [&] {
            std::string field = tokens.string();
            tokens.space();
            id.fields->emplace_back(std::move(field), tokens.nstring());
        },
        EmptyList::Allowed
    );
    if (id.fields->size() > kMaxIdFields) {
        tokens.fail("Too many ID fields");
    }
    return id;
}

Enable parse_enable(Tokenizer& tokens) {
    Enable enable;
    do {
        tokens.space();
        enable.capabilities.push_back(tokens.keyword());
    } while (tokens.ok() && tokens.peek() == ' ');
    return enable;
}

GetQuota parse_get_quota(Tokenizer& tokens) {
    tokens.space();
    return GetQuota{tokens.astring()};
}

SetQuota parse_set_quota(Tokenizer& tokens) {
    SetQuota set_quota;
    tokens.space();
    set_quota.root = tokens.astring();
    tokens.space();
    tokens.list(
        [&] {
            QuotaLimit limit;
            limit.resource = tokens.keyword();
            tokens.space();
            limit.limit = tokens.number64();
            set_quota.limits.push_back(std::move(limit));
        },
        EmptyList::Allowed
    );
    return set_quota;
}

struct CommandGrammar {
    std::string_view name;
    Request (*parse)(Tokenizer&);
};

constexpr std::array<CommandGrammar, 38> kCommands = {{
    {"CAPABILITY", [](Tokenizer&) -> Request { return Capability{}; }},
    {"NOOP", [](Tokenizer&) -> Request { return Noop{}; }},
    {"LOGOUT", [](Tokenizer&) -> Request { return Logout{}; }},
    {"STARTTLS", [](Tokenizer&) -> Request { return StartTls{}; }},
    {"AUTHENTICATE", [](Tokenizer& t) -> Request { return parse_authenticate(t); }},
    {"LOGIN", [](Tokenizer& t) -> Request { return parse_login(t); }},
    {"SELECT", [](Tokenizer& t) -> Request { return parse_select(t, false); }},
    {"EXAMINE", [](Tokenizer& t) -> Request { return parse_select(t, true); }},
    {"CREATE", [](Tokenizer& t) -> Request { return parse_create(t); }},
    {"DELETE", [](Tokenizer& t) -> Request { return parse_mailbox_only<Delete>(t); }},
    {"RENAME", [](Tokenizer& t) -> Request { return parse_rename(t); }},
    {"SUBSCRIBE", [](Tokenizer& t) -> Request { return parse_mailbox_only<Subscribe>(t); }},
    {"UNSUBSCRIBE", [](Tokenizer& t) -> Request { return parse_mailbox_only<Unsubscribe>(t); }},
    {"LIST", [](Tokenizer& t) -> Request { return parse_list(t); }},
    {"LSUB", [](Tokenizer& t) -> Request { return parse_lsub(t); }},
    {"STATUS", [](Tokenizer& t) -> Request { return parse_status(t); }},
    {"APPEND", [](Tokenizer& t) -> Request { return parse_append(t); }},
    {"CHECK", [](Tokenizer&) -> Request { return Check{}; }},
    {"CLOSE", [](Tokenizer&) -> Request { return Close{}; }},
    {"UNSELECT", [](Tokenizer&) -> Request { return Unselect{}; }},
    {"EXPUNGE", [](Tokenizer&) -> Request { return Expunge{}; }},
    {"SEARCH", [](Tokenizer& t) -> Request { return parse_search(t, false); }},
    {"FETCH", [](Tokenizer& t) -> Request { return parse_fetch(t, false); }},
    {"STORE", [](Tokenizer& t) -> Request { return parse_store(t, false); }},
    {"COPY", [](Tokenizer& t) -> Request { return parse_transfer<Copy>(t, false); }},
    {"MOVE", [](Tokenizer& t) -> Request { return parse_transfer<Move>(t, false); }},
    {"UID", [](Tokenizer& t) -> Request { return parse_uid(t); }},
    {"IDLE", [](Tokenizer&) -> Request { return Idle{}; }},
    {"NAMESPACE", [](Tokenizer&) -> Request { return Namespace{}; }},
    {"ID", [](Tokenizer& t) -> Request { return parse_id(t); }},
    {"ENABLE", [](Tokenizer& t) -> Request { return parse_enable(t); }},
    {"GETQUOTA", [](Tokenizer& t) -> Request { return parse_get_quota(t); }},
    {"GETQUOTAROOT", [](Tokenizer& t) -> Request { return parse_mailbox_only<GetQuotaRoot>(t); }},
    {"SETQUOTA", [](Tokenizer& t) -> Request { return parse_set_quota(t); }},
    {"GETMETADATA", [](Tokenizer& t) -> Request { return parse_get_metadata(t); }},
    {"SETMETADATA", [](Tokenizer& t) -> Request { return parse_set_metadata(t); }},
    {"SORT", [](Tokenizer& t) -> Request { return parse_sort(t, false); }},
    {"THREAD", [](Tokenizer& t) -> Request { return parse_thread(t, false); }},
}};

const CommandGrammar* find_command(std::string_view name) {
    for (const CommandGrammar& grammar : kCommands) {
        if (grammar.name == name) {
            return &grammar;
        }
    }
    return nullptr;
}

}  // namespace

ParseResult parse_command(std::string_view command, std::size_t max_depth) {
    Tokenizer tokens(command, max_depth);
    Command parsed;
    parsed.tag = tokens.tag();
    const bool tag_known = tokens.ok();
    tokens.space();
    const std::string name = tokens.keyword();
    if (tokens.ok()) {
        const CommandGrammar* grammar = find_command(name);
        if (grammar == nullptr) {
            tokens.fail("Unknown command", ErrorKind::UnknownCommand);
        } else {
            parsed.request = grammar->parse(tokens);
            tokens.line_end();
        }
    }
    if (!tokens.ok()) {
        Error error = *tokens.error();
        if (tag_known) {
            error.tag = std::move(parsed.tag);
        }
        return error;
    }
    return parsed;
}

bool is_idle_done(std::string_view line) { return iequals(line, "DONE"); }

}  // namespace govmail::imap
