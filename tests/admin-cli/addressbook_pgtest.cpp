// mailadm addressbook add|import-directory|export: entries stored per account, the
// directory's people imported, and a CSV Python's csv module reads back with the right
// columns and Korean names (UTF-8 with BOM, RFC 4180 quoting, CRLF).

#include <gtest/gtest.h>

#include "tests/admin-cli/own_database_test.hpp"

namespace govmail::test {
namespace {

using nlohmann::json;

constexpr const char* kReadCsv = R"py(
import csv, json, sys
raw = open(sys.argv[1], 'rb').read()
assert raw.startswith(b'\xef\xbb\xbf'), 'no BOM'
assert b'\n' not in raw.replace(b'\r\n', b''), 'bare LF outside quotes'
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    print(json.dumps(list(csv.reader(f))))
)py";

class AddressBookCommandsTest : public OwnDatabaseTest {
protected:
    AddressBookCommandsTest() {
        const auto created = mailadm({"account", "create", kAccount, "--service"});
        EXPECT_EQ(created.exit_code, 0) << created.err;
    }

    json read_csv(const std::filesystem::path& file) {
        const auto script = write_file("read.py", kReadCsv);
        const auto run = run_process({"python3", script.string(), file.string()}, "", dir_);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return json::parse(run.out);
    }

    static constexpr const char* kAccount = "book@localhost";
};

TEST_F(AddressBookCommandsTest, AddImportAndExport) {
    mailadm_json(
        {"addressbook", "add", kAccount, "--name", "김민수", "--email", "minsu@example.kr",
         "--organisation", "행정안전부, \"디지털\"정부국", "--mobile-phone", "+82 10-1234-5678"}
    );
    mailadm_json(
        {"addressbook", "add", kAccount, "--name", "=HYPERLINK(\"x\")", "--email", "f@x.kr"}
    );
    // The directory: one person with an active account, one retired.
    sql("INSERT INTO directory_people (employee_no, name, org_unit, office_phone)"
        " VALUES ('1001', '이서연', '기획조정실', '02-2100-1234'), ('1002', '박지훈', '총무과', "
        "NULL)");
    sql("UPDATE directory_people SET retired = true WHERE employee_no = '1002'");
    sql("INSERT INTO accounts (address, employee_no) VALUES ('seoyeon@localhost', '1001'),"
        " ('jihun@localhost', '1002')");
    EXPECT_EQ(mailadm_json({"addressbook", "import-directory", kAccount})["imported"], 1);
    // A second import replaces, never duplicates.
    EXPECT_EQ(mailadm_json({"addressbook", "import-directory", kAccount})["imported"], 1);

    const auto file = dir_ / "book.csv";
    EXPECT_EQ(
        mailadm_json({"addressbook", "export", kAccount, "--output", file.string()})["entries"], 3
    );
    const auto rows = read_csv(file);
    ASSERT_EQ(rows.size(), 4U);
    EXPECT_EQ(
        rows[0], json({"Name", "E-mail", "Organisation", "Office phone", "Mobile phone", "Source"})
    );
    EXPECT_EQ(rows[1], json({"'=HYPERLINK(\"x\")", "f@x.kr", "", "", "", "user"}));
    EXPECT_EQ(
        rows[2], json(
                     {"김민수", "minsu@example.kr", "행정안전부, \"디지털\"정부국", "",
                      "+82 10-1234-5678", "user"}
                 )
    );
    EXPECT_EQ(
        rows[3],
        json({"이서연", "seoyeon@localhost", "기획조정실", "02-2100-1234", "", "directory"})
    );
    EXPECT_EQ(sql_rows("SELECT 1 FROM audit_log WHERE action LIKE 'addressbook.%'"), 5);
}

TEST_F(AddressBookCommandsTest, BadInputAndLockedAccounts) {
    EXPECT_EQ(
        mailadm({"addressbook", "add", kAccount, "--name", "x", "--email", "not-an-address"})
            .exit_code,
        2
    );
    EXPECT_EQ(
        mailadm({"addressbook", "add", kAccount, "--name", "a\nb", "--email", "a@b.kr"}).exit_code,
        2
    );
    EXPECT_EQ(
        mailadm({"addressbook", "add", "nobody@localhost", "--name", "x", "--email", "a@b.kr"})
            .exit_code,
        1
    );
    sql("UPDATE accounts SET state = 'locked' WHERE address = $1", {kAccount});
    const auto file = dir_ / "locked.csv";
    EXPECT_EQ(mailadm({"addressbook", "export", kAccount, "--output", file.string()}).exit_code, 1);
    EXPECT_FALSE(std::filesystem::exists(file));
}

}  // namespace
}  // namespace govmail::test
