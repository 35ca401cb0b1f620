#pragma once

// Statements of the SMS second factor: the person's mobile number, the pending code of an
// account (sms_codes, one row per account) and trusted credentials (sms_trusts). Digests
// travel as binary bytea and come back as hex.

#include "storage/pg/statement.hpp"

namespace govmail::storage::sql {

// $1 account: whether it is a person's account, and the mobile number its codes go to: the
// one the person set in the portal, else the directory's (NULL when unlinked, gone from the
// directory, or none on file); and the directory's own number (a first password's code).
inline constexpr Statement kSmsRecipient{
    "sms_recipient",
    "SELECT a.kind = 'person', coalesce(p.user_mobile_phone, p.mobile_phone), p.mobile_phone"
    " FROM accounts a"
    " LEFT JOIN directory_people p ON p.employee_no = a.employee_no AND NOT p.retired"
    " WHERE a.account_id = $1",
};

// $1 account, $2 number: the mobile number of the account's person, as the person changed it
// in the portal; kept apart from the directory's, which the sync owns (the trigger of
// migration 11 ends the account's trusts). No row: the account has no person in the
// directory.
inline constexpr Statement kSetMobilePhone{
    "set_mobile_phone",
    "UPDATE directory_people p SET user_mobile_phone = $2 FROM accounts a"
    " WHERE a.account_id = $1 AND p.employee_no = a.employee_no AND NOT p.retired"
    " RETURNING p.employee_no",
};

// $1 account, $2 credential digest, $3 current number, $4 source: marks the trust used;
// returns whether it is still valid (unexpired, for this number). No row: never trusted.
inline constexpr Statement kUseSmsTrust{
    "use_sms_trust",
    "UPDATE sms_trusts SET last_used_at = now(), last_used_from = $4::inet"
    " WHERE account_id = $1 AND credential_sha256 = $2"
    " RETURNING expires_at > now() AND mobile_phone = $3",
};

// $1 account, $2 code digest, $3 salt, $4 number, $5 lifetime seconds, $6 max attempts,
// $7 codes per hour, $8 purpose: a new code, unless a usable one for that number and purpose
// is pending or the hour's codes are spent. Returns a row when the code was stored.
inline constexpr Statement kIssueSmsCode{
    "issue_sms_code",
    "INSERT INTO sms_codes AS c (account_id, code_sha256, salt, mobile_phone, attempts, sent_at,"
    " expires_at, sends, sends_since, purpose)"
    " VALUES ($1, $2, $3, $4, 0, now(), now() + $5::integer * interval '1 second', 1, now(), $8)"
    " ON CONFLICT (account_id) DO UPDATE SET code_sha256 = EXCLUDED.code_sha256,"
    " salt = EXCLUDED.salt, mobile_phone = EXCLUDED.mobile_phone, purpose = EXCLUDED.purpose,"
    " attempts = 0,"
    " sent_at = now(), expires_at = EXCLUDED.expires_at,"
    " sends = CASE WHEN c.sends_since <= now() - interval '1 hour' THEN 1 ELSE c.sends + 1 END,"
    " sends_since = CASE WHEN c.sends_since <= now() - interval '1 hour'"
    "   THEN now() ELSE c.sends_since END"
    " WHERE (c.code_sha256 IS NULL OR c.expires_at <= now() OR c.attempts >= $6::integer"
    "   OR c.mobile_phone <> $4 OR c.purpose <> $8)"
    " AND (c.sends_since <= now() - interval '1 hour' OR c.sends < $7::integer)"
    " RETURNING account_id",
};

// $1 account, $2 max attempts, $3 number, $4 purpose: whether a usable code for that number
// and purpose is pending.
inline constexpr Statement kSmsCodePending{
    "sms_code_pending",
    "SELECT code_sha256 IS NOT NULL AND expires_at > now() AND attempts < $2::integer"
    " AND mobile_phone = $3 AND purpose = $4 FROM sms_codes WHERE account_id = $1",
};

// $1 account, $2 code digest: the code was not delivered; it is withdrawn and not counted.
inline constexpr Statement kWithdrawSmsCode{
    "withdraw_sms_code",
    "UPDATE sms_codes SET code_sha256 = NULL, sends = greatest(sends - 1, 0)"
    " WHERE account_id = $1 AND code_sha256 = $2",
};

// $1 account, $2 purpose, $3 number: the pending code sent to that number for that purpose,
// locked to the end of the transaction: salt, digest (hex), wrong attempts, whether it
// expired. A code sent for another purpose or to another number is none.
inline constexpr Statement kLockSmsCode{
    "lock_sms_code",
    "SELECT salt, encode(code_sha256, 'hex'), attempts, expires_at <= now()"
    " FROM sms_codes WHERE account_id = $1 AND purpose = $2 AND mobile_phone = $3"
    " AND code_sha256 IS NOT NULL FOR UPDATE",
};

// $1 account: the code was used.
inline constexpr Statement kConsumeSmsCode{
    "consume_sms_code",
    "UPDATE sms_codes SET code_sha256 = NULL WHERE account_id = $1",
};

// $1 account: one more wrong attempt; returns the attempts so far.
inline constexpr Statement kWrongSmsCode{
    "wrong_sms_code",
    "UPDATE sms_codes SET attempts = attempts + 1 WHERE account_id = $1 RETURNING attempts",
};

// $1 account, $2 credential digest, $3 number, $4 source, $5 window seconds. Trusts that
// ended a month ago are dropped on the way.
inline constexpr Statement kTrustSmsCredential{
    "trust_sms_credential",
    "WITH old AS (DELETE FROM sms_trusts WHERE account_id = $1"
    "   AND expires_at < now() - interval '30 days')"
    " INSERT INTO sms_trusts (account_id, credential_sha256, mobile_phone, created_from,"
    " expires_at) VALUES ($1, $2, $3, $4::inet, now() + $5::integer * interval '1 second')"
    " ON CONFLICT (account_id, credential_sha256) DO UPDATE SET"
    " mobile_phone = EXCLUDED.mobile_phone, created_at = now(),"
    " created_from = EXCLUDED.created_from, expires_at = EXCLUDED.expires_at,"
    " last_used_at = NULL, last_used_from = NULL",
};

}  // namespace govmail::storage::sql
