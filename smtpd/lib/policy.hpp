#pragma once

// The SMTP access policy, after Postfix's smtpd_check.c: each check_*() takes what the session
// knows at one stage of a mail transaction and returns the refusal to send, or nothing when the
// transaction may go on. No I/O, so every rule is unit-tested without sockets
// (tests/smtpd/policy_test.cpp). RFC 5321's sequencing is the command table's
// (smtpd/cmd/command_table.hpp); the size limits are the handlers'.
//
// Submission (authenticated officials): MAIL only after AUTH and with the account's own
// address; the From and Sender header fields may name that address only, every address in
// them (RFC 5322 3.6.2 allows several authors). The store knows no aliases an account may send
// as, so its own address is the only one.
//
// MX (other servers, never authenticated): no relaying; unknown local recipients refused; and
// no mail claiming a sender in a local domain, in MAIL FROM or in a From or Sender header
// field, unless the client is in [smtp] trusted_relays. Local users send through submission,
// so outside mail naming one of them as its author is forged (docs/security.md).
//
// Every refusal is the client's error: the session counts it towards [smtp] max_bad_commands,
// and its reply waits tarpit_delay(). So a harvester trying recipient after recipient is
// slowed down, then disconnected.

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include "common/config.hpp"
#include "smtpd/proto/error.hpp"
#include "storage/address_store.hpp"
#include "storage/types.hpp"

namespace govmail::smtpd::policy {

// Who is sending.
struct Client {
    bool submission = false;                    // on a submission listener; else MX
    boost::asio::ip::address address;           // the peer's address
    const storage::Account* account = nullptr;  // the account logged in with AUTH, if any
};

// True when ADDRESS (local-part@domain) is in one of the local domains, whatever the case of
// the domain and a trailing dot.
bool in_local_domain(const Config& config, std::string_view address);

// MAIL FROM:<SENDER> ("" for the null sender).
std::optional<smtp::Error> check_mail(
    const Config& config, const Client& client, std::string_view sender
);

// What a RCPT TO names, as far as the store knows.
enum class RecipientStatus {
    Local,    // an account in a local domain
    Unknown,  // a local domain, but no such account
    Remote,   // another domain
};

std::optional<smtp::Error> check_rcpt(const Client& client, RecipientStatus recipient);

// An alias whose expansion comes back to itself, or goes deeper or wider than [smtp]
// max_alias_depth / max_alias_targets: 550 5.4.6 (RFC 3463: routing loop).
std::optional<smtp::Error> check_alias(const storage::AliasExpansion& expansion);

// SENDER ("" for the null sender) writing to a unit list of POLICY; SENDER_IS_MEMBER when it
// is the address of one of the list's members. Refused with 550 5.7.1. "organisation" means
// a sender in a local domain: MX refuses such senders from outside (check_mail), so the
// sender is one of the organisation's or its trusted relays.
std::optional<smtp::Error> check_list_post(
    const Config& config, std::string_view sender, storage::ListPolicy policy, bool sender_is_member
);

// The message as the client sent it (header and body, before the trace fields are added).
std::optional<smtp::Error> check_message(
    const Config& config, const Client& client, std::string_view message
);

// How long the reply to the client's ERRORS-th error waits: nothing for the first
// tarpit_after, then tarpit_delay more for each, at most tarpit_max_delay.
std::chrono::milliseconds tarpit_delay(const SmtpConfig& config, std::size_t errors);

}  // namespace govmail::smtpd::policy
