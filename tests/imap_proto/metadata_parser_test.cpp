// GETMETADATA and SETMETADATA (RFC 5464 sections 4.2 and 4.3) as the RFC's examples write them,
// and the entry names it forbids.

#include <gtest/gtest.h>

#include "imapd/proto/command_parser.hpp"
#include "tests/imap_proto/parse_helpers.hpp"

namespace govmail::imap {
namespace {

using test::parse;

template <class T>
T parsed(std::string_view line) {
    const auto result = parse(line);
    const auto* command = std::get_if<Command>(&result);
    EXPECT_NE(command, nullptr) << line;
    return command == nullptr ? T{} : std::get<T>(command->request);
}

TEST(MetadataParser, ReadsGetMetadataWithOptions) {
    EXPECT_EQ(
        parsed<GetMetadata>("a GETMETADATA \"\" /Shared/Comment\r\n"),
        (GetMetadata{"", {"/shared/comment"}, std::nullopt, MetadataDepth::Exact})
    );
    EXPECT_EQ(
        parsed<GetMetadata>(
            "a GETMETADATA (MAXSIZE 1024 DEPTH infinity) inbox (/private/filters /shared)\r\n"
        ),
        (GetMetadata{"INBOX", {"/private/filters", "/shared"}, 1024, MetadataDepth::All})
    );
}

TEST(MetadataParser, ReadsSetMetadataValuesAndNil) {
    EXPECT_EQ(
        parsed<SetMetadata>(
            "a SETMETADATA INBOX (/private/comment \"My comment\" /shared/x NIL)\r\n"
        ),
        (SetMetadata{"INBOX", {{"/private/comment", "My comment"}, {"/shared/x", std::nullopt}}})
    );
}

TEST(MetadataParser, RefusesForbiddenEntryNames) {
    for (const auto* line : {
             "a GETMETADATA \"\" /other/comment\r\n",
             "a GETMETADATA \"\" /private/*\r\n",
             "a GETMETADATA \"\" /private//a\r\n",
             "a GETMETADATA \"\" /private/a/\r\n",
             "a SETMETADATA \"\" (/private \"v\")\r\n",
             "a GETMETADATA (DEPTH 2) \"\" /private/a\r\n",
             "a SETMETADATA \"\" ()\r\n",
         }) {
        EXPECT_TRUE(std::holds_alternative<Error>(parse(line))) << line;
    }
}

}  // namespace
}  // namespace govmail::imap
