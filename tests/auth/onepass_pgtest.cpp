// The OnePass sign-in against a database of its own (the directory is organisation-wide): the
// response of a request this SP issued signs in the directory person's account; a replayed
// assertion, a response to no request (or to one already answered), an unknown or retired
// person and an inactive account are refused; a person without an account goes to signup.

#include <boost/asio/io_context.hpp>
#include <thread>

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
        configure("");
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
    ASSERT_TRUE(outcome.account);
    EXPECT_EQ(outcome.account->address, staff_[0].mail_id + "@localhost");
    EXPECT_EQ(outcome.account->state, storage::AccountState::Active);

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
        EXPECT_FALSE(outcome.account) << variant;
    }
    // The request is still open: the good answer signs in.
    EXPECT_FALSE(finish(response(request, staff_[0].employee_no)).refusal);
}

TEST_F(OnePassTest, APersonWithoutAnAccountIsSentToSignup) {
    const auto outcome = finish(response(start(), staff_[1].employee_no));
    EXPECT_FALSE(outcome.refusal);
    EXPECT_EQ(outcome.person.employee_no, staff_[1].employee_no);
    EXPECT_EQ(outcome.person.mail_id, staff_[1].mail_id);
    EXPECT_FALSE(outcome.account);
}

TEST_F(OnePassTest, UnknownAndRetiredPeopleAndInactiveAccountsAreRefused) {
    EXPECT_EQ(finish(response(start(), "99999")).refusal, SignInRefusal::UnknownPerson);

    sync({staff_[0], staff_[1], staff_[2]});
    EXPECT_EQ(finish(response(start(), staff_[3].employee_no)).refusal, SignInRefusal::Retired);

    ASSERT_EQ(mailadm({"account", "suspend", staff_[0].mail_id + "@localhost"}).exit_code, 0);
    const auto outcome = finish(response(start(), staff_[0].employee_no));
    EXPECT_EQ(outcome.refusal, SignInRefusal::AccountInactive);
}

TEST_F(OnePassTest, TheUserKeyCanBeTheMailId) {
    config_.person_field = "mail_id";
    const auto outcome = finish(response(start(), staff_[0].mail_id));
    EXPECT_FALSE(outcome.refusal);
    ASSERT_TRUE(outcome.account);
    EXPECT_EQ(outcome.person.employee_no, staff_[0].employee_no);
}

}  // namespace
}  // namespace govmail::test
