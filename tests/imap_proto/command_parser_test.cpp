// Commands from the examples of RFC 3501 sections 6 and 8 and of the extensions, parsed whole and
// fed to the reader one byte at a time.

#include "imapd/proto/command_parser.hpp"

#include <gtest/gtest.h>

#include "tests/imap_proto/parse_helpers.hpp"

namespace govmail::imap {
namespace {

using namespace std::literals;
using test::feed;
using test::parse;

struct ParseCase {
    std::string_view input;
    ParseResult expected;
};

SequenceSet range(std::uint32_t first, std::uint32_t last) { return {{{first, last}}, false}; }

SequenceSet single(std::uint32_t number) { return range(number, number); }

FetchAttribute item(FetchItem fetch_item) { return {fetch_item, {}, false, std::nullopt}; }

SearchKey key(SearchKeyKind kind) { return {.kind = kind}; }

SearchKey text_key(SearchKeyKind kind, std::string text) {
    return {.kind = kind, .text = std::move(text)};
}

Error error(ErrorKind kind, std::string text, std::string tag) {
    return {kind, std::move(text), false, std::move(tag)};
}

const DateTime kJuly17 = *parse_date_time("17-Jul-1996 02:44:25 -0700");

const ParseCase kRfcExamples[] = {
    {"abcd CAPABILITY\r\n", Command{"abcd", Capability{}}},
    {"a002 NOOP\r\n", Command{"a002", Noop{}}},
    {"A023 LOGOUT\r\n", Command{"A023", Logout{}}},
    {"a001 STARTTLS\r\n", Command{"a001", StartTls{}}},
    {"A001 AUTHENTICATE GSSAPI\r\n", Command{"A001", Authenticate{"GSSAPI", std::nullopt}}},
    {"a1 authenticate plain AGpvZQBzZWNyZXQ=\r\n",
     Command{"a1", Authenticate{"PLAIN", "AGpvZQBzZWNyZXQ="}}},
    {"a001 LOGIN SMITH SESAME\r\n", Command{"a001", Login{"SMITH", "SESAME"}}},
    {"a1 LOGIN {5}\r\nsmith {6+}\r\nses\"me\r\n", Command{"a1", Login{"smith", "ses\"me"}}},
    {"a1 LOGIN \"sm\\\\ith\" \"ses\\\"ame\"\r\n", Command{"a1", Login{"sm\\ith", "ses\"ame"}}},
    {"A142 SELECT INBOX\r\n", Command{"A142", Select{.mailbox = "INBOX"}}},
    {"a002 select inbox\r\n", Command{"a002", Select{.mailbox = "INBOX"}}},
    {"A932 EXAMINE blurdybloop\r\n",
     Command{"A932", Select{.mailbox = "blurdybloop", .read_only = true}}},
    {"A1 SELECT INBOX (CONDSTORE)\r\n",
     Command{"A1", Select{.mailbox = "INBOX", .condstore = true}}},
    {"A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))\r\n",
     Command{
         "A02",
         Select{
             .mailbox = "INBOX",
             .qresync =
                 QresyncParams{
                     67890007, 20050715194045000, SequenceSet{{{41, 41}, {43, 211}, {214, 541}}},
                     std::nullopt, std::nullopt}}}},
    {"B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500 25000,37500)))\r\n",
     Command{
         "B04",
         Select{
             .mailbox = "INBOX",
             .qresync =
                 QresyncParams{
                     67890007, 90060115194045000, range(1, 29997),
                     SequenceSet{{{5000, 5000}, {7500, 7500}}},
                     SequenceSet{{{25000, 25000}, {37500, 37500}}}}}}},
    {"A003 CREATE owatagusiam/\r\n", Command{"A003", Create{"owatagusiam", {}}}},
    {"t1 CREATE \"Important Messages\" (USE (\\Important))\r\n",
     Command{"t1", Create{"Important Messages", {"\\Important"}}}},
    {"A682 DELETE blurdybloop\r\n", Command{"A682", Delete{"blurdybloop"}}},
    {"A683 RENAME blurdybloop sarasota\r\n", Command{"A683", Rename{"blurdybloop", "sarasota"}}},
    {"A002 SUBSCRIBE #news.comp.mail.mime\r\n", Command{"A002", Subscribe{"#news.comp.mail.mime"}}},
    {"A002 UNSUBSCRIBE #news.comp.mail.mime\r\n",
     Command{"A002", Unsubscribe{"#news.comp.mail.mime"}}},
    {"A101 LIST \"\" \"\"\r\n", Command{"A101", List{"", {""}, {}, {}}}},
    {"A202 LIST ~/Mail/ %\r\n", Command{"A202", List{"~/Mail/", {"%"}, {}, {}}}},
    {"A103 LIST /usr/staff/jones \"\"\r\n",
     Command{"A103", List{"/usr/staff/jones", {""}, {}, {}}}},
    {"A04 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"%\" INBOX) RETURN (CHILDREN STATUS (MESSAGES "
     "UNSEEN))\r\n",
     Command{
         "A04",
         List{
             "",
             {"%", "INBOX"},
             {.subscribed = true, .recursive_match = true},
             {.children = true, .status = std::vector{StatusItem::Messages, StatusItem::Unseen}}}}},
    {"t1 LIST \"\" \"%\" RETURN (SPECIAL-USE SUBSCRIBED)\r\n",
     Command{"t1", List{"", {"%"}, {}, {.subscribed = true, .special_use = true}}}},
    {"t3 LIST (SPECIAL-USE) \"\" \"*\"\r\n",
     Command{"t3", List{"", {"*"}, {.special_use = true}, {}}}},
    {"A002 LSUB \"#news.\" \"comp.mail.*\"\r\n", Command{"A002", Lsub{"#news.", "comp.mail.*"}}},
    {"A042 STATUS blurdybloop (UIDNEXT MESSAGES)\r\n",
     Command{"A042", Status{"blurdybloop", {StatusItem::UidNext, StatusItem::Messages}}}},
    {"A003 APPEND saved-messages (\\Seen) {12}\r\nHello Joe!\r\n\r\n",
     Command{"A003", Append{"saved-messages", {{{"\\Seen"}, std::nullopt, "Hello Joe!\r\n"}}}}},
    {"A1 APPEND INBOX \"17-Jul-1996 02:44:25 -0700\" ~{3}\r\na\0b\r\n"sv,
     Command{"A1", Append{"INBOX", {{{}, kJuly17, std::string("a\0b", 3), true}}}}},
    {"A2 APPEND Drafts (\\Draft) \"17-Jul-1996 02:44:25 -0700\" {1+}\r\nx (\\Seen) {1+}\r\ny\r\n",
     Command{
         "A2", Append{"Drafts", {{{"\\Draft"}, kJuly17, "x"}, {{"\\Seen"}, std::nullopt, "y"}}}}},
    // RFC 4469 section 5, a TEXT literal8 (RFC 4469 with RFC 3516) and a second message.
    {"A3 APPEND Drafts (\\Seen) CATENATE (URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;"
     "SECTION=HEADER\" TEXT ~{3+}\r\na\0b URL \"/x/;UID=1\") {1+}\r\nz\r\n"sv,
     Command{
         "A3",
         Append{
             "Drafts",
             {{{"\\Seen"},
               std::nullopt,
               "",
               false,
               {{true, "/Drafts;UIDVALIDITY=385759045/;UID=20/;SECTION=HEADER"},
                {false, std::string("a\0b", 3)},
                {true, "/x/;UID=1"}}},
              {{}, std::nullopt, "z"}}}}},
    {"FXXZ CHECK\r\n", Command{"FXXZ", Check{}}},
    {"A341 CLOSE\r\n", Command{"A341", Close{}}},
    {"A342 UNSELECT\r\n", Command{"A342", Unselect{}}},
    {"A202 EXPUNGE\r\n", Command{"A202", Expunge{}}},
    {"A003 UID EXPUNGE 3000:3002\r\n", Command{"A003", Expunge{range(3000, 3002)}}},
    {"A283 SEARCH TEXT \"string not in mailbox\"\r\n",
     Command{"A283", Search{.criteria = text_key(SearchKeyKind::Text, "string not in mailbox")}}},
    {"A284 SEARCH CHARSET UTF-8 TEXT {6}\r\n\xe4\xb8\xad\xe6\x96\x87\r\n",
     Command{
         "A284", Search{.criteria = text_key(SearchKeyKind::Text, "\xe4\xb8\xad\xe6\x96\x87")}}},
    {"A285 UID SEARCH RETURN (MIN COUNT) UNSEEN\r\n",
     Command{
         "A285",
         Search{
             .uid = true,
             .returns = SearchReturn{.min = true, .count = true},
             .criteria = key(SearchKeyKind::Unseen)}}},
    {"A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])\r\n",
     Command{
         "A654",
         Fetch{
             .set = range(2, 4),
             .attributes =
                 {item(FetchItem::Flags),
                  {FetchItem::BodySection,
                   {{}, SectionText::HeaderFields, {"DATE", "FROM"}},
                   false,
                   std::nullopt}}}}},
    {"A999 UID FETCH 4827313:4828442 FLAGS\r\n",
     Command{
         "A999",
         Fetch{
             .uid = true, .set = range(4827313, 4828442), .attributes = {item(FetchItem::Flags)}}}},
    {"a003 fetch 12 full\r\n",
     Command{
         "a003",
         Fetch{
             .set = single(12),
             .attributes =
                 {item(FetchItem::Flags), item(FetchItem::InternalDate),
                  item(FetchItem::Rfc822Size), item(FetchItem::Envelope), item(FetchItem::Body)}}}},
    {"a004 fetch 12 body[header]\r\n",
     Command{
         "a004",
         Fetch{
             .set = single(12),
             .attributes =
                 {{FetchItem::BodySection, {{}, SectionText::Header, {}}, false, std::nullopt}}}}},
    {"A003 STORE 2:4 +FLAGS (\\Deleted)\r\n",
     Command{"A003", Store{.set = range(2, 4), .mode = StoreMode::Add, .flags = {"\\Deleted"}}}},
    {"a005 store 12 +flags \\deleted\r\n",
     Command{"a005", Store{.set = single(12), .mode = StoreMode::Add, .flags = {"\\Deleted"}}}},
    {"A7 UID STORE 1:* -FLAGS.SILENT (UNCHANGEDSINCE 320162338) ($Junk \\Seen)\r\n",
     error(ErrorKind::Syntax, "Unexpected extra arguments", "A7")},
    {"A7 UID STORE 1:* (UNCHANGEDSINCE 320162338) -FLAGS.SILENT ($Junk \\Seen)\r\n",
     Command{
         "A7",
         Store{
             .uid = true,
             .set = range(1, kStar),
             .mode = StoreMode::Remove,
             .silent = true,
             .flags = {"$Junk", "\\Seen"},
             .unchanged_since = 320162338}}},
    {"A8 STORE 1 FLAGS ()\r\n", Command{"A8", Store{.set = single(1)}}},
    {"A003 COPY 2:4 MEETING\r\n", Command{"A003", Copy{false, range(2, 4), "MEETING"}}},
    {"a UID MOVE 42:69 foo\r\n", Command{"a", Move{true, range(42, 69), "foo"}}},
    {"a2 UID COPY 1,3 \"Sent Items\"\r\n",
     Command{"a2", Copy{true, SequenceSet{{{1, 1}, {3, 3}}}, "Sent Items"}}},
    {"a IDLE\r\n", Command{"a", Idle{}}},
    {"A001 NAMESPACE\r\n", Command{"A001", Namespace{}}},
    {"a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" NIL)\r\n",
     Command{
         "a023", Id{std::vector<Id::Field>{
                     {"name", "sodr"}, {"version", "19.34"}, {"vendor", std::nullopt}}}}},
    {"a024 ID NIL\r\n", Command{"a024", Id{}}},
    {"t2 ENABLE CONDSTORE X-GOOD-IDEA\r\n", Command{"t2", Enable{{"CONDSTORE", "X-GOOD-IDEA"}}}},
    {"G0001 GETQUOTA \"!partition/sda4\"\r\n", Command{"G0001", GetQuota{"!partition/sda4"}}},
    {"G0002 GETQUOTAROOT INBOX\r\n", Command{"G0002", GetQuotaRoot{"INBOX"}}},
    {"S0000 SETQUOTA \"#user/alice\" (STORAGE 510)\r\n",
     Command{"S0000", SetQuota{"#user/alice", {{"STORAGE", 510}}}}},
    {"S0001 SETQUOTA \"\" ()\r\n", Command{"S0001", SetQuota{"", {}}}},
};

const ParseCase kErrors[] = {
    {"A1 FROB\r\n", error(ErrorKind::UnknownCommand, "Unknown command", "A1")},
    {"A1 NOOP extra\r\n", error(ErrorKind::Syntax, "Unexpected extra arguments", "A1")},
    {"A1 LOGIN smith\r\n", error(ErrorKind::Syntax, "Missing arguments", "A1")},
    {"A1 NOOP\r\r\n", error(ErrorKind::Syntax, "CR not followed by LF", "A1")},
    {"A1 LOGIN a\rb c\r\n", error(ErrorKind::Syntax, "CR not followed by LF", "A1")},
    {"A1 LOGIN a \"b\0\"\r\n"sv, error(ErrorKind::Syntax, "NUL in quoted string", "A1")},
    {"A1 LOGIN a {3}\r\nb\0c\r\n"sv,
     error(ErrorKind::Syntax, "NUL in literal (use literal8 ~{n} for binary data)", "A1")},
    {"A1 LOGIN a ~{1}\r\nb\r\n", error(ErrorKind::Syntax, "Unexpected extra arguments", "A1")},
    {"A1 SELECT &Jjo\r\n",
     error(ErrorKind::BadMailboxName, "Mailbox name is not valid modified UTF-7", "A1")},
    {"A1 SEARCH CHARSET KOI8-R TEXT x\r\n",
     error(ErrorKind::BadCharset, "Unsupported charset", "A1")},
    {"A1 FETCH 0 FLAGS\r\n", error(ErrorKind::Syntax, "Invalid sequence set", "A1")},
    {"A1 FETCH 1 BODY[MIME]\r\n", error(ErrorKind::Syntax, "Invalid section", "A1")},
    {"A1 FETCH 1 (ALL)\r\n", error(ErrorKind::Syntax, "Unknown FETCH item", "A1")},
    {"A1 STATUS INBOX ()\r\n", error(ErrorKind::Syntax, "Empty list", "A1")},
    {"A1 UID FROB 1\r\n", error(ErrorKind::Syntax, "Unknown UID command", "A1")},
    {"A1 LIST (RECURSIVEMATCH) \"\" %\r\n",
     error(ErrorKind::Syntax, "RECURSIVEMATCH needs another selection option", "A1")},
    {"A1 LIST (FOO) \"\" %\r\n", error(ErrorKind::Syntax, "Unknown LIST selection option", "A1")},
    {"A1 APPEND INBOX \"hello\"\r\n", error(ErrorKind::Syntax, "Invalid date-time", "A1")},
    {"A1 APPEND INBOX (\\Seen)\r\n", error(ErrorKind::Syntax, "Missing arguments", "A1")},
    {"A1 APPEND INBOX CATENATE ()\r\n", error(ErrorKind::Syntax, "Empty list", "A1")},
    {"A1 APPEND INBOX CATENATE (BODY \"x\")\r\n",
     error(ErrorKind::Syntax, "Expected TEXT or URL", "A1")},
    {"A1 STORE 1 FLAGS.LOUD \\Seen\r\n",
     error(ErrorKind::Syntax, "Expected FLAGS, +FLAGS or -FLAGS", "A1")},
    {"A1 CREATE x (USE (Drafts))\r\n",
     error(ErrorKind::Syntax, "Special-use attributes start with a backslash", "A1")},
    {"A1 AUTHENTICATE PLAIN !!\r\n",
     error(ErrorKind::Syntax, "Invalid SASL initial response", "A1")},
    {"A1 LOGIN \"unterminated\r\n", error(ErrorKind::Syntax, "Unterminated quoted string", "A1")},
    {"A1 LOGIN a \"b\\x\"\r\n", error(ErrorKind::Syntax, "Invalid escape in quoted string", "A1")},
    {"A1 LOGIN a \"\xff\"\r\n", error(ErrorKind::Syntax, "Quoted string is not valid UTF-8", "A1")},
    {"A1 DONE\r\n", error(ErrorKind::UnknownCommand, "Unknown command", "A1")},
    {"A1\r\n", Error{ErrorKind::Syntax, "Missing arguments", false, "A1"}},
    {"\r\n", Error{ErrorKind::Syntax, "Missing or invalid tag", false, std::nullopt}},
    {"+A1 NOOP\r\n", Error{ErrorKind::Syntax, "Missing or invalid tag", false, std::nullopt}},
};

class CommandParserTest : public testing::TestWithParam<ParseCase> {};

TEST_P(CommandParserTest, ParsesWholeCommand) {
    EXPECT_EQ(parse(GetParam().input), GetParam().expected) << GetParam().input;
}

TEST_P(CommandParserTest, ReaderFedByteByByteGivesTheSameResult) {
    const std::vector<ReaderEvent> events = feed(GetParam().input, 1);
    ASSERT_FALSE(events.empty());
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        EXPECT_TRUE(std::holds_alternative<NeedContinuation>(events[i])) << GetParam().input;
    }
    EXPECT_EQ(events.back(), test::as_event(GetParam().expected)) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(RfcExamples, CommandParserTest, testing::ValuesIn(kRfcExamples));
INSTANTIATE_TEST_SUITE_P(Errors, CommandParserTest, testing::ValuesIn(kErrors));

TEST(CommandParser, AcceptsBareLineFeed) {
    EXPECT_EQ(parse("a NOOP\n"), ParseResult(Command{"a", Noop{}}));
}

TEST(CommandParser, ReadsIdleDone) {
    EXPECT_TRUE(is_idle_done("DONE"));
    EXPECT_TRUE(is_idle_done("done"));
    EXPECT_FALSE(is_idle_done("DONE "));
    EXPECT_FALSE(is_idle_done("a1 NOOP"));
}

TEST(CommandParser, LimitsIdFields) {
    std::string command = "a ID (";
    for (int i = 0; i < 31; ++i) {
        command += "\"k\" NIL ";
    }
    command.back() = ')';
    command += "\r\n";
    EXPECT_EQ(parse(command), ParseResult(error(ErrorKind::Syntax, "Too many ID fields", "a")));
}

}  // namespace
}  // namespace govmail::imap
