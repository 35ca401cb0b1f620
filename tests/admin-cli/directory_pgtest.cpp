// mailadm directory sync as an administrator runs it each morning: a few hundred officials
// exported in CP949 and UTF-8, CSV and LDIF; a second day with transfers, two retirements and
// a new hire; the same file twice; a malformed file; a mobile number a person changed in the
// portal, kept by the syncs until the organisation changes the directory's.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "storage/sms_store.hpp"
#include "tests/admin-cli/directory_data.hpp"
#include "tests/admin-cli/own_database_test.hpp"
#include "tests/support/async.hpp"

namespace govmail::test {
namespace {

using nlohmann::json;

constexpr int kStaff = 300;

class DirectorySyncTest : public OwnDatabaseTest {
protected:
    DirectorySyncTest() {
        configure(
            "[retiree]\nautoreply_subject = 퇴직 안내\nautoreply_body = "
            "퇴직했습니다.\\n감사합니다.\n"
        );
    }

    json sync(const std::filesystem::path& file, int exit_code = 0) {
        return mailadm_json({"directory", "sync", file.string()}, exit_code);
    }

    static void expect_counts(
        const json& summary, int added, int changed, int transferred, int retired, int unchanged
    ) {
        EXPECT_EQ(summary["added"], added) << summary.dump();
        EXPECT_EQ(summary["changed"], changed) << summary.dump();
        EXPECT_EQ(summary["transferred"], transferred) << summary.dump();
        EXPECT_EQ(summary["retired"], retired) << summary.dump();
        EXPECT_EQ(summary["unchanged"], unchanged) << summary.dump();
        EXPECT_EQ(summary["rejected"], 0) << summary.dump();
    }

    std::string live_trusts() {
        return sql("SELECT count(*) FROM sms_trusts WHERE expires_at > now()");
    }

    std::string create_account(const StaffMember& p) {
        const auto address = p.mail_id + "@localhost";
        const auto run = mailadm({"account", "create", address});
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return address;
    }
};

TEST_F(DirectorySyncTest, DailySyncsApplyOnceAndAccountsFollowTheDirectory) {
    auto staff = make_staff(kStaff);
    const auto day1 = to_cp949(write_file("day1.csv", staff_csv(staff, Headers::Korean)));
    const auto first = sync(day1);
    EXPECT_EQ(first["encoding"], "CP949");
    EXPECT_EQ(first["format"], "csv");
    EXPECT_EQ(first["rows"], kStaff);
    EXPECT_EQ(first["ignored_columns"], json::array({"비고"}));
    expect_counts(first, kStaff, 0, 0, 0, 0);
    expect_counts(sync(day1), 0, 0, 0, 0, kStaff);
    // The same export saved as UTF-8 with a BOM says the same.
    const auto bom =
        write_file("day1-utf8.csv", "\xEF\xBB\xBF" + staff_csv(staff, Headers::Korean));
    const auto again = sync(bom);
    EXPECT_EQ(again["encoding"], "UTF-8 with BOM");
    expect_counts(again, 0, 0, 0, 0, kStaff);

    const auto shown = mailadm_json({"directory", "show", staff[4].employee_no});
    EXPECT_EQ(shown["name"], staff[4].name);
    EXPECT_EQ(shown["position"], "팀장, 주무관");
    EXPECT_EQ(shown["unit"], staff[4].unit);

    std::vector<std::string> addresses;
    for (int i = 0; i < 5; ++i) {
        addresses.push_back(create_account(staff[static_cast<std::size_t>(i)]));
    }
    // Retirees' certificate bindings are revoked.
    sql("INSERT INTO cert_bindings (account_id, issuer, serial, sha256)"
        " SELECT account_id, 'CN=GPKI', '01', '\\x00'::bytea FROM accounts WHERE address = $1",
        {addresses[3]});

    // Day two: three transfers (0, 1, 2), two retirements (3, 4), one new hire.
    const std::array<std::string, 3> new_units{"감사관실", "정보화담당관", "운영지원과 총무팀"};
    for (std::size_t i = 0; i < new_units.size(); ++i) {
        staff[i].unit = new_units[i];
    }
    staff[1].position = "서기관";
    auto day2_staff = staff;
    day2_staff.erase(day2_staff.begin() + 3, day2_staff.begin() + 5);
    const auto hire = staff_member(kStaff);
    day2_staff.push_back(hire);
    const auto day2 = write_file("day2.ldif", staff_ldif(day2_staff));
    const auto second = sync(day2);
    EXPECT_EQ(second["format"], "ldif");
    EXPECT_EQ(second["encoding"], "UTF-8");
    expect_counts(second, 1, 0, 3, 2, kStaff - 5);
    EXPECT_EQ(second["retired_accounts"], json({addresses[3], addresses[4]}));

    // Running day two again, as CSV with English headers, changes nothing.
    expect_counts(
        sync(write_file("day2.csv", staff_csv(day2_staff, Headers::English))), 0, 0, 0, 0,
        kStaff - 1
    );
    expect_counts(sync(day2), 0, 0, 0, 0, kStaff - 1);

    for (std::size_t i = 0; i < new_units.size(); ++i) {
        const auto account = mailadm_json({"account", "show", addresses[i]});
        EXPECT_EQ(account["unit"], new_units[i]);
        EXPECT_EQ(account["name"], staff[i].name);
        EXPECT_EQ(account["state"], "active");
    }
    const auto moved = mailadm_json({"account", "list", "--unit", "감사관실", "--state", "active"});
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_EQ(moved[0]["address"], addresses[0]);
    for (std::size_t i = 3; i < 5; ++i) {
        EXPECT_EQ(mailadm_json({"account", "show", addresses[i]})["state"], "retired");
        EXPECT_EQ(mailadm_json({"directory", "show", staff[i].employee_no})["status"], "retired");
        EXPECT_EQ(
            sql("SELECT enabled::text || subject || body FROM autoreply_settings JOIN accounts"
                " USING (account_id) WHERE address = $1",
                {addresses[i]}),
            "true퇴직 안내퇴직했습니다.\n감사합니다."
        );
    }
    EXPECT_EQ(sql("SELECT count(*) FROM cert_bindings WHERE revoked_at IS NULL"), "0");
    EXPECT_EQ(mailadm_json({"directory", "show", hire.employee_no})["mail_id"], hire.mail_id);

    const auto syncs = mailadm_json({"audit", "show", "--action", "directory.sync"});
    EXPECT_EQ(syncs.size(), 6u);
    const auto retirements = mailadm_json({"audit", "show", "--action", "account.retire"});
    ASSERT_EQ(retirements.size(), 2u);
    EXPECT_EQ(retirements[0]["detail"], "left the directory");
}

TEST_F(DirectorySyncTest, MalformedFileReportsItsBadLinesAndAppliesNothing) {
    const auto staff = make_staff(20);
    sync(write_file("day1.csv", staff_csv(staff, Headers::English)));

    const std::string bad =
        "employee_no,name,org_unit,mobile_phone,mail_id,status\n"    // 1
        "30001,김민수,운영지원과,010-1111-2222,kim.m,\n"             // 2
        "30002,이서영,운영지원과,전화없음,lee.s,\n"                  // 3: not a phone number
        "\n"                                                         // 4: blank, skipped
        "30003,,운영지원과,010-1111-2223,park.j,\n"                  // 5: no name
        "30004,최지현,운영지원과,010-1111-2224\n"                    // 6: too few fields
        "30005,정현수,\"감사관실, 감사팀\",010-1111-2225,jung.h,\n"  // 7: fine (quoted comma)
        "30001,강수영,운영지원과,010-1111-2226,kang.s,\n"            // 8: employee number again
        "30006,조영준,운영지원과,010-1111-2227,조영준@korea.kr,\n"   // 9: not a mail ID
        "30007,윤준하,운영지원과,010-1111-2228,yoon.j,휴직\n"        // 10: unknown status
        "30008,장하윤,운영지원과,010-1111-2229,kim.m,\n"             // 11: mail ID of line 2
        "30009,\"임윤도,운영지원과,010-1111-2230,lim.y,\n";          // 12: quote never closed
    const auto reported = sync(to_cp949(write_file("bad.csv", bad)), 1);
    std::vector<int> lines;
    for (const auto& row : reported) {
        lines.push_back(row["line"]);
    }
    EXPECT_EQ(lines, (std::vector<int>{3, 5, 6, 8, 9, 10, 11, 12})) << reported.dump(2);
    EXPECT_EQ(reported[0]["problem"], "'전화없음' is not a phone number");

    EXPECT_EQ(sql("SELECT count(*) FROM directory_people"), "20");
    EXPECT_EQ(sql("SELECT count(*) FROM directory_people WHERE retired"), "0");

    const auto text = mailadm({"directory", "sync", write_file("bad2.csv", bad).string()});
    EXPECT_EQ(text.exit_code, 1);
    EXPECT_NE(text.err.find("8 bad row(s)"), std::string::npos) << text.err;
    EXPECT_NE(text.out.find("employee number 30001 is also on line 2"), std::string::npos)
        << text.out;

    const auto garbage = sync(write_file("garbage.csv", "employee_no,name\n\xFF\xFE\xFF\n"), 1);
    EXPECT_EQ(garbage[0]["line"], 2);
    const auto empty = sync(write_file("empty.csv", "사번,성명,부서\n"), 1);
    EXPECT_NE(empty["error"].get<std::string>().find("no people"), std::string::npos);
    const auto no_unit = sync(write_file("no-unit.csv", "사번,성명\n1,김민수\n"), 1);
    EXPECT_EQ(no_unit[0]["problem"], "no org_unit column");
    EXPECT_EQ(sql("SELECT count(*) FROM directory_people"), "20");
}

TEST_F(DirectorySyncTest, MailIdOfSomeoneWhoLeftIsNotHandedOut) {
    auto staff = make_staff(3);
    sync(write_file("day1.csv", staff_csv(staff, Headers::English)));
    staff.erase(staff.begin());
    sync(write_file("day2.csv", staff_csv(staff, Headers::English)));
    auto newcomer = staff_member(10);
    newcomer.mail_id = make_staff(1)[0].mail_id;
    staff.push_back(newcomer);
    const auto refused = sync(write_file("day3.csv", staff_csv(staff, Headers::English)), 1);
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0]["line"], 4);
    EXPECT_EQ(sql("SELECT count(*) FROM directory_people"), "3");
}

// What the portal and the SMS sign-in do with a person's number, on the test's database.
class SmsSide {
public:
    explicit SmsSide(const std::string& dsn)
        : pool_(ioc_.get_executor(), storage::PoolOptions{dsn, 2, std::chrono::seconds(30)}),
          sms_(pool_) {}

    void set_mobile(storage::AccountId account, const std::string& number) {
        EXPECT_TRUE(run(ioc_, sms_.set_mobile_phone(account, number)));
    }

    std::string number_in_use(storage::AccountId account) {
        const auto recipient = run(ioc_, sms_.recipient(account));
        EXPECT_TRUE(recipient);
        return recipient ? recipient->mobile_phone.value_or("") : "";
    }

    // A code sent to the number in use and redeemed: the credential CREDENTIAL is trusted.
    void trust(storage::AccountId account, const std::string& credential) {
        const storage::CodeUse use{storage::CodePurpose::Login, number_in_use(account)};
        const auto issued =
            run(ioc_,
                sms_.issue_code(account, use, "salt", "digest", std::chrono::minutes(5), 3, 10));
        EXPECT_TRUE(issued && *issued == storage::CodeIssue::Issued);
        const std::function<bool(const storage::PendingCode&)> matches =
            [](const storage::PendingCode&) { return true; };
        const auto redeemed =
            run(ioc_,
                sms_.redeem_code(
                    account, use, 3, matches,
                    storage::NewTrust{credential, use.number, "192.0.2.1", std::chrono::hours(12)}
                ));
        EXPECT_TRUE(redeemed && redeemed->outcome == storage::CodeRedemption::Redeemed);
    }

    // Whether CREDENTIAL is still trusted for the number in use.
    bool trusted(storage::AccountId account, const std::string& credential) {
        const auto state =
            run(ioc_, sms_.use_trust(account, credential, number_in_use(account), "192.0.2.1"));
        EXPECT_TRUE(state);
        return state && *state == storage::TrustState::Active;
    }

private:
    boost::asio::io_context ioc_;
    storage::Pool pool_;
    storage::SmsStore sms_;
};

TEST_F(DirectorySyncTest, AMobileNumberSetInThePortalLastsUntilTheDirectorysChanges) {
    auto staff = make_staff(3);
    sync(write_file("day1.csv", staff_csv(staff, Headers::English)));
    const auto address = create_account(staff[0]);
    const auto account =
        std::stoll(sql("SELECT account_id FROM accounts WHERE address = $1", {address}));
    SmsSide sms(dsn_);
    const std::string credential(32, 'c');
    sms.trust(account, credential);
    ASSERT_TRUE(sms.trusted(account, credential));

    sms.set_mobile(account, "01077770001");
    EXPECT_EQ(sms.number_in_use(account), "01077770001");
    EXPECT_EQ(live_trusts(), "0");  // a new number ends every trust
    sms.trust(account, credential);

    // The same export the next day, and one that transfers the person with the same
    // directory number: the person's own number stays in use, and so does the trust.
    const auto same = sync(write_file("day2.csv", staff_csv(staff, Headers::English)));
    expect_counts(same, 0, 0, 0, 0, 3);
    EXPECT_EQ(same["user_mobiles_ended"], 0);
    staff[0].unit = "감사관실";
    const auto transfer = sync(write_file("day3.csv", staff_csv(staff, Headers::English)));
    expect_counts(transfer, 0, 0, 1, 0, 2);
    EXPECT_EQ(transfer["user_mobile_ended_accounts"], json::array());
    EXPECT_EQ(sms.number_in_use(account), "01077770001");
    EXPECT_TRUE(sms.trusted(account, credential));
    EXPECT_EQ(live_trusts(), "1");
    auto shown = mailadm_json({"directory", "show", staff[0].employee_no});
    EXPECT_EQ(shown["mobile_phone"], staff[0].mobile_phone);
    EXPECT_EQ(shown["user_mobile_phone"], "01077770001");
    EXPECT_EQ(shown["mobile_phone_in_use"], "01077770001");

    // The organisation changes the directory's number: it wins, the trust ends.
    staff[0].mobile_phone = "010-5555-0001";
    const auto changed_file = write_file("day4.csv", staff_csv(staff, Headers::English));
    const auto dry = mailadm_json({"directory", "sync", "--dry-run", changed_file.string()});
    EXPECT_EQ(dry["user_mobiles_ended"], 1);
    EXPECT_EQ(sms.number_in_use(account), "01077770001");
    const auto changed = sync(changed_file);
    expect_counts(changed, 0, 1, 0, 0, 2);
    EXPECT_EQ(changed["user_mobile_ended_accounts"], json::array({address}));
    EXPECT_EQ(sms.number_in_use(account), "010-5555-0001");
    EXPECT_EQ(live_trusts(), "0");
    shown = mailadm_json({"directory", "show", staff[0].employee_no});
    EXPECT_EQ(shown["mobile_phone"], "010-5555-0001");
    EXPECT_EQ(shown["user_mobile_phone"], nullptr);
    EXPECT_EQ(shown["mobile_phone_in_use"], "010-5555-0001");
    const auto resets = mailadm_json({"audit", "show", "--action", "mobile.reset"});
    ASSERT_EQ(resets.size(), 1u);
    EXPECT_EQ(resets[0]["account"], address);

    // A number set in the portal again is kept by the next sync of the same export.
    sms.set_mobile(account, "01077770002");
    expect_counts(sync(changed_file), 0, 0, 0, 0, 3);
    EXPECT_EQ(sms.number_in_use(account), "01077770002");
}

TEST_F(DirectorySyncTest, DryRunReportsWithoutChanging) {
    const auto file = write_file("day1.csv", staff_csv(make_staff(10), Headers::Korean));
    const auto dry = mailadm_json({"directory", "sync", "--dry-run", file.string()});
    EXPECT_EQ(dry["added"], 10);
    EXPECT_EQ(dry["applied"], false);
    EXPECT_EQ(sql("SELECT count(*) FROM directory_people"), "0");
}

}  // namespace
}  // namespace govmail::test
