#include "imapd/proto/search_parser.hpp"

#include <array>

namespace govmail::imap {
namespace {

// What follows a search key's name.
enum class Argument { None, Text, Header, Keyword, Date, Number, Uids, Not, Or, ModSeq };

struct KeyGrammar {
    std::string_view name;
    SearchKeyKind kind;
    Argument argument;
};

constexpr std::array<KeyGrammar, 36> kKeys = {{
    {"ALL", SearchKeyKind::All, Argument::None},
    {"ANSWERED", SearchKeyKind::Answered, Argument::None},
    {"DELETED", SearchKeyKind::Deleted, Argument::None},
    {"DRAFT", SearchKeyKind::Draft, Argument::None},
    {"FLAGGED", SearchKeyKind::Flagged, Argument::None},
    {"NEW", SearchKeyKind::New, Argument::None},
    {"OLD", SearchKeyKind::Old, Argument::None},
    {"RECENT", SearchKeyKind::Recent, Argument::None},
    {"SEEN", SearchKeyKind::Seen, Argument::None},
    {"UNANSWERED", SearchKeyKind::Unanswered, Argument::None},
    {"UNDELETED", SearchKeyKind::Undeleted, Argument::None},
    {"UNDRAFT", SearchKeyKind::Undraft, Argument::None},
    {"UNFLAGGED", SearchKeyKind::Unflagged, Argument::None},
    {"UNSEEN", SearchKeyKind::Unseen, Argument::None},
    {"KEYWORD", SearchKeyKind::Keyword, Argument::Keyword},
    {"UNKEYWORD", SearchKeyKind::Unkeyword, Argument::Keyword},
    {"BCC", SearchKeyKind::Bcc, Argument::Text},
    {"CC", SearchKeyKind::Cc, Argument::Text},
    {"FROM", SearchKeyKind::From, Argument::Text},
    {"SUBJECT", SearchKeyKind::Subject, Argument::Text},
    {"TO", SearchKeyKind::To, Argument::Text},
    {"BODY", SearchKeyKind::Body, Argument::Text},
    {"TEXT", SearchKeyKind::Text, Argument::Text},
    {"HEADER", SearchKeyKind::Header, Argument::Header},
    {"BEFORE", SearchKeyKind::Before, Argument::Date},
    {"ON", SearchKeyKind::On, Argument::Date},
    {"SINCE", SearchKeyKind::Since, Argument::Date},
    {"SENTBEFORE", SearchKeyKind::SentBefore, Argument::Date},
    {"SENTON", SearchKeyKind::SentOn, Argument::Date},
    {"SENTSINCE", SearchKeyKind::SentSince, Argument::Date},
    {"LARGER", SearchKeyKind::Larger, Argument::Number},
    {"SMALLER", SearchKeyKind::Smaller, Argument::Number},
    {"UID", SearchKeyKind::Uid, Argument::Uids},
    {"NOT", SearchKeyKind::Not, Argument::Not},
    {"OR", SearchKeyKind::Or, Argument::Or},
    {"MODSEQ", SearchKeyKind::ModSeq, Argument::ModSeq},
}};

bool starts_sequence_set(char c) { return (c >= '0' && c <= '9') || c == '*' || c == '$'; }

SearchKey parse_search_key(Tokenizer& tokens);

// MODSEQ [entry-name entry-type-req] mod-sequence-valzer. The per-flag entry is read and
// dropped: RFC 7162 section 3.1.5 lets a server without per-flag mod-sequences ignore it.
std::uint64_t parse_modseq_argument(Tokenizer& tokens) {
    if (tokens.peek() == '"') {
        tokens.string();
        tokens.space();
        const std::string entry_type = tokens.keyword();
        if (entry_type != "PRIV" && entry_type != "SHARED" && entry_type != "ALL") {
            tokens.fail("Invalid MODSEQ entry type");
        }
        tokens.space();
    }
    return tokens.number64();
}

// NOT and OR: one or two keys separated by SP, one nesting level deeper.
void parse_sub_keys(Tokenizer& tokens, SearchKey& key, int count) {
    if (!tokens.enter_nesting()) {
        return;
    }
    for (int i = 0; i < count && tokens.ok(); ++i) {
        if (i > 0) {
            tokens.space();
        }
        key.children.push_back(parse_search_key(tokens));
    }
    tokens.leave_nesting();
}

void parse_argument(Tokenizer& tokens, SearchKey& key, Argument argument) {
    if (argument == Argument::None) {
        return;
    }
    tokens.space();
    switch (argument) {
        case Argument::Not:
            parse_sub_keys(tokens, key, 1);
            break;
        case Argument::Or:
            parse_sub_keys(tokens, key, 2);
            break;
        case Argument::Text:
            key.text = tokens.astring();
            break;
        case Argument::Header:
            key.header_name = tokens.astring();
            tokens.space();
            key.text = tokens.astring();
            break;
        case Argument::Keyword:
            key.text = tokens.atom();
            break;
        case Argument::Date:
            key.date = tokens.date();
            break;
        case Argument::Number:
            key.number = tokens.number64();
            break;
        case Argument::Uids:
            key.set = tokens.sequence_set();
            break;
        case Argument::ModSeq:
            key.number = parse_modseq_argument(tokens);
            break;
        case Argument::None:
            break;
    }
}

SearchKey parse_search_key(Tokenizer& tokens) {
    SearchKey key;
    if (tokens.peek() == '(') {
        key.kind = SearchKeyKind::And;
        tokens.list([&] { key.children.push_back(parse_search_key(tokens)); }, EmptyList::Refused);
        return key;
    }
    if (starts_sequence_set(tokens.peek())) {
        key.kind = SearchKeyKind::SequenceSet;
        key.set = tokens.sequence_set();
        return key;
    }
    const std::string name = tokens.keyword();
    for (const KeyGrammar& grammar : kKeys) {
        if (grammar.name == name) {
            key.kind = grammar.kind;
            parse_argument(tokens, key, grammar.argument);
            return key;
        }
    }
    tokens.fail("Unknown search key");
    return key;
}

}  // namespace

SearchReturn parse_search_return(Tokenizer& tokens) {
    SearchReturn returns;
    tokens.list(
        [&] {
            const std::string option = tokens.keyword();
            if (option == "MIN") {
                returns.min = true;
            } else if (option == "MAX") {
                returns.max = true;
            } else if (option == "ALL") {
                returns.all = true;
            } else if (option == "COUNT") {
                returns.count = true;
            } else if (option == "SAVE") {
                returns.save = true;
            } else {
                tokens.fail("Unknown SEARCH RETURN option");
            }
        },
        EmptyList::Allowed
    );
    if (returns == SearchReturn{}) {
        returns.all = true;  // RFC 4731: "RETURN ()" is "RETURN (ALL)"
    }
    return returns;
}

void parse_search_charset(Tokenizer& tokens) {
    const std::string charset = tokens.astring();
    if (tokens.ok() && !iequals(charset, "UTF-8") && !iequals(charset, "US-ASCII")) {
        tokens.fail("Unsupported charset", ErrorKind::BadCharset);
    }
}

SearchKey parse_search_criteria(Tokenizer& tokens) {
    std::vector<SearchKey> keys;
    do {
        keys.push_back(parse_search_key(tokens));
    } while (tokens.ok() && tokens.skip_if(' '));
    if (keys.size() == 1) {
        return std::move(keys.front());
    }
    SearchKey criteria;
    criteria.kind = SearchKeyKind::And;
    criteria.children = std::move(keys);
    return criteria;
}

Search parse_search(Tokenizer& tokens, bool uid) {
    Search search;
    search.uid = uid;
    tokens.space();
    if (tokens.skip_keyword("RETURN")) {
        tokens.space();
        search.returns = parse_search_return(tokens);
        tokens.space();
    }
    if (tokens.skip_keyword("CHARSET")) {
        tokens.space();
        parse_search_charset(tokens);
        tokens.space();
    }
    search.criteria = parse_search_criteria(tokens);
    return search;
}

}  // namespace govmail::imap
