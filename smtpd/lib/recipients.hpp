#pragma once

// What a RCPT TO in a local domain names (issue 24), in this order: a role address
// (postmaster, abuse: [server] postmaster / abuse), an account, an alias (expanded to its
// final targets, a loop refused), a unit list ([directory] unit_lists: the unit's active
// accounts, its posting policy applied to the sender), or nobody. Every address resolves to
// the accounts it delivers to; delivery stores the body once for all of them.

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
};

// ADDRESS is local-part@domain in a local domain; SENDER the transaction's ("" for null).
// An error is a failed look-up (451).
boost::asio::awaitable<Result<LocalRecipient>> resolve_local_recipient(
    const SmtpContext& ctx, std::string address, std::string_view sender
);

// Checks at start that [server] postmaster and abuse, when set, name accounts: throws
// std::runtime_error naming the key otherwise (a configuration error stops smtpd).
boost::asio::awaitable<void> check_role_accounts(const Config& config, storage::Mailstore& store);

}  // namespace govmail::smtpd
