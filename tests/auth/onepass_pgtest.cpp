// The OnePass sign-in against a database of its own (the directory is organisation-wide): the
// response of a request this SP issued names the directory person, whose account the
// Authenticator then logs in (Method::OnePass, audited); a replayed assertion, a response to no
// request (or to one already answered), an unknown person and a retired one without an account
// are refused; the Authenticator refuses an inactive account and a retired person's; a person
// without an account goes to signup.

#include <boost/asio/io_context.hpp>
#include <thread>

#include "auth/database_authenticator.hpp"
#include "auth/saml/onepass_signin.hpp"
#include "tests/admin-cli/directory_data.hpp"
#include "tests/admin-cli/own_database_test.hpp"
#include "tests/auth/saml_idp_client.hpp"
#include "tests/support/async.hpp"

namespace govmail::test {
namespace {

using auth::saml::OnePassSignIn;
using auth::saml::SamlRefusal;
using auth::saml::SignInOutcome;
using auth::saml::SignInRefusal;

const std::string kIdp = "https://onepass.example.go.kr/idp";
const std::string kSp = "https://mail.example.go.kr/portal/saml";
const std::string kAcs = "https://mail.example.go.kr/portal/saml/acs";

class OnePassTest : public OwnDatabaseTest {
protected:
    OnePassTest()
        : pool_(ioc_.get_executor(), storage::PoolOptions{dsn_, 2, std::chrono::seconds(30)}) {
        configure("[signup]\neligible_after_days = 0\n");  // approved the day they are listed
        staff_ = make_staff(4);
        sync(staff_);
        const auto filed = mailadm_json(
            {"signup", "request", staff_[0].mail_id, "--employee", staff_[0].employee_no}
        );
        mailadm_json({"signup", "approve", std::to_string(filed["id"].get<std::int64_t>())});
        make_idp_keys(dir_ / "idp");
        config_.idp_entity_id = kIdp;
        config_.sso_url = "https://onepass.example.go.kr/sso";
        config_.idp_certificate = dir_ / "idp" / "idp.pem";
        config_.sp_entity_id = kSp;
        config_.acs_url = kAcs;
    }

    void sync(const std::vector<StaffMember>& staff) {
        const auto synced = mailadm(
            {"directory", "sync",
             write_file("staff.csv", staff_csv(staff, Headers::English)).string()}
        );
        ASSERT_EQ(synced.exit_code, 0) << synced.err;
    }

    // A request issued by the SP: its ID.
    std::string start() {
        auto redirect = run(OnePassSignIn(config_, pool_).start("/", std::time(nullptr)));
        EXPECT_TRUE(redirect) << redirect.error().message();
        return redirect->request_id;
    }

    std::string response(
        const std::string& request_id,
        const std::string& user_key,
        const std::string& variant = "good"
    ) {
        return idp_response(
            dir_ / "idp", {variant, kAcs, kSp, kIdp, request_id, user_key, std::time(nullptr)}
        );
    }

    SignInOutcome finish(const std::string& field) {
        auto outcome = run(OnePassSignIn(config_, pool_).finish(field, std::time(nullptr)));
        if (!outcome) {
            ADD_FAILURE() << outcome.error().message();
            return {};
        }
        return *outcome;
    }

    // The Authenticator's answer to the OnePass sign-in of OUTCOME's person.
    auth::LoginResult sign_in(const SignInOutcome& outcome) {
        auth::DatabaseAuthenticator authenticator(pool_, AuthConfig{});
        auth::LoginAttempt attempt;
        attempt.method = auth::Method::OnePass;
        attempt.user = outcome.person.employee_no;
        attempt.source = boost::asio::ip::make_address("192.0.2.10");
        attempt.service = auth::Service::Portal;
        return run(authenticator.login(attempt));
    }

    template <class T>
    T run(boost::asio::awaitable<T> task) {
        return test::run(ioc_, std::move(task));
    }

    boost::asio::io_context ioc_;
    storage::Pool pool_;
    OnePassConfig config_;
    std::vector<StaffMember> staff_;
};

TEST_F(OnePassTest, AnAnswerToOurRequestSignsInThePersonsAccountOnce) {
    const auto request = start();
    const auto field = response(request, staff_[0].employee_no);
    const auto outcome = finish(field);
    EXPECT_FALSE(outcome.refusal);
    EXPECT_EQ(outcome.request_id, request);  // the portal matches it to the browser's cookie
    EXPECT_EQ(outcome.person.employee_no, staff_[0].employee_no);
    EXPECT_EQ(outcome.person.account, staff_[0].mail_id + "@localhost");
    const auto signed_in = sign_in(outcome);
    ASSERT_TRUE(signed_in.account) << signed_in.failure_text;
    EXPECT_EQ(signed_in.account->address, staff_[0].mail_id + "@localhost");
    EXPECT_EQ(
        sql("SELECT actor || ' ' || method || ' ' || detail FROM audit_log"
            " WHERE action = 'login.success'"),
        staff_[0].mail_id + "@localhost onepass onepass, employee " + staff_[0].employee_no +
            " (portal)"
    );

    EXPECT_EQ(finish(field).refusal, SignInRefusal::Replayed);
    EXPECT_EQ(sql("SELECT count(*) FROM saml_assertions"), "1");
}

TEST_F(OnePassTest, OnlyRequestsThisSpIssuedAreAnsweredAndOnlyOnce) {
    EXPECT_EQ(
        finish(response("_0123456789abcdef0123456789abcdef", staff_[0].employee_no)).refusal,
        SignInRefusal::UnknownRequest
    );
    const auto request = start();
    EXPECT_FALSE(finish(response(request, staff_[0].employee_no)).refusal);
    // A second assertion (another ID) for the same request.
    EXPECT_EQ(
        finish(response(request, staff_[0].employee_no)).refusal, SignInRefusal::UnknownRequest
    );
}

TEST_F(OnePassTest, AnExpiredRequestIsNotAnswered) {
    config_.request_lifetime = std::chrono::seconds(1);
    const auto request = start();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(
        finish(response(request, staff_[0].employee_no)).refusal, SignInRefusal::UnknownRequest
    );
}

TEST_F(OnePassTest, ARefusedResponseSaysWhyAndSpendsNothing) {
    const auto request = start();
    for (const std::string variant :
         {"wrapping", "expired", "wrong_audience", "broken_signature"}) {
        const auto outcome = finish(response(request, staff_[0].employee_no, variant));
        EXPECT_EQ(outcome.refusal, SignInRefusal::Response) << variant;
        EXPECT_TRUE(outcome.response) << variant;
        EXPECT_FALSE(outcome.person.account) << variant;
    }
    // The request is still open: the good answer signs in.
    EXPECT_FALSE(finish(response(request, staff_[0].employee_no)).refusal);
}

TEST_F(OnePassTest, APersonWithoutAnAccountIsSentToSignup) {
    const auto outcome = finish(response(start(), staff_[1].employee_no));
    EXPECT_FALSE(outcome.refusal);
    EXPECT_EQ(outcome.person.employee_no, staff_[1].employee_no);
    EXPECT_EQ(outcome.person.mail_id, staff_[1].mail_id);
    EXPECT_FALSE(outcome.person.account);
}

TEST_F(OnePassTest, UnknownAndRetiredPeopleAndInactiveAccountsAreRefused) {
    EXPECT_EQ(finish(response(start(), "99999")).refusal, SignInRefusal::UnknownPerson);

    sync({staff_[0], staff_[1], staff_[2]});
    EXPECT_EQ(finish(response(start(), staff_[3].employee_no)).refusal, SignInRefusal::Retired);

    // The person is known; the Authenticator refuses the suspended account and audits it.
    ASSERT_EQ(mailadm({"account", "suspend", staff_[0].mail_id + "@localhost"}).exit_code, 0);
    const auto suspended = finish(response(start(), staff_[0].employee_no));
    EXPECT_FALSE(suspended.refusal);
    const auto refused = sign_in(suspended);
    EXPECT_FALSE(refused.account);
    EXPECT_EQ(refused.failure_text, auth::kAccountInactiveText);
    EXPECT_EQ(
        sql("SELECT detail FROM audit_log WHERE action = 'login.refused' AND method = 'onepass'"),
        "account suspended (portal)"
    );

    // Retired from the directory with the account: refused as well.
    sync({staff_[1], staff_[2]});
    const auto retired = finish(response(start(), staff_[0].employee_no));
    EXPECT_FALSE(retired.refusal);
    EXPECT_EQ(sign_in(retired).failure_text, auth::kAccountInactiveText);
}

TEST_F(OnePassTest, TheUserKeyCanBeTheMailId) {
    config_.person_field = "mail_id";
    const auto outcome = finish(response(start(), staff_[0].mail_id));
    EXPECT_FALSE(outcome.refusal);
    EXPECT_TRUE(outcome.person.account);
    EXPECT_EQ(outcome.person.employee_no, staff_[0].employee_no);
}

}  // namespace
}  // namespace govmail::test
