#include "imapd/proto/sort_parser.hpp"

#include <array>

#include "imapd/proto/search_parser.hpp"

namespace govmail::imap {
namespace {

struct SortKeyName {
    std::string_view name;
    SortKeyKind key;
};

constexpr std::array<SortKeyName, 9> kSortKeys = {{
    {"ARRIVAL", SortKeyKind::Arrival},
    {"CC", SortKeyKind::Cc},
    {"DATE", SortKeyKind::Date},
    {"FROM", SortKeyKind::From},
    {"SIZE", SortKeyKind::Size},
    {"SUBJECT", SortKeyKind::Subject},
    {"TO", SortKeyKind::To},
    {"DISPLAYFROM", SortKeyKind::DisplayFrom},
    {"DISPLAYTO", SortKeyKind::DisplayTo},
}};

// sort-criterion = ["REVERSE" SP] sort-key
SortCriterion parse_sort_criterion(Tokenizer& tokens) {
    SortCriterion criterion;
    std::string name = tokens.keyword();
    if (name == "REVERSE") {
        criterion.reverse = true;
        tokens.space();
        name = tokens.keyword();
    }
    for (const SortKeyName& key : kSortKeys) {
        if (key.name == name) {
            criterion.key = key.key;
            return criterion;
        }
    }
    tokens.fail("Unknown sort key");
    return criterion;
}

// SP charset SP search-criteria, the end of both commands.
SearchKey parse_charset_and_criteria(Tokenizer& tokens) {
    tokens.space();
    parse_search_charset(tokens);
    tokens.space();
    return parse_search_criteria(tokens);
}

}  // namespace

Sort parse_sort(Tokenizer& tokens, bool uid) {
    Sort sort;
    sort.uid = uid;
    tokens.space();
    if (tokens.skip_keyword("RETURN")) {
        tokens.space();
        sort.returns = parse_search_return(tokens);
        if (sort.returns->save) {
            tokens.fail("SORT RETURN (SAVE) is not supported");
        }
        tokens.space();
    }
    tokens.list([&] { sort.criteria.push_back(parse_sort_criterion(tokens)); }, EmptyList::Refused);
    sort.search = parse_charset_and_criteria(tokens);
    return sort;
}

Thread parse_thread(Tokenizer& tokens, bool uid) {
    Thread thread;
    thread.uid = uid;
    tokens.space();
    const std::string algorithm = tokens.keyword();
    if (algorithm == "ORDEREDSUBJECT") {
        thread.algorithm = ThreadAlgorithm::OrderedSubject;
    } else if (algorithm == "REFERENCES") {
        thread.algorithm = ThreadAlgorithm::References;
    } else if (tokens.ok()) {
        tokens.fail("Unknown threading algorithm");
    }
    thread.search = parse_charset_and_criteria(tokens);
    return thread;
}

}  // namespace govmail::imap
