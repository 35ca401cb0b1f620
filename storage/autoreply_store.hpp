#pragma once

// Away auto-replies in the store: the per-account setting (on/off, subject, body, first and
// last day, scope, period) that mailadm manages, and what a delivery needs inside its own
// transaction: the enabled settings of its targets and the per-sender log that allows one
// reply per period (RFC 5230 :days), claimed so concurrent deliveries cannot both reply.
// Deciding whether a message deserves a reply and composing it is not storage's business
// (smtpd/lib/autoreply.hpp); a delivery gets that as AutoReplyRequest::compose.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "rules/autoreply_setting.hpp"
#include "storage/audit_store.hpp"
#include "storage/pg/connection.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

// The setting is the rules' type (rules/autoreply_setting.hpp); the store speaks it.
using rules::AutoReplyScope;
using rules::AutoReplySetting;
using rules::kDefaultAutoReplyDays;
using rules::parse_autoreply_scope;
using rules::to_string;

// What a delivery needs to answer the away accounts among its targets. Set only for a
// message that may get a reply at all (not from the null sender, not list mail ...).
struct AutoReplyRequest {
    std::string sender;            // the envelope sender, where replies go
    bool sender_is_local = false;  // replies go into the sender's INBOX, else the queue
    // The complete reply (CRLF, no Return-Path) SETTING's account sends, or nullopt when
    // this message gets none from it (dates, scope, not addressed to the account).
    std::function<std::optional<std::string>(const AutoReplySetting&)> compose;
    // Filled by the delivery: the accounts whose reply was stored with it.
    std::vector<AccountId> replied;
};

// Inside the caller's transaction: the enabled settings among ACCOUNTS.
boost::asio::awaitable<Result<std::vector<AutoReplySetting>>> enabled_autoreplies(
    Connection& conn, const std::vector<std::string>& accounts
);
// Inside the caller's transaction: true when ACCOUNT may answer SENDER now, recorded as
// answered; false when it did within PERIOD_DAYS.
boost::asio::awaitable<Result<bool>> claim_autoreply(
    Connection& conn, AccountId account, std::string_view sender, int period_days
);

// The key the per-sender log uses for SENDER (lower-cased).
std::string autoreply_sender_key(std::string_view sender);

class AutoReplyStore {
public:
    explicit AutoReplyStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // NotFound when the account never had one.
    Task<AutoReplySetting> find(AccountId account);
    // Replaces the setting (all of SETTING but address and display name) and switches it on,
    // with the account's Sieve script rewritten to say the same (rules/autoreply_script.hpp)
    // and active; AUDIT is written in the same transaction.
    Task<void> set(const AutoReplySetting& setting, const AuditEntry& audit);
    // Switches it off, keeping the text, and writes AUDIT in the same transaction; false (and
    // no entry) when it was not on.
    Task<bool> off(AccountId account, const AuditEntry& audit);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
