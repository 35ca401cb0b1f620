// mailadm signup and account create against the directory: a request is approved only when
// the person is in the directory with the same mail ID and both phones, unless forced with a
// recorded reason; approval creates the account and binds the request's certificate.

#include <gtest/gtest.h>

#include "tests/admin-cli/directory_data.hpp"
#include "tests/admin-cli/own_database_test.hpp"

namespace govmail::test {
namespace {

using nlohmann::json;

class SignupTest : public OwnDatabaseTest {
protected:
    SignupTest() {
        // Approved the day they are listed (test_directory_sync.py tests the waiting).
        configure("[signup]\nnetworks = 10.20.0.0/16, 2001:db8:20::/48\neligible_after_days = 0\n");
        staff_ = make_staff(6);
        staff_[1].office_phone.clear();
        staff_[2].mobile_phone.clear();
        const auto synced = mailadm(
            {"directory", "sync",
             write_file("staff.csv", staff_csv(staff_, Headers::Korean)).string()}
        );
        EXPECT_EQ(synced.exit_code, 0) << synced.err;
    }

    // Files a request; returns its id.
    std::string request(std::vector<std::string> args) {
        args.insert(args.begin(), {"signup", "request"});
        const auto filed = mailadm_json(args);
        return std::to_string(filed["id"].get<std::int64_t>());
    }

    // A self-signed certificate whose CN is P's certificate identity, as a PEM file.
    std::filesystem::path certificate_of(const StaffMember& p) {
        const auto pem = dir_ / "cert.pem";
        const auto run = run_process(
            {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", (dir_ / "key.pem").string(), "-out", pem.string(), "-days", "30",
             "-utf8", "-subj", "/C=KR/O=Government of Korea/OU=GPKI/CN=" + p.cert_identity,
             "-addext", "crlDistributionPoints=URI:http://crl.gpki.example/ca.crl"},
            "", dir_
        );
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return pem;
    }

    std::vector<StaffMember> staff_;
};

TEST_F(SignupTest, MailIdOtherThanTheDirectorysNeedsForceWithAReason) {
    const auto id = request({"other.id", "--employee", staff_[0].employee_no});
    const auto listed = mailadm_json({"signup", "list", "--pending"});
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["in_directory"], true);
    EXPECT_EQ(listed[0]["mail_id_matches"], false);
    EXPECT_EQ(listed[0]["office_phone"], true);
    EXPECT_EQ(listed[0]["mobile_phone"], true);
    EXPECT_EQ(listed[0]["certificate"], "none");

    const auto refused = mailadm({"signup", "approve", id});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("the directory holds another mail ID"), std::string::npos)
        << refused.err;
    EXPECT_EQ(mailadm({"signup", "approve", id, "--force"}).exit_code, 2);
    EXPECT_EQ(sql("SELECT count(*) FROM accounts"), "0");

    const auto approved =
        mailadm_json({"signup", "approve", id, "--force", "--reason", "부서장 요청"});
    EXPECT_EQ(approved["address"], "other.id@localhost");
    EXPECT_EQ(approved["employee_no"], staff_[0].employee_no);
    EXPECT_EQ(approved["unit"], staff_[0].unit);
    EXPECT_EQ(
        sql("SELECT count(*) FROM mailboxes JOIN accounts USING (account_id) WHERE address = $1",
            {"other.id@localhost"}),
        "6"
    );
    EXPECT_EQ(sql("SELECT reason FROM signup_requests WHERE request_id = $1", {id}), "부서장 요청");
    EXPECT_EQ(mailadm({"signup", "approve", id}).exit_code, 1);
    EXPECT_TRUE(mailadm_json({"signup", "list", "--pending"}).empty());
}

TEST_F(SignupTest, MissingPhonesAreRefusedAndRejectionRecordsWhy) {
    const auto no_office = request({staff_[1].mail_id, "--employee", staff_[1].employee_no});
    const auto no_mobile = request({staff_[2].mail_id, "--employee", staff_[2].employee_no});
    const auto unknown = request({"nobody", "--employee", "99999"});
    const auto listed = mailadm_json({"signup", "list"});
    ASSERT_EQ(listed.size(), 3u);
    EXPECT_EQ(listed[0]["office_phone"], false);
    EXPECT_EQ(listed[0]["mail_id_matches"], true);
    EXPECT_EQ(listed[1]["mobile_phone"], false);
    EXPECT_EQ(listed[2]["in_directory"], false);

    for (const auto& id : {no_office, no_mobile, unknown}) {
        EXPECT_EQ(mailadm({"signup", "approve", id}).exit_code, 1);
    }
    EXPECT_EQ(sql("SELECT count(*) FROM accounts"), "0");
    EXPECT_EQ(mailadm({"signup", "reject", no_mobile}).exit_code, 2);
    const auto rejected =
        mailadm_json({"signup", "reject", no_mobile, "--reason", "휴대전화 미등록"});
    EXPECT_EQ(rejected["state"], "rejected");
    EXPECT_EQ(rejected["reason"], "휴대전화 미등록");
    EXPECT_EQ(mailadm({"signup", "approve", no_mobile, "--force", "--reason", "x"}).exit_code, 1);
    EXPECT_EQ(mailadm({"signup", "approve", "424242"}).exit_code, 1);

    std::vector<std::string> actions;
    for (const auto& entry : mailadm_json({"audit", "show"})) {
        actions.push_back(entry["action"]);
    }
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "signup.request"), 3);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "signup.reject"), 1);
}

TEST_F(SignupTest, ApprovalBindsTheCertificateTheRequestCarries) {
    const auto& person = staff_[3];
    // No employee number given: the certificate's CN is the identity the directory holds.
    const auto filed = mailadm_json(
        {"signup", "request", person.mail_id, "--cert", certificate_of(person).string(), "--source",
         "10.20.3.4"}
    );
    EXPECT_EQ(filed["employee_no"], person.employee_no);
    EXPECT_EQ(filed["certificate"], "valid");
    EXPECT_EQ(filed["source"], "10.20.3.4");
    const auto id = std::to_string(filed["id"].get<std::int64_t>());
    EXPECT_EQ(mailadm({"signup", "request", person.mail_id}).exit_code, 1);  // one pending

    const auto approved = mailadm_json({"signup", "approve", id});
    EXPECT_EQ(approved["certificate_bound"], true);
    EXPECT_EQ(approved["name"], person.name);
    EXPECT_EQ(
        sql("SELECT b.issuer || ' ' || array_to_string(b.crl_urls, ',') FROM cert_bindings b"
            " JOIN accounts a USING (account_id) WHERE a.address = $1 AND b.revoked_at IS NULL",
            {person.mail_id + "@localhost"}),
        "CN=" + person.cert_identity +
            ",OU=GPKI,O=Government of Korea,C=KR http://crl.gpki.example/ca.crl"
    );
    EXPECT_EQ(
        sql("SELECT b.sha256 = r.cert_sha256 FROM cert_bindings b, signup_requests r"
            " WHERE r.request_id = $1",
            {id}),
        "t"
    );
    const auto audit = mailadm_json({"audit", "show", "--action", "signup.approve"});
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0]["account"], person.mail_id + "@localhost");
}

TEST_F(SignupTest, RequestsOnlyFromConfiguredNetworks) {
    const auto& person = staff_[4];
    const auto outside = mailadm({"signup", "request", person.mail_id, "--source", "192.0.2.1"});
    EXPECT_EQ(outside.exit_code, 1);
    EXPECT_NE(outside.err.find("signup.networks"), std::string::npos) << outside.err;
    EXPECT_EQ(mailadm({"signup", "request", person.mail_id, "--source", "not-an-ip"}).exit_code, 2);
    EXPECT_EQ(
        mailadm({"signup", "request", person.mail_id, "--source", "2001:db8:20::7"}).exit_code, 0
    );
    EXPECT_EQ(sql("SELECT count(*) FROM signup_requests"), "1");
}

TEST_F(SignupTest, AccountCreateAppliesTheSameChecks) {
    const auto complete = staff_[5].mail_id + "@localhost";
    const auto created = mailadm_json({"account", "create", complete});
    EXPECT_EQ(created["name"], staff_[5].name);
    EXPECT_EQ(created["employee_no"], staff_[5].employee_no);

    const auto no_office = staff_[1].mail_id + "@localhost";
    const auto refused = mailadm({"account", "create", no_office});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("no office phone on file"), std::string::npos) << refused.err;
    EXPECT_EQ(mailadm({"account", "create", "stranger@localhost"}).exit_code, 1);
    EXPECT_EQ(mailadm({"account", "create", "stranger@localhost", "--force"}).exit_code, 2);
    EXPECT_EQ(
        mailadm({"account", "create", "stranger@localhost", "--force", "--reason", "파견"})
            .exit_code,
        0
    );
    EXPECT_EQ(mailadm({"account", "create", "noreply@localhost", "--service"}).exit_code, 0);
    EXPECT_EQ(
        mailadm({"account", "create", no_office, "--force", "--reason", "전화 신청 중"}).exit_code,
        0
    );
    EXPECT_EQ(mailadm_json({"account", "show", no_office})["employee_no"], staff_[1].employee_no);

    const auto audit = mailadm_json({"audit", "show", "--account", "stranger@localhost"});
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_NE(audit[0]["detail"].get<std::string>().find("reason: 파견"), std::string::npos);
}

TEST_F(SignupTest, EveryNewSubcommandHasHelp) {
    for (const auto& command : std::vector<std::vector<std::string>>{
             {"directory"},
             {"directory", "sync"},
             {"directory", "show"},
             {"signup"},
             {"signup", "request"},
             {"signup", "list"},
             {"signup", "approve"},
             {"signup", "reject"},
             {"account", "retire"},
             {"account", "delete"}}) {
        auto args = command;
        args.push_back("--help");
        const auto run = mailadm(args);
        EXPECT_EQ(run.exit_code, 0) << command.back();
        EXPECT_NE(run.out.find("Usage:"), std::string::npos) << run.out;
    }
}

}  // namespace
}  // namespace govmail::test
