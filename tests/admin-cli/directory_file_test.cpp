// Reading directory exports: encodings, CSV quoting, Korean headers, LDIF, and bad rows
// reported with their line numbers.

#include "admin-cli/directory_file.hpp"

#include <gtest/gtest.h>

#include "admin-cli/csv_reader.hpp"
#include "admin-cli/ldif_reader.hpp"
#include "admin-cli/text_encoding.hpp"

namespace govmail::admin {
namespace {

// "홍길동" in CP949.
constexpr std::string_view kHongCp949 = "\xC8\xAB\xB1\xE6\xB5\xBF";

std::vector<std::size_t> error_lines(const DirectoryFile& file) {
    std::vector<std::size_t> lines;
    for (const auto& e : file.errors) {
        lines.push_back(e.line);
    }
    return lines;
}

TEST(TextEncoding, Utf8WithAndWithoutBomAndCp949) {
    EXPECT_EQ(decode_text("홍길동").encoding, "UTF-8");
    const auto bom = decode_text("\xEF\xBB\xBF홍길동");
    EXPECT_EQ(bom.encoding, "UTF-8 with BOM");
    EXPECT_EQ(bom.text, "홍길동");
    const auto cp949 = decode_text(kHongCp949);
    EXPECT_EQ(cp949.encoding, "CP949");
    EXPECT_EQ(cp949.text, "홍길동");
    const auto bad = decode_text("a\nb\n\xFF\xFF\n");
    EXPECT_TRUE(bad.encoding.empty());
    EXPECT_EQ(bad.bad_line, 3u);
}

TEST(CsvReader, QuotesLineBreaksAndErrors) {
    const auto csv = read_csv("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\r\n\"multi\nline\",x\n\"open,y\n");
    ASSERT_EQ(csv.records.size(), 2u);
    EXPECT_EQ(csv.records[0].fields, (std::vector<std::string>{"a", "b, c", "say \"hi\""}));
    EXPECT_EQ(csv.records[1].line, 3u);
    EXPECT_EQ(csv.records[1].fields, (std::vector<std::string>{"multi\nline", "x"}));
    ASSERT_EQ(csv.errors.size(), 1u);
    EXPECT_EQ(csv.errors[0].line, 5u);
    EXPECT_EQ(read_csv("\"a\"b,c\n").errors.size(), 1u);
}

TEST(LdifReader, FoldedBase64AndComments) {
    const auto ldif = read_ldif(
        "version: 1\n# comment\n#  continued comment\ndn: uid=a,o=gov\ncn:: 7ZmN6ri464+Z\n"
        "telephoneNumber: 02-\n 1234-5678\nou;lang-ko: 총무과\n\ndn: uid=b\nbad line\n\n"
        "dn: uid=c\nchangetype: delete\n"
    );
    ASSERT_EQ(ldif.entries.size(), 1u);
    EXPECT_EQ(ldif.entries[0].line, 4u);
    const std::vector<std::pair<std::string, std::string>> expected{
        {"dn", "uid=a,o=gov"},
        {"cn", "홍길동"},
        {"telephonenumber", "02-1234-5678"},
        {"ou", "총무과"}};
    EXPECT_EQ(ldif.entries[0].attributes, expected);
    ASSERT_EQ(ldif.errors.size(), 2u);
    EXPECT_EQ(ldif.errors[0].line, 11u);
    EXPECT_EQ(ldif.errors[1].line, 14u);
    EXPECT_TRUE(looks_like_ldif("# x\ndn: a\n"));
    EXPECT_FALSE(looks_like_ldif("사번,성명\n"));
}

TEST(DirectoryFile, KoreanHeadersInCp949) {
    const std::string text =
        "\xBB\xE7\xB9\xF8,\xBC\xBA\xB8\xED,\xBA\xCE\xBC\xAD\n"  // 사번,성명,부서
        "1001," +
        std::string(kHongCp949) + ",IT\n";
    const auto file = read_directory(text);
    EXPECT_EQ(file.encoding, "CP949");
    ASSERT_EQ(file.rows.size(), 1u) << (file.errors.empty() ? "" : file.errors[0].message);
    EXPECT_EQ(file.rows[0].person.name, "홍길동");
    EXPECT_EQ(file.rows[0].person.employee_no, "1001");
}

TEST(DirectoryFile, EnglishHeadersNormaliseAndIgnoreOthers) {
    const auto file = read_directory(
        "Employee No, NAME ,org-unit,Mail_ID,Mobile Phone,Fax,status\n"
        "7, 김민수 ,운영지원과, Kim.Minsu ,010-1234-5678,02-0000,퇴직\n"
    );
    ASSERT_EQ(file.rows.size(), 1u) << file.errors[0].message;
    const auto& p = file.rows[0].person;
    EXPECT_EQ(p.name, "김민수");
    EXPECT_EQ(p.mail_id, "kim.minsu");
    EXPECT_EQ(p.mobile_phone, "010-1234-5678");
    EXPECT_TRUE(p.retired);
    EXPECT_EQ(file.ignored_columns, std::vector<std::string>{"Fax"});
}

TEST(DirectoryFile, BadRowsWithTheirLines) {
    const auto file = read_directory(
        "사번,성명,부서,메일ID,휴대전화\n"
        "1,김민수,A,kim,010-1111-1111\n"
        "2,이서영,A,lee,phone\n"
        "1,박지현,A,park,\n"
        "3,최현수,A,kim,\n"
        "4,,A,,\n"
        "5 5,정수영,A,,\n"
        "6,조영준,A,a..b,\n"
        "7,윤준하\n"
    );
    EXPECT_EQ(error_lines(file), (std::vector<std::size_t>{3, 4, 5, 6, 7, 8, 9}));
    ASSERT_EQ(file.rows.size(), 1u);
    EXPECT_EQ(file.errors[1].message, "employee number 1 is also on line 2");
    EXPECT_EQ(file.errors[2].message, "mail ID kim is also on line 2");
}

TEST(DirectoryFile, LdifPeople) {
    const auto file = read_directory(
        "dn: uid=a\nobjectClass: inetOrgPerson\nemployeeNumber: 9\ncn: Kim\nou: IT\nuid: kim\n"
        "mobile: 010-1111-2222\n\ndn: uid=b\ncn: Lee\nou: IT\n"
    );
    EXPECT_EQ(file.format, "ldif");
    ASSERT_EQ(file.rows.size(), 1u);
    EXPECT_EQ(file.rows[0].person.mail_id, "kim");
    ASSERT_EQ(file.errors.size(), 1u);
    EXPECT_EQ(file.errors[0].line, 9u);
    EXPECT_EQ(file.errors[0].message, "no employee number");
}

}  // namespace
}  // namespace govmail::admin
