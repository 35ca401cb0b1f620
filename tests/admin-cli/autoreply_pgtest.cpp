// mailadm autoreply set|show|off: what is stored, what is shown, what is refused, what is
// audited; and that a changed away text is news to senders who had the previous one.

#include <gtest/gtest.h>

#include "tests/admin-cli/own_database_test.hpp"

namespace govmail::test {
namespace {

using nlohmann::json;

class AutoreplyCommandsTest : public OwnDatabaseTest {
protected:
    AutoreplyCommandsTest() {
        const auto created = mailadm({"account", "create", kAccount, "--service"});
        EXPECT_EQ(created.exit_code, 0) << created.err;
    }

    std::string setting(const std::string& columns) {
        return sql(
            "SELECT " + columns +
                " FROM autoreply_settings JOIN accounts USING (account_id) WHERE address = $1",
            {kAccount}
        );
    }

    static constexpr const char* kAccount = "away@localhost";
};

TEST_F(AutoreplyCommandsTest, SetShowOff) {
    const auto never = mailadm_json({"autoreply", "show", kAccount});
    EXPECT_EQ(never["enabled"], false);
    EXPECT_EQ(never["days"], 7);

    const auto set = mailadm_json(
        {"autoreply", "set", kAccount, "--subject", "부재중 안내", "--body",
         "3월 20일까지 휴가입니다.\nBack on 21 March.", "--start", "2026-03-01", "--end",
         "2026-03-20", "--scope", "organisation", "--days", "3"}
    );
    EXPECT_EQ(set["enabled"], true);
    EXPECT_EQ(
        sql_rows(
            "SELECT 1 FROM autoreply_settings JOIN accounts USING (account_id)"
            " WHERE address = $1 AND enabled AND subject = '부재중 안내'"
            " AND body = E'3월 20일까지 휴가입니다.\\nBack on 21 March.'"
            " AND starts_on = '2026-03-01' AND ends_on = '2026-03-20'"
            " AND scope = 'organisation' AND period_days = 3",
            {kAccount}
        ),
        1
    );

    const auto shown = mailadm_json({"autoreply", "show", kAccount});
    EXPECT_EQ(shown["subject"], "부재중 안내");
    EXPECT_EQ(shown["body"], "3월 20일까지 휴가입니다.\nBack on 21 March.");
    EXPECT_EQ(shown["start"], "2026-03-01");
    EXPECT_EQ(shown["end"], "2026-03-20");
    EXPECT_EQ(shown["scope"], "organisation");
    EXPECT_EQ(shown["days"], 3);
    const auto human = mailadm({"autoreply", "show", kAccount});
    EXPECT_EQ(human.exit_code, 0);
    EXPECT_NE(human.out.find("2026-03-01 to 2026-03-20"), std::string::npos) << human.out;

    // A second set replaces everything: no dates, every sender, the default period.
    mailadm_json({"autoreply", "set", kAccount, "--body", "Away."});
    EXPECT_EQ(
        setting("subject || '|' || coalesce(starts_on::text, '-') || '|' ||"
                " coalesce(ends_on::text, '-') || '|' || scope || '|' || period_days"),
        "|-|-|all|7"
    );

    const auto off = mailadm_json({"autoreply", "off", kAccount});
    EXPECT_EQ(off["enabled"], false);
    EXPECT_EQ(setting("enabled::text || ' ' || body"), "false Away.");
    EXPECT_EQ(mailadm({"autoreply", "off", kAccount}).exit_code, 1);  // off already

    const auto audit = mailadm_json({"audit", "show", "--account", kAccount});
    int sets = 0;
    int offs = 0;
    for (const auto& entry : audit) {
        sets += entry["action"] == "autoreply.set" ? 1 : 0;
        offs += entry["action"] == "autoreply.off" ? 1 : 0;
    }
    EXPECT_EQ(sets, 2);
    EXPECT_EQ(offs, 1);
}

TEST_F(AutoreplyCommandsTest, BodyFileInCp949) {
    const auto file = to_cp949(write_file("away.txt", "휴가 중입니다.\n급한 일은 총무과로.\n"));
    mailadm_json({"autoreply", "set", kAccount, "--body-file", file.string()});
    EXPECT_EQ(setting("body"), "휴가 중입니다.\n급한 일은 총무과로.\n");
}

TEST_F(AutoreplyCommandsTest, BadInputIsRefusedAndNothingStored) {
    struct Case {
        std::vector<std::string> args;
        int exit_code;
    };
    const std::vector<Case> cases{
        {{"--subject", "x"}, 2},  // no body
        {{"--body", "a", "--body-file", "f"}, 2},
        {{"--body", "a", "--start", "2026-02-30"}, 2},
        {{"--body", "a", "--start", "2026-3-1"}, 2},
        {{"--body", "a", "--end", "tomorrow"}, 2},
        {{"--body", "a", "--start", "2026-03-02", "--end", "2026-03-01"}, 2},
        {{"--body", "a", "--scope", "friends"}, 2},
        {{"--body", "a", "--days", "0"}, 2},
        {{"--body", "a", "--days", "366"}, 2},
        {{"--body", "a", "--subject", "two\nlines"}, 2},
        {{"--body", "a", "--subject", std::string(251, 'x')}, 2},
        {{"--body", " \n "}, 2},
        {{"--body", "bell\x07"}, 2},
        {{"--body", "\xff\xfe"}, 2},
        {{"--body-file", "/nonexistent/away.txt"}, 2},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args{"autoreply", "set", kAccount};
        args.insert(args.end(), c.args.begin(), c.args.end());
        const auto run = mailadm(args);
        EXPECT_EQ(run.exit_code, c.exit_code) << c.args.back() << ": " << run.err;
        EXPECT_FALSE(run.err.empty());
    }
    EXPECT_EQ(sql_rows("SELECT 1 FROM autoreply_settings"), 0);
    EXPECT_EQ(mailadm({"autoreply", "set", "nobody@localhost", "--body", "a"}).exit_code, 1);
    EXPECT_EQ(mailadm({"autoreply", "show", "nobody@localhost"}).exit_code, 1);
    EXPECT_EQ(mailadm({"autoreply", "off", "nobody@localhost"}).exit_code, 1);
}

TEST_F(AutoreplyCommandsTest, ChangedTextResetsWhoWasAnswered) {
    mailadm_json({"autoreply", "set", kAccount, "--body", "First."});
    const auto log = [&] {
        return sql_rows(
            "SELECT 1 FROM autoreply_log JOIN accounts USING (account_id) WHERE address = $1",
            {kAccount}
        );
    };
    const auto answered = [&] {
        sql("INSERT INTO autoreply_log (account_id, sender)"
            " SELECT account_id, 'bob@remote.test' FROM accounts WHERE address = $1",
            {kAccount});
    };
    answered();
    mailadm_json({"autoreply", "set", kAccount, "--body", "First.", "--days", "2"});
    EXPECT_EQ(log(), 1);  // same text: still answered
    mailadm_json({"autoreply", "set", kAccount, "--body", "Second."});
    EXPECT_EQ(log(), 0);  // a new text is news
    answered();
    mailadm_json({"autoreply", "off", kAccount});
    EXPECT_EQ(log(), 1);
    mailadm_json({"autoreply", "set", kAccount, "--body", "Second."});
    EXPECT_EQ(log(), 0);  // away again

    // Retirement switches on the retiree text: senders answered before get it too.
    answered();
    EXPECT_EQ(mailadm({"account", "retire", kAccount}).exit_code, 0);
    EXPECT_EQ(log(), 0);
}

}  // namespace
}  // namespace govmail::test
