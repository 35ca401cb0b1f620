// The ManageSieve command table without sockets: each command in a state it is not allowed in
// gets the NO response it has always had, and the rest run in any state.

#include "managesieve/lib/command_table.hpp"

#include <gtest/gtest.h>

#include "managesieve/proto/requests.hpp"

namespace govmail::managesieve {
namespace {

// The refusal of command NAME in STATE, "" when it may run.
std::string refusal_of(std::string_view name, SessionState state) {
    const auto index = request_index(name);
    EXPECT_TRUE(index.has_value()) << name;
    return state_refusal(command_flags(index.value_or(0)), state).value_or("");
}

constexpr SessionState kPlaintext{false, false};
constexpr SessionState kTls{false, true};
constexpr SessionState kLoggedIn{true, true};

const char* const kScriptCommands[] = {
    "HAVESPACE", "PUTSCRIPT", "CHECKSCRIPT",  "LISTSCRIPTS",
    "GETSCRIPT", "SETACTIVE", "DELETESCRIPT", "RENAMESCRIPT",
};

TEST(ManageSieveCommandTable, ScriptCommandsNeedALogin) {
    for (const auto* name : kScriptCommands) {
        EXPECT_EQ(refusal_of(name, kPlaintext), "NO \"Authenticate first\"\r\n") << name;
        EXPECT_EQ(refusal_of(name, kTls), "NO \"Authenticate first\"\r\n") << name;
        EXPECT_EQ(refusal_of(name, kLoggedIn), "") << name;
    }
}

TEST(ManageSieveCommandTable, AuthenticateOnlyOverTlsAndOnce) {
    EXPECT_EQ(
        refusal_of("AUTHENTICATE", kPlaintext),
        "NO (ENCRYPT-NEEDED) \"Authentication needs TLS; use STARTTLS first\"\r\n"
    );
    EXPECT_EQ(refusal_of("AUTHENTICATE", kTls), "");
    EXPECT_EQ(refusal_of("AUTHENTICATE", kLoggedIn), "NO \"Already authenticated\"\r\n");
}

TEST(ManageSieveCommandTable, StartTlsOnlyOnce) {
    EXPECT_EQ(refusal_of("STARTTLS", kPlaintext), "");
    EXPECT_EQ(refusal_of("STARTTLS", kTls), "NO \"TLS is already active\"\r\n");
    EXPECT_EQ(refusal_of("STARTTLS", kLoggedIn), "NO \"TLS is already active\"\r\n");
}

TEST(ManageSieveCommandTable, SessionCommandsRunInAnyState) {
    for (const auto* name : {"CAPABILITY", "NOOP", "LOGOUT"}) {
        for (const auto state : {kPlaintext, kTls, kLoggedIn}) {
            EXPECT_EQ(refusal_of(name, state), "") << name;
        }
    }
}

}  // namespace
}  // namespace govmail::managesieve
