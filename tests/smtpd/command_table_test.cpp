// The SMTP command table without sockets: each command in each wrong state gets the reply it
// has always had (tests/transcripts/smtp/sequence_errors.txt shows a few over the wire), the
// checks come in a fixed order, and the commands with no sequencing rule run in any state.

#include "smtpd/cmd/command_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace govmail::smtpd {
namespace {

// A submission session after EHLO and AUTH over TLS, with no transaction.
SequenceState logged_in() {
    SequenceState state;
    state.auth_service = true;
    state.tls = true;
    state.authenticated = true;
    state.greeted = true;
    return state;
}

SequenceState greeted_mx() {
    SequenceState state;
    state.greeted = true;
    return state;
}

SequenceState in_transaction(bool recipients) {
    auto state = greeted_mx();
    state.in_transaction = true;
    state.has_recipients = recipients;
    return state;
}

SequenceState chunking() {
    auto state = in_transaction(true);
    state.chunking = true;
    return state;
}

// "CODE ENHANCED TEXT" of the refusal, "" when the command may run.
std::string refusal_of(const smtp::Command& command, const SequenceState& state) {
    const auto refusal = sequence_refusal(command_spec(command), state);
    if (!refusal) {
        return "";
    }
    return std::to_string(refusal->code) + " " + std::string(refusal->enhanced) + " " +
           std::string(refusal->text);
}

struct Case {
    std::string name;
    smtp::Command command;
    SequenceState state;
    std::string reply;  // "" when allowed
};

const smtp::Command kMail = smtp::MailFrom{};
const smtp::Command kRcpt = smtp::RcptTo{};
const smtp::Command kData = smtp::Data{};
const smtp::Command kBdat = smtp::Bdat{10, false};
const smtp::Command kAuth = smtp::Auth{"PLAIN", std::nullopt};
const smtp::Command kStartTls = smtp::StartTls{};

SequenceState tls_without_auth_service() {
    auto state = greeted_mx();
    state.tls = true;
    return state;
}

SequenceState submission_plaintext() {
    auto state = greeted_mx();
    state.auth_service = true;
    return state;
}

SequenceState submission_tls() {
    auto state = submission_plaintext();
    state.tls = true;
    return state;
}

SequenceState submission_in_transaction() {
    auto state = submission_tls();
    state.in_transaction = true;
    return state;
}

const Case kCases[] = {
    {"mail_before_helo", kMail, SequenceState{}, "503 5.5.1 Send HELO/EHLO first"},
    {"mail_nested", kMail, in_transaction(false), "503 5.5.1 Nested MAIL command"},
    {"mail_after_helo", kMail, greeted_mx(), ""},
    {"rcpt_without_mail", kRcpt, greeted_mx(), "503 5.5.1 Need MAIL command"},
    {"rcpt_before_helo", kRcpt, SequenceState{}, "503 5.5.1 Need MAIL command"},
    {"rcpt_after_mail", kRcpt, in_transaction(false), ""},
    {"data_without_mail", kData, greeted_mx(), "503 5.5.1 Need MAIL command"},
    {"data_without_recipients", kData, in_transaction(false), "554 5.5.1 No valid recipients"},
    {"data_after_bdat", kData, chunking(), "503 5.5.1 DATA not allowed after BDAT"},
    {"data_with_recipients", kData, in_transaction(true), ""},
    {"bdat_without_mail", kBdat, greeted_mx(), "503 5.5.1 Need MAIL command"},
    {"bdat_without_recipients", kBdat, in_transaction(false), "554 5.5.1 No valid recipients"},
    {"bdat_after_bdat", kBdat, chunking(), ""},
    {"starttls_under_tls", kStartTls, tls_without_auth_service(), "503 5.5.1 TLS already active"},
    {"starttls_plaintext", kStartTls, SequenceState{}, ""},
    {"auth_on_mx", kAuth, tls_without_auth_service(), "502 5.5.1 AUTH not available on this port"},
    {"auth_on_mx_plaintext", kAuth, greeted_mx(), "502 5.5.1 AUTH not available on this port"},
    {"auth_plaintext", kAuth, submission_plaintext(),
     "538 5.7.11 Encryption required for requested authentication mechanism"},
    {"auth_twice", kAuth, logged_in(), "503 5.5.1 Already authenticated"},
    {"auth_in_transaction", kAuth, submission_in_transaction(),
     "503 5.5.1 AUTH not allowed during a mail transaction"},
    {"auth_twice_in_transaction", kAuth,
     [] {
         auto state = logged_in();
         state.in_transaction = true;
         return state;
     }(),
     "503 5.5.1 Already authenticated"},
    {"auth_before_helo", kAuth,
     [] {
         auto state = submission_tls();
         state.greeted = false;
         return state;
     }(),
     ""},
    {"auth_over_tls", kAuth, submission_tls(), ""},
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class CommandTableCases : public testing::TestWithParam<Case> {};

TEST_P(CommandTableCases, RefusesOutOfSequenceWithTodaysReply) {
    const auto& c = GetParam();
    EXPECT_EQ(refusal_of(c.command, c.state), c.reply);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc5321,
    CommandTableCases,
    testing::ValuesIn(kCases),
    [](const testing::TestParamInfo<Case>& param) { return param.param.name; }
);

TEST(CommandTable, CommandsWithoutSequenceRulesRunInAnyState) {
    const smtp::Command anytime[] = {
        smtp::Helo{"client"}, smtp::Ehlo{"client"}, smtp::Rset{}, smtp::Noop{},
        smtp::Vrfy{"x"},      smtp::Expn{"x"},      smtp::Help{}, smtp::Quit{},
    };
    for (const auto& state : {SequenceState{}, chunking(), logged_in()}) {
        for (const auto& command : anytime) {
            EXPECT_EQ(refusal_of(command, state), "") << command_spec(command).name;
        }
    }
}

TEST(CommandTable, NamesEachCommand) {
    EXPECT_EQ(command_spec(kMail).name, "MAIL");
    EXPECT_EQ(command_spec(kBdat).name, "BDAT");
    EXPECT_EQ(command_spec(smtp::Command{smtp::Quit{}}).name, "QUIT");
}

TEST(CommandTable, OnlyBdatReadsOnAfterARefusal) {
    // A refused BDAT still has its chunk on the wire (RFC 3030 2); no other command does.
    EXPECT_NE(command_spec(kBdat).refused, nullptr);
    EXPECT_EQ(command_spec(kData).refused, nullptr);
    EXPECT_EQ(command_spec(kMail).refused, nullptr);
}

TEST(CommandTable, SequenceRefusalsAreNotFatal) {
    const auto refusal = sequence_refusal(command_spec(kData), greeted_mx());
    ASSERT_TRUE(refusal);
    EXPECT_FALSE(refusal->fatal);
}

}  // namespace
}  // namespace govmail::smtpd
