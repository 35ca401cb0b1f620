// The SMTP access policy without sockets: the submission sender rules (envelope and every
// From/Sender header address), the MX local-sender rule and its trusted relays, relaying,
// unknown recipients and the tarpit's growth.

#include "smtpd/lib/policy.hpp"

#include <gtest/gtest.h>

#include <string>

#include "mime/address.hpp"
#include "mime/header.hpp"

namespace govmail::smtpd::policy {
namespace {

using boost::asio::ip::make_address;

Config test_config() {
    Config config;
    config.local_domains = {"localhost", "example.go.kr"};
    config.smtp.trusted_relays = {parse_network("10.1.0.0/16"), parse_network("2001:db8::/32")};
    return config;
}

const storage::Account kAlice{7, "alice@localhost", storage::AccountState::Active, "Alice"};

Client outside() { return Client{false, make_address("203.0.113.9"), nullptr}; }
Client relay() { return Client{false, make_address("10.1.2.3"), nullptr}; }
Client alice() { return Client{true, make_address("203.0.113.9"), &kAlice}; }

// The reply code of a refusal, 0 when there is none.
int code_of(const std::optional<smtp::Error>& refusal) { return refusal ? refusal->code : 0; }

std::string message(const std::string& header) { return header + "\r\nbody\r\n"; }

struct MailCase {
    std::string name;
    Client client;
    std::string sender;
    int want;  // reply code, 0: accepted
};

void PrintTo(const MailCase& c, std::ostream* os) { *os << c.name; }

class CheckMail : public ::testing::TestWithParam<MailCase> {};

TEST_P(CheckMail, RefusesWhatTheRulesSay) {
    const auto& c = GetParam();
    const auto refusal = check_mail(test_config(), c.client, c.sender);
    EXPECT_EQ(code_of(refusal), c.want);
    if (refusal) {
        EXPECT_TRUE(refusal->enhanced.starts_with(std::to_string(c.want / 100) + ".7."));
    }
}

INSTANTIATE_TEST_SUITE_P(
    Policy,
    CheckMail,
    ::testing::Values(
        MailCase{"MxExternalSender", outside(), "bob@example.org", 0},
        MailCase{"MxNullSender", outside(), "", 0},
        MailCase{"MxLocalSenderFromOutside", outside(), "bob@localhost", 550},
        MailCase{"MxLocalSenderAnyCase", outside(), "bob@LocalHost", 550},
        MailCase{"MxSecondLocalDomain", outside(), "bob@Example.Go.Kr", 550},
        MailCase{"MxSubdomainIsNotLocal", outside(), "bob@sub.example.go.kr", 0},
        MailCase{"MxLocalSenderFromTrustedRelay", relay(), "bob@localhost", 0},
        MailCase{
            "MxMappedAddressOfTrustedRelay",
            Client{false, make_address("::ffff:10.1.9.9"), nullptr}, "bob@localhost", 0},
        MailCase{
            "MxTrustedIpv6Relay", Client{false, make_address("2001:db8::25"), nullptr},
            "bob@localhost", 0},
        MailCase{
            "MxUntrustedIpv6", Client{false, make_address("2001:db9::25"), nullptr},
            "bob@localhost", 550},
        MailCase{
            "SubmissionWithoutAuth", Client{true, make_address("10.1.2.3"), nullptr},
            "alice@localhost", 530},
        MailCase{"SubmissionOwnAddress", alice(), "alice@localhost", 0},
        MailCase{"SubmissionOwnAddressAnyCase", alice(), "Alice@LOCALHOST", 0},
        MailCase{"SubmissionOtherLocalAddress", alice(), "bob@localhost", 553},
        MailCase{"SubmissionNullSender", alice(), "", 553}
    ),
    [](const auto& param_info) { return param_info.param.name; }
);

struct MessageCase {
    std::string name;
    Client client;
    std::string header;
    int want;  // reply code, 0: accepted
};

void PrintTo(const MessageCase& c, std::ostream* os) { *os << c.name; }

class CheckMessage : public ::testing::TestWithParam<MessageCase> {};

TEST_P(CheckMessage, ChecksEveryFromAndSenderAddress) {
    const auto& c = GetParam();
    EXPECT_EQ(code_of(check_message(test_config(), c.client, message(c.header))), c.want);
}

INSTANTIATE_TEST_SUITE_P(
    MxLocalAuthor,
    CheckMessage,
    ::testing::Values(
        MessageCase{"External", outside(), "From: Bob <bob@example.org>\r\n", 0},
        MessageCase{"NoFrom", outside(), "Subject: hi\r\n", 0},
        MessageCase{"LocalFrom", outside(), "From: Bob Lee <bob@localhost>\r\n", 550},
        MessageCase{"LocalBareAddress", outside(), "from: bob@LOCALHOST\r\n", 550},
        MessageCase{"TrailingDot", outside(), "From: <bob@localhost.>\r\n", 550},
        MessageCase{"Folded", outside(), "From: Bob Lee\r\n <bob@localhost>\r\n", 550},
        MessageCase{
            "CommentsAndSpaces", outside(), "From: bob (x) @ (y) example . go . kr\r\n", 550},
        MessageCase{
            "SecondOfSeveralAuthors", outside(), "From: eve@example.org, Bob <bob@localhost>\r\n",
            550},
        MessageCase{
            "InsideAGroup", outside(), "From: staff: eve@example.org, bob@localhost;\r\n", 550},
        MessageCase{
            "SecondFromField", outside(),
            "From: eve@example.org\r\nSubject: x\r\nFrom: bob@localhost\r\n", 550},
        MessageCase{
            "LocalSender", outside(), "From: eve@example.org\r\nSender: bob@localhost\r\n", 550},
        MessageCase{
            "LocalNameOnlyInDisplayName", outside(),
            "From: \"bob@localhost\" <eve@example.org>\r\n", 0},
        MessageCase{"LocalInReplyTo", outside(), "Reply-To: bob@localhost\r\n", 0},
        MessageCase{"TrustedRelay", relay(), "From: Bob Lee <bob@localhost>\r\n", 0}
    ),
    [](const auto& param_info) { return param_info.param.name; }
);

INSTANTIATE_TEST_SUITE_P(
    SubmissionAuthor,
    CheckMessage,
    ::testing::Values(
        MessageCase{"Own", alice(), "From: Alice <alice@localhost>\r\n", 0},
        MessageCase{"OwnAnyCase", alice(), "From: ALICE@LocalHost\r\n", 0},
        MessageCase{"NoFrom", alice(), "Subject: hi\r\n", 0},
        MessageCase{
            "OwnFromAndSender", alice(), "From: alice@localhost\r\nSender: alice@localhost\r\n", 0},
        MessageCase{"OtherLocal", alice(), "From: Bob Lee <bob@localhost>\r\n", 550},
        MessageCase{"External", alice(), "From: bob@example.org\r\n", 550},
        MessageCase{"OwnAndOther", alice(), "From: alice@localhost, bob@localhost\r\n", 550},
        MessageCase{"OtherInGroup", alice(), "From: us: alice@localhost, bob@localhost;\r\n", 550},
        MessageCase{
            "OtherSender", alice(), "From: alice@localhost\r\nSender: bob@localhost\r\n", 550},
        MessageCase{
            "SecondFromField", alice(), "From: alice@localhost\r\nFrom: bob@localhost\r\n", 550},
        MessageCase{"NoDomain", alice(), "From: alice\r\n", 550},
        MessageCase{
            "OwnNameOtherAddress", alice(), "From: \"alice@localhost\" <bob@localhost>\r\n", 550}
    ),
    [](const auto& param_info) { return param_info.param.name; }
);

// An author hidden past the readers' bounds would go unchecked: such a header is refused.
TEST(CheckMessage, RefusesHeadersTooLargeToCheck) {
    std::string many_fields;
    for (std::size_t i = 0; i < mime::kMaxHeaderFields; ++i) {
        many_fields += "X-Filler: " + std::to_string(i) + "\r\n";
    }
    many_fields += "From: bob@localhost\r\n";
    EXPECT_EQ(code_of(check_message(test_config(), outside(), message(many_fields))), 554);
    EXPECT_EQ(code_of(check_message(test_config(), alice(), message(many_fields))), 554);

    std::string many_authors = "From: ";
    for (std::size_t i = 0; i < mime::kMaxAddresses; ++i) {
        many_authors += "alice@localhost, ";
    }
    many_authors += "bob@localhost\r\n";
    EXPECT_EQ(code_of(check_message(test_config(), alice(), message(many_authors))), 554);
    // A trusted relay's mail is not read at all.
    EXPECT_EQ(code_of(check_message(test_config(), relay(), message(many_fields))), 0);
}

TEST(CheckRcpt, RefusesUnknownRecipientsAndRelaying) {
    EXPECT_EQ(code_of(check_rcpt(outside(), RecipientStatus::Local)), 0);
    EXPECT_EQ(code_of(check_rcpt(outside(), RecipientStatus::Unknown)), 550);
    EXPECT_EQ(check_rcpt(outside(), RecipientStatus::Unknown)->enhanced, "5.1.1");
    EXPECT_EQ(code_of(check_rcpt(outside(), RecipientStatus::Remote)), 554);
    EXPECT_EQ(code_of(check_rcpt(relay(), RecipientStatus::Remote)), 554);
    EXPECT_EQ(code_of(check_rcpt(alice(), RecipientStatus::Remote)), 0);
    EXPECT_EQ(code_of(check_rcpt(alice(), RecipientStatus::Unknown)), 550);
}

TEST(CheckAlias, RefusesALoopAndAnExpansionTooDeepWith550546) {
    EXPECT_EQ(code_of(check_alias(storage::AliasExpansion{{1, 2}, {}, false, false})), 0);
    for (const auto& refused :
         {storage::AliasExpansion{{1}, {}, true, false},
          storage::AliasExpansion{{1}, {}, false, true}}) {
        ASSERT_EQ(code_of(check_alias(refused)), 550);
        EXPECT_EQ(check_alias(refused)->enhanced, "5.4.6");
    }
}

TEST(CheckListPost, AppliesTheListsPostingPolicy) {
    using storage::ListPolicy;
    const auto config = test_config();
    struct Case {
        ListPolicy policy;
        std::string sender;
        bool member;
        int code;
    };
    for (const auto& c : {
             Case{ListPolicy::Anyone, "spammer@outside.test", false, 0},
             Case{ListPolicy::Anyone, "", false, 0},
             Case{ListPolicy::Organisation, "kim@EXAMPLE.go.kr.", false, 0},
             Case{ListPolicy::Organisation, "spammer@outside.test", false, 550},
             Case{ListPolicy::Organisation, "", false, 550},
             Case{ListPolicy::Organisation, "member@outside.test", true, 0},
             Case{ListPolicy::Members, "kim@localhost", false, 550},
             Case{ListPolicy::Members, "kim@localhost", true, 0},
         }) {
        const auto refusal = check_list_post(config, c.sender, c.policy, c.member);
        EXPECT_EQ(code_of(refusal), c.code) << c.sender;
        if (refusal) {
            EXPECT_EQ(refusal->enhanced, "5.7.1");
        }
    }
}

TEST(TarpitDelay, GrowsAfterTheFreeErrorsUpToTheMaximum) {
    SmtpConfig config;
    config.tarpit_after = 3;
    config.tarpit_delay = std::chrono::milliseconds(1000);
    config.tarpit_max_delay = std::chrono::milliseconds(2500);
    using std::chrono::milliseconds;
    EXPECT_EQ(tarpit_delay(config, 1), milliseconds(0));
    EXPECT_EQ(tarpit_delay(config, 3), milliseconds(0));
    EXPECT_EQ(tarpit_delay(config, 4), milliseconds(1000));
    EXPECT_EQ(tarpit_delay(config, 5), milliseconds(2000));
    EXPECT_EQ(tarpit_delay(config, 6), milliseconds(2500));
    EXPECT_EQ(tarpit_delay(config, 1'000'000), milliseconds(2500));
    config.tarpit_delay = milliseconds(0);
    EXPECT_EQ(tarpit_delay(config, 10), milliseconds(0));
}

TEST(InLocalDomain, IgnoresCaseAndTheRootDot) {
    const Config config = test_config();
    EXPECT_TRUE(in_local_domain(config, "bob@localhost"));
    EXPECT_TRUE(in_local_domain(config, "bob@Example.Go.Kr."));
    EXPECT_FALSE(in_local_domain(config, "bob@sub.localhost"));
    EXPECT_FALSE(in_local_domain(config, "localhost"));
    EXPECT_FALSE(in_local_domain(config, ""));
}

TEST(TrustedRelays, DefaultToLoopbackOnly) {
    Config config;
    const auto from = [&](const char* address) {
        return code_of(
            check_mail(config, Client{false, make_address(address), nullptr}, "b@localhost")
        );
    };
    EXPECT_EQ(from("127.0.0.1"), 0);
    EXPECT_EQ(from("127.0.0.2"), 0);
    EXPECT_EQ(from("::1"), 0);
    EXPECT_EQ(from("192.0.2.1"), 550);
    EXPECT_EQ(from("10.0.0.1"), 550);
    config.smtp.trusted_relays.clear();
    EXPECT_EQ(from("127.0.0.1"), 550);
}

TEST(PolicySettings, AreReadFromTheSmtpSection) {
    const Config config = interpret_config(
        parse_config_text("[smtp]\ntrusted_relays = 192.0.2.0/24, 2001:db8::1\ntarpit_after = 1\n"
                          "tarpit_delay_ms = 250\ntarpit_max_delay_ms = 600\n")
    );
    const auto from = [&](const char* address) {
        return code_of(
            check_mail(config, Client{false, make_address(address), nullptr}, "b@localhost")
        );
    };
    EXPECT_EQ(from("192.0.2.77"), 0);
    EXPECT_EQ(from("2001:db8::1"), 0);
    EXPECT_EQ(from("127.0.0.1"), 550);
    EXPECT_EQ(tarpit_delay(config.smtp, 2), std::chrono::milliseconds(250));
    EXPECT_EQ(tarpit_delay(config.smtp, 9), std::chrono::milliseconds(600));
    EXPECT_TRUE(interpret_config(parse_config_text("[smtp]\ntrusted_relays =\n"))
                    .smtp.trusted_relays.empty());
    try {
        interpret_config(parse_config_text("[smtp]\ntrusted_relays = 10.0.0.0/33\n"));
        ADD_FAILURE() << "an invalid network was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("smtp.trusted_relays"), std::string::npos);
    }
}

}  // namespace
}  // namespace govmail::smtpd::policy
