// Unit tests of the MIME layer: structure, offsets, ENVELOPE/BODY/BODYSTRUCTURE text (RFC 3501
// section 7.4.2), header decoding (RFC 2047, Korean charsets), the cached section list, and
// hostile input (broken boundaries, missing separators, MIME bombs, random bytes).

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/imap_string.hpp"
#include "mime/date.hpp"
#include "mime/encoded_words.hpp"
#include "mime/entity.hpp"
#include "mime/header.hpp"
#include "mime/parse.hpp"
#include "mime/parts.hpp"

namespace govmail::mime {
namespace {

// Test messages are written with "\n" for readability; mail on the wire has CRLF.
std::string crlf(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\n') {
            out += '\r';
        }
        out += c;
    }
    return out;
}

std::string slice(std::string_view raw, const ByteRange& range) {
    return std::string(raw.substr(range.begin, range.end - range.begin));
}

// ---------------------------------------------------------------------------------------------
// Whole messages: BODYSTRUCTURE, BODY and the bytes of each section.

struct SectionCase {
    std::string section;
    SectionText text;
    std::optional<std::string> bytes;  // nullopt: the message has no such section
};

struct MessageCase {
    std::string name;
    std::string raw;
    std::string body_structure;
    std::string body;
    std::vector<SectionCase> sections;
};

const std::string kSimple = crlf(R"(From: "Kim, Minsu" <minsu@example.go.kr>
To: Lee <lee@example.go.kr>
Subject: Hello
Date: Tue, 2 Jan 2024 09:30:00 +0900
Message-ID: <abc@example.go.kr>
Content-Type: text/plain; charset=UTF-8

Hello, Bob
)");

const std::string kAttachment = crlf(R"(From: a@example.com
To: b@example.com
Subject: report
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

preamble
--XX
Content-Type: text/plain; charset=us-ascii

See attached.
--XX
Content-Type: application/pdf; name="r.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="r.pdf"

JVBERi0xLjQK
--XX--
epilogue
)");

const std::string kNested = crlf(R"(Subject: nested
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=utf-8

plain
--inner
Content-Type: text/html; charset=utf-8

<p>html</p>
--inner--

--outer
Content-Type: image/png
Content-Transfer-Encoding: base64

iVBORw0K
--outer--
)");

const std::string kForward = crlf(R"(From: a@example.com
Subject: fwd
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain

see below
--b1
Content-Type: message/rfc822

From: c@example.com
Subject: inner
Content-Type: text/plain; charset=utf-8

inner body
--b1--
)");

const std::string kMissingClose = crlf(R"(Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

one
--b

two
)");

const std::string kBoundaryNeverAppears = crlf(R"(Content-Type: multipart/mixed; boundary=zz

just some text
)");

const std::string kNoSeparator = crlf(R"(Subject: only a header
From: a@example.com
)");

const std::string kHeaderThenText = crlf(R"(Subject: no blank line
this line is body text
)");

// LF-only line ends, as some local submitters write.
const std::string kLfOnly =
    "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nline one\n"
    "line two\n--b--\n";

const std::string kForwardStructure =
    R"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 9 1 NIL NIL NIL NIL))"
    R"(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 90 )"
    R"((NIL "inner" ((NIL NIL "c" "example.com")) ((NIL NIL "c" "example.com")) )"
    R"(((NIL NIL "c" "example.com")) NIL NIL NIL NIL NIL) )"
    R"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL) 5 NIL NIL NIL NIL))"
    R"( "MIXED" ("BOUNDARY" "b1") NIL NIL NIL))";

const std::vector<MessageCase> kMessageCases = {
    {"SimpleTextPlain",
     kSimple,
     R"(("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL))",
     R"(("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "7BIT" 12 1))",
     {{"", SectionText::Text, "Hello, Bob\r\n"},
      {"1", SectionText::Body, "Hello, Bob\r\n"},
      {"", SectionText::Header, kSimple.substr(0, kSimple.find("\r\n\r\n") + 4)},
      {"", SectionText::Body, kSimple}}},
    {"MultipartWithBase64Attachment",
     kAttachment,
     R"((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 13 1 NIL NIL NIL NIL))"
     R"(("APPLICATION" "PDF" ("NAME" "r.pdf") NIL NIL "BASE64" 12 NIL)"
     R"( ("ATTACHMENT" ("FILENAME" "r.pdf")) NIL NIL) "MIXED" ("BOUNDARY" "XX") NIL NIL NIL))",
     R"((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 13 1))"
     R"(("APPLICATION" "PDF" ("NAME" "r.pdf") NIL NIL "BASE64" 12) "MIXED"))",
     {{"1", SectionText::Body, "See attached."},
      {"1", SectionText::Mime, "Content-Type: text/plain; charset=us-ascii\r\n\r\n"},
      {"2", SectionText::Body, "JVBERi0xLjQK"},
      {"2", SectionText::Header, std::nullopt}}},
    {"AlternativeInsideMixed",
     kNested,
     R"(((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 5 1 NIL NIL NIL NIL))"
     R"(("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 11 1 NIL NIL NIL NIL))"
     R"( "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL))"
     R"(("IMAGE" "PNG" NIL NIL NIL "BASE64" 8 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "outer") NIL NIL NIL))",
     R"(((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 5 1))"
     R"(("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 11 1) "ALTERNATIVE"))"
     R"(("IMAGE" "PNG" NIL NIL NIL "BASE64" 8) "MIXED"))",
     {{"1.1", SectionText::Body, "plain"},
      {"1.2", SectionText::Body, "<p>html</p>"},
      {"1.2", SectionText::Mime, "Content-Type: text/html; charset=utf-8\r\n\r\n"},
      {"1", SectionText::Mime, "Content-Type: multipart/alternative; boundary=inner\r\n\r\n"},
      {"1", SectionText::Body,
       crlf("--inner\nContent-Type: text/plain; charset=utf-8\n\nplain\n--inner\n"
            "Content-Type: text/html; charset=utf-8\n\n<p>html</p>\n--inner--\n")},
      {"2", SectionText::Body, "iVBORw0K"},
      {"3", SectionText::Body, std::nullopt}}},
    {"AttachedMessage",
     kForward,
     kForwardStructure,
     R"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 9 1))"
     R"(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 90 )"
     R"((NIL "inner" ((NIL NIL "c" "example.com")) ((NIL NIL "c" "example.com")) )"
     R"(((NIL NIL "c" "example.com")) NIL NIL NIL NIL NIL) )"
     R"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 10 1) 5) "MIXED"))",
     {{"1", SectionText::Body, "see below"},
      {"2", SectionText::Mime, "Content-Type: message/rfc822\r\n\r\n"},
      {"2", SectionText::Header,
       crlf("From: c@example.com\nSubject: inner\nContent-Type: text/plain; charset=utf-8\n\n")},
      {"2", SectionText::Text, "inner body"},
      {"2.1", SectionText::Body, "inner body"},
      {"2.1", SectionText::Header, std::nullopt},
      {"", SectionText::Mime, std::nullopt},
      {"2", SectionText::Body,
       crlf("From: c@example.com\nSubject: inner\nContent-Type: text/plain; charset=utf-8\n\n"
            "inner body")}}},
    {"MissingClosingBoundary",
     kMissingClose,
     R"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1 NIL NIL NIL NIL))"
     R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 5 1 NIL NIL NIL NIL))"
     R"( "MIXED" ("BOUNDARY" "b") NIL NIL NIL))",
     R"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1))"
     R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 5 1) "MIXED"))",
     {{"1", SectionText::Body, "one"}, {"2", SectionText::Body, "two\r\n"}}},
    {"BoundaryNeverAppears",
     kBoundaryNeverAppears,
     R"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL))"
     R"( "MIXED" ("BOUNDARY" "zz") NIL NIL NIL))",
     R"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0) "MIXED"))",
     {{"", SectionText::Text, "just some text\r\n"}, {"1", SectionText::Body, ""}}},
    {"NoHeaderBodySeparator",
     kNoSeparator,
     R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL))",
     R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0))",
     {{"", SectionText::Header, kNoSeparator}, {"", SectionText::Text, ""}}},
    {"HeaderFollowedByTextWithoutBlankLine",
     kHeaderThenText,
     R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 24 1 NIL NIL NIL NIL))",
     R"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 24 1))",
     {{"", SectionText::Header, "Subject: no blank line\r\n"},
      {"1", SectionText::Body, "this line is body text\r\n"}}},
    {"LfOnlyLineEnds",
     kLfOnly,
     R"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 17 2 NIL NIL NIL NIL))"
     R"( "MIXED" ("BOUNDARY" "b") NIL NIL NIL))",
     R"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 17 2) "MIXED"))",
     {{"1", SectionText::Body, "line one\nline two"},
      {"1", SectionText::Mime, "Content-Type: text/plain\n\n"}}},
};

class MessageTest : public testing::TestWithParam<MessageCase> {};

TEST_P(MessageTest, BodyStructure) {
    const MessageCase& c = GetParam();
    EXPECT_EQ(parse(c.raw).body_structure, c.body_structure);
}

TEST_P(MessageTest, Body) {
    const MessageCase& c = GetParam();
    EXPECT_EQ(parse(c.raw).body, c.body);
}

TEST_P(MessageTest, SectionsSliceTheRawBytes) {
    const MessageCase& c = GetParam();
    const ParsedMessage parsed = parse(c.raw);
    for (const SectionCase& s : c.sections) {
        SCOPED_TRACE("section " + s.section + " kind " + std::to_string(static_cast<int>(s.text)));
        const std::optional<ByteRange> range = locate_section(parsed.parts, s.section, s.text);
        ASSERT_EQ(range.has_value(), s.bytes.has_value());
        if (range) {
            EXPECT_EQ(slice(c.raw, *range), *s.bytes);
        }
    }
}

TEST_P(MessageTest, SerializedPartsRoundTrip) {
    const ParsedMessage parsed = parse(GetParam().raw);
    EXPECT_EQ(deserialize_parts(serialize_parts(parsed.parts)), parsed.parts);
}

INSTANTIATE_TEST_SUITE_P(
    Mime,
    MessageTest,
    testing::ValuesIn(kMessageCases),
    [](const testing::TestParamInfo<MessageCase>& param_info) { return param_info.param.name; }
);

// ---------------------------------------------------------------------------------------------
// ENVELOPE and the decoded fields.

// The line count of BODYSTRUCTURE (RFC 3501 7.4.2): a last line without a line end counts.
TEST(Entity, CountsLines) {
    EXPECT_EQ(count_lines(""), 0U);
    EXPECT_EQ(count_lines("a"), 1U);
    EXPECT_EQ(count_lines("a\r\n"), 1U);
    EXPECT_EQ(count_lines("a\r\nb"), 2U);
    EXPECT_EQ(count_lines("\n\n\n"), 3U);
    std::string many;
    for (int i = 0; i < 1000; ++i) {
        many += std::string(static_cast<std::size_t>(i % 90), 'x') + "\r\n";
    }
    EXPECT_EQ(count_lines(many), 1000U);
    EXPECT_EQ(count_lines(many + "tail"), 1001U);
}

TEST(Envelope, SimpleMessage) {
    const ParsedMessage parsed = parse(kSimple);
    const std::string from = R"((("Kim, Minsu" NIL "minsu" "example.go.kr")))";
    EXPECT_EQ(
        parsed.envelope,
        R"(("Tue, 2 Jan 2024 09:30:00 +0900" "Hello" )" + from + " " + from + " " + from +
            R"( (("Lee" NIL "lee" "example.go.kr")) NIL NIL NIL "<abc@example.go.kr>"))"
    );
    EXPECT_EQ(parsed.date_unix, 1704155400);  // 2024-01-02T00:30:00Z
    EXPECT_EQ(parsed.message_id, "<abc@example.go.kr>");
    EXPECT_EQ(parsed.search_text, "Hello, Bob\r\n");
}

TEST(Envelope, GroupsRoutesCommentsAndExplicitSender) {
    const std::string raw = crlf(R"(From: john@example.com (John Doe)
Sender: <@relay.example:secretary@example.com>
Reply-To: "Q \"Quoted\" Name" <reply@example.com>
To: Team: a@example.com, "B" <b@example.com>;, undisclosed-recipients:;
Cc: bare-local-part
Subject: =?UTF-8?B?7JWI64WV7ZWY7IS47JqU?=
In-Reply-To: <parent@example.com>

body
)");
    EXPECT_EQ(
        parse(raw).envelope,
        R"((NIL "=?UTF-8?B?7JWI64WV7ZWY7IS47JqU?=" (("John Doe" NIL "john" "example.com")) )"
        R"(((NIL "@relay.example" "secretary" "example.com")) )"
        R"((("Q \"Quoted\" Name" NIL "reply" "example.com")) )"
        R"(((NIL NIL "Team" NIL)(NIL NIL "a" "example.com")("B" NIL "b" "example.com"))"
        R"((NIL NIL NIL NIL)(NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) )"
        R"(((NIL NIL "bare-local-part" "MISSING_DOMAIN")) NIL "<parent@example.com>" NIL))"
    );
}

TEST(Envelope, EightBitSubjectIsALiteral) {
    const std::string raw = crlf("Subject: \xEC\x95\x88\xEB\x85\x95\n\nx\n");
    EXPECT_EQ(
        parse(raw).envelope, "(NIL {6}\r\n\xEC\x95\x88\xEB\x85\x95 NIL NIL NIL NIL NIL NIL NIL NIL)"
    );
}

// Found by tests/fuzz/mime_fuzz: NULs in a display name went out inside the ENVELOPE literal.
TEST(Envelope, NulInAHeaderNeverReachesTheClient) {
    using namespace std::string_literals;
    const std::string raw =
        "To: \"Kim, Young\0\0\" <kim@example.kr>\r\nSubject: a\0b\r\n\r\nx\r\n"s;
    const ParsedMessage parsed = parse(raw);
    EXPECT_EQ(parsed.envelope.find('\0'), std::string::npos);
    EXPECT_EQ(
        parsed.envelope,
        "(NIL {5}\r\na\xEF\xBF\xBD"
        "b NIL NIL NIL "
        "(({16}\r\nKim, Young\xEF\xBF\xBD\xEF\xBF\xBD NIL \"kim\" \"example.kr\")) NIL NIL NIL NIL)"
    );
}

// APPEND of a literal8 (RFC 3516) with NUL in its body failed: the search text went to
// PostgreSQL as text with a NUL byte.
TEST(DecodedFields, NulBytesBecomeSpaces) {
    using namespace std::string_literals;
    const std::string raw = "Subject: a\0b\r\nX-Tag: c\0d\r\n\r\nx\0y\r\n"s;
    const ParsedMessage parsed = parse(raw);
    EXPECT_EQ(parsed.subject, "a b");
    EXPECT_EQ(parsed.search_text.find('\0'), std::string::npos);
    EXPECT_NE(parsed.search_text.find("x y"), std::string::npos);
    EXPECT_EQ(parsed.header_text.find('\0'), std::string::npos);
    EXPECT_NE(parsed.header_text.find("c d"), std::string::npos);
}

TEST(DecodedFields, AreUtf8) {
    const std::string raw = crlf(R"(From: =?EUC-KR?B?vsiz58fPvLy/5A==?= <hello@example.go.kr>
To: a@example.com,
 b@example.com
Subject: =?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=
References: <a@x>
 <b@x>

x
)");
    const ParsedMessage parsed = parse(raw);
    EXPECT_EQ(parsed.subject, "안녕하세요");
    EXPECT_EQ(parsed.from, "안녕하세요 <hello@example.go.kr>");
    EXPECT_EQ(parsed.to, "a@example.com, b@example.com");
    EXPECT_EQ(parsed.references, "<a@x> <b@x>");
    EXPECT_EQ(parsed.cc, "");
}

// ---------------------------------------------------------------------------------------------
// RFC 2047 and raw 8-bit header decoding.

struct DecodeCase {
    std::string name;
    std::string raw;
    std::string decoded;
};

const std::vector<DecodeCase> kDecodeCases = {
    {"Utf8Base64", "=?UTF-8?B?7JWI64WV7ZWY7IS47JqU?=", "안녕하세요"},
    {"Utf8Q", "=?utf-8?Q?=EC=95=88=EB=85=95=ED=95=98=EC=84=B8=EC=9A=94?=", "안녕하세요"},
    {"QUnderscoreIsSpace", "=?iso-8859-1?Q?caf=E9_au_lait?=", "café au lait"},
    {"EucKr", "=?EUC-KR?B?vsiz58fPvLy/5A==?=", "안녕하세요"},
    {"Cp949Label", "=?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=", "안녕하세요"},
    {"Iso2022Kr", "=?ISO-2022-KR?B?GyQpQw4+SDNnR088PD9kDw==?=", "안녕하세요"},
    {"CharacterSplitAcrossWords",
     "=?UTF-8?B?7JWI6w==?=\r\n =?UTF-8?B?hZXtlZjshLjsmpQ=?=", "안녕하세요"},
    {"TextAroundWords", "Re: =?UTF-8?B?7JWI64WV7ZWY7IS47JqU?= [2]", "Re: 안녕하세요 [2]"},
    {"LanguageSuffix", "=?UTF-8*ko?B?7JWI64WV7ZWY7IS47JqU?=", "안녕하세요"},
    {"RawUtf8Kept", "\xEC\x95\x88\xEB\x85\x95", "안녕"},
    {"RawCp949", "\x8C\x63\xB9\xE6\xB0\xA2\xC7\xCF", "똠방각하"},
    {"RawEucKr", "\xBE\xC8\xB3\xE7\xC7\xCF\xBC\xBC\xBF\xE4", "안녕하세요"},
    {"UnknownEncodingLeftAsIs", "=?UTF-8?X?abc?=", "=?UTF-8?X?abc?="},
    {"UnknownCharsetFallsBack", "=?x-unknown?B?7JWI64WV?=", "안녕"},
    {"UnterminatedWord", "=?UTF-8?B?7JWI", "=?UTF-8?B?7JWI"},
    {"BrokenUtf8Replaced", "=?UTF-8?B?/w==?=", "\xEF\xBF\xBD"},
};

class DecodeTest : public testing::TestWithParam<DecodeCase> {};

TEST_P(DecodeTest, DecodesToUtf8) {
    EXPECT_EQ(decode_header_value(GetParam().raw), GetParam().decoded);
}

INSTANTIATE_TEST_SUITE_P(
    Mime,
    DecodeTest,
    testing::ValuesIn(kDecodeCases),
    [](const testing::TestParamInfo<DecodeCase>& param_info) { return param_info.param.name; }
);

// ---------------------------------------------------------------------------------------------
// IMAP strings.

TEST(ImapString, QuotedOrLiteral) {
    EXPECT_EQ(imap_string("plain"), R"("plain")");
    EXPECT_EQ(imap_string(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
    EXPECT_EQ(imap_string(""), R"("")");
    EXPECT_EQ(imap_string("two\r\nlines"), "{10}\r\ntwo\r\nlines");
    EXPECT_EQ(imap_string("caf\xC3\xA9"), "{5}\r\ncaf\xC3\xA9");
    const std::string long_text(2000, 'a');
    EXPECT_EQ(imap_string(long_text), "{2000}\r\n" + long_text);
    EXPECT_EQ(imap_nstring(std::nullopt), "NIL");
    EXPECT_EQ(imap_nstring("NIL"), R"("NIL")");
}

// Found by tests/fuzz/mime_fuzz: RFC 3501 CHAR8 excludes NUL, so a NUL may not reach a client
// inside a literal either; it is sent as U+FFFD and the literal's length counts that.
TEST(ImapString, NulBecomesReplacementCharacter) {
    using namespace std::string_literals;
    EXPECT_EQ(
        imap_string("a\0b"s),
        "{5}\r\na\xEF\xBF\xBD"
        "b"
    );
    EXPECT_EQ(imap_string("\0\0"s), "{6}\r\n\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(imap_nstring("x\r\n\0"s), "{6}\r\nx\r\n\xEF\xBF\xBD");
}

// ---------------------------------------------------------------------------------------------
// BODY[HEADER.FIELDS (...)] and HEADER.FIELDS.NOT.

TEST(HeaderFields, KeepsFoldedLinesAndEndsWithBlankLine) {
    const std::string header =
        crlf("Subject: one\n two\nFrom: a@example.com\nX-Spam: yes\nsubject: again\n\n");
    EXPECT_EQ(
        header_fields(header, {"SUBJECT"}, false), crlf("Subject: one\n two\nsubject: again\n\n")
    );
    EXPECT_EQ(header_fields(header, {"subject", "x-spam"}, true), crlf("From: a@example.com\n\n"));
    EXPECT_EQ(header_fields(header, {"Missing"}, false), "\r\n");
    EXPECT_EQ(
        header_fields("Subject: last line without end", {"Subject"}, false),
        "Subject: last line without end\r\n\r\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Date: header.

TEST(Date, ParsesRfc5322AndObsoleteForms) {
    EXPECT_EQ(parse_date("Tue, 2 Jan 2024 09:30:00 +0900"), 1704155400);
    EXPECT_EQ(parse_date("2 Jan 2024 00:30 GMT"), 1704155400);
    EXPECT_EQ(parse_date("Mon, 1 Jan 24 19:30:00 EST (comment)"), 1704155400);
    EXPECT_EQ(parse_date(" 1 Jan 1970 00:00:00 -0000"), 0);
    EXPECT_EQ(parse_date("yesterday"), std::nullopt);
    EXPECT_EQ(parse_date("32 Jan 2024 00:00:00 +0000"), std::nullopt);
    EXPECT_EQ(parse_date(""), std::nullopt);
}

// RFC 3501 SENTON: the day as written, whatever the time and zone (19723 is 2024-01-01).
TEST(Date, ReadsTheDayAsWritten) {
    EXPECT_EQ(parse_date_as_written("Mon, 1 Jan 2024 23:30:00 -0500"), 19723);
    EXPECT_EQ(parse_date_as_written("1 Jan 2024 01:00 +0900"), 19723);
    EXPECT_EQ(parse_date_as_written("1 jan 24"), 19723);
    EXPECT_EQ(parse_date_as_written("yesterday"), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// The cached section list.

TEST(Parts, SerializedFormIsCompactText) {
    const ParsedMessage parsed = parse(kForward);
    const std::string text = serialize_parts(parsed.parts);
    EXPECT_EQ(
        text.substr(0, text.find('\n') + 1), "- 0 " +
                                                 std::to_string(kForward.find("\r\n\r\n") + 4) +
                                                 " " + std::to_string(kForward.size()) + "\n"
    );
    EXPECT_NE(text.find("\n2 "), std::string::npos);
    const PartSpan* inner = find_part(parsed.parts, "2");
    ASSERT_NE(inner, nullptr);
    EXPECT_TRUE(inner->is_message);
    EXPECT_EQ(find_part(parsed.parts, "9"), nullptr);
}

TEST(Parts, MalformedSerializedFormIsRejected) {
    for (const std::string_view bad : {
             "",
             "- 0 10 20",                 // no final line end
             "1 0 10 20\n",               // does not start with the whole message
             "- 0 10 20\n- 0 10 20\n",    // two whole messages
             "- 0 10\n",                  // too few offsets
             "- 0 10 20 15 1\n",          // too many
             "- 20 10 30\n",              // header after body
             "- 0 10 20\n1 0 10 30 5\n",  // message body before its part body
             "- 0 10 20\n01 0 10 20\n",   // leading zero
             "- 0 10 20\n1..2 0 10 20\n",
             "- 0 10 20\n1 0 +10 20\n",
             "- 0 10 20\n1 0 10 99999999999999999999999\n",
             "- 0 10 20\n\n",
             "- 0  10 20\n",
         }) {
        EXPECT_EQ(deserialize_parts(bad), std::nullopt) << bad;
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input.

std::string nested_multiparts(std::size_t depth) {
    std::string raw;
    for (std::size_t i = 0; i < depth; ++i) {
        raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
               std::to_string(i) + "\r\n";
    }
    return raw + "\r\nbottom\r\n";
}

TEST(Hostile, DeepMultipartBombIsCutAtTheDepthLimit) {
    const std::string raw = nested_multiparts(1000);
    const auto start = std::chrono::steady_clock::now();
    const ParsedMessage parsed = parse(raw);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_EQ(parsed.parts.size(), 33U);  // the whole message, then sections 1, 1.1, ... 32 deep
    EXPECT_NE(parsed.body_structure.find(R"("APPLICATION" "OCTET-STREAM")"), std::string::npos);
    EXPECT_EQ(deserialize_parts(serialize_parts(parsed.parts)), parsed.parts);
}

TEST(Hostile, DeepMessageBombIsCutAtTheDepthLimit) {
    std::string raw;
    for (int i = 0; i < 1000; ++i) {
        raw += "Content-Type: message/rfc822\r\n\r\n";
    }
    const ParsedMessage parsed = parse(raw + "Subject: bottom\r\n\r\nx\r\n");
    // The whole message, its body as "1", then 32 nested messages down to "1.1. ... .1".
    EXPECT_EQ(parsed.parts.size(), 34U);
    EXPECT_EQ(parsed.parts.back().section.size(), 2 * 33 - 1);
    EXPECT_FALSE(parsed.parts.back().is_message);
}

TEST(Hostile, WideMultipartIsCutAtTheEntityLimit) {
    std::string raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
    for (int i = 0; i < 50000; ++i) {
        raw += "--b\r\n\r\nx\r\n";
    }
    const auto start = std::chrono::steady_clock::now();
    const ParsedMessage parsed = parse(raw);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_LE(parsed.parts.size(), 10001U);
}

TEST(Hostile, RandomBytesNeverBreakTheOffsets) {
    std::mt19937 random(20240102);
    const std::vector<std::string> seeds = {kSimple, kAttachment, kNested, kForward, kLfOnly};
    for (int round = 0; round < 2000; ++round) {
        std::string raw = seeds[static_cast<std::size_t>(round) % seeds.size()];
        std::uniform_int_distribution<std::size_t> position(0, raw.size() - 1);
        std::uniform_int_distribution<int> byte(0, 255);
        for (int edits = 0; edits < 8; ++edits) {
            raw[position(random)] = static_cast<char>(byte(random));
        }
        raw.resize(position(random));
        const ParsedMessage parsed = parse(raw);
        for (const PartSpan& part : parsed.parts) {
            ASSERT_LE(part.header_begin, part.body_begin);
            ASSERT_LE(part.body_begin, part.body_end);
            ASSERT_LE(part.body_end, raw.size());
        }
        ASSERT_EQ(deserialize_parts(serialize_parts(parsed.parts)), parsed.parts);
    }
}

}  // namespace
}  // namespace govmail::mime
