#pragma once

// What a RCPT TO in a local domain names (issue 24), in this order: a role address
// (postmaster, abuse: [server] postmaster / abuse), a bounce to an SRS address of ours
// (smtpd/lib/srs.hpp: forwarded on to the original sender), an account, an alias (expanded to
// its final targets, a loop refused; targets elsewhere forwarded when [smtp] srs_secret is
// set), a unit list ([directory] unit_lists: the unit's active accounts, its posting policy
// applied to the sender), or nobody. Every address resolves to the accounts it delivers to
// and the addresses elsewhere it forwards to; delivery stores the body once for all.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "smtpd/lib/policy.hpp"
#include "smtpd/lib/server.hpp"
#include "smtpd/proto/error.hpp"

namespace govmail::smtpd {

struct LocalRecipient {
    policy::RecipientStatus status = policy::RecipientStatus::Unknown;
    std::string address;  // as it will be stored: the account's own address when one
    std::vector<storage::AccountId> accounts;
    std::optional<smtp::Error> refusal;  // a loop, a list's posting policy
    std::vector<std::string> forwards;   // addresses elsewhere, queued with forward_sender()
};

// ADDRESS is local-part@domain in a local domain; SENDER the transaction's ("" for null).
// An error is a failed look-up (451).
boost::asio::awaitable<Result<LocalRecipient>> resolve_local_recipient(
    const SmtpContext& ctx, std::string address, std::string_view sender
);

// The envelope sender of mail forwarded elsewhere for SENDER: the null sender and senders in
// local domains as they are, others rewritten by SRS.
std::string forward_sender(const Config& config, std::string_view sender, std::int64_t now);

// Where a report about mail sent with envelope sender SENDER goes: for an SRS address of ours
// (forwarded mail), its original sender; else SENDER.
std::string report_recipient(const Config& config, std::string_view sender, std::int64_t now);

// Checks at start that [server] postmaster and abuse, when set, name accounts: throws
// std::runtime_error naming the key otherwise (a configuration error stops smtpd).
boost::asio::awaitable<void> check_role_accounts(const Config& config, storage::Mailstore& store);

}  // namespace govmail::smtpd
