#pragma once

// The SMS codes the signed-in pages send and check themselves (a new mobile number, a first
// password): the account's one pending code, bound to its use and number, with the lifetime,
// attempt limit and hourly limit of [sms] (storage/sms_store.hpp).

#include <boost/asio/awaitable.hpp>
#include <string>

#include "common/result.hpp"
#include "portal/portal.hpp"
#include "storage/sms_store.hpp"

namespace govmail::portal {

enum class CodeSending {
    Sent,         // a new code went out
    Pending,      // one for this use and number is pending: nothing sent
    RateLimited,  // the hour's codes are spent
    Unsent,       // the gateway did not take it (the code is withdrawn)
    Failed,       // the store failed
};

// Issues a code for USE to ACCOUNT and sends it to USE.number.
boost::asio::awaitable<CodeSending> send_sms_code(
    Portal& portal, storage::AccountId account, const storage::CodeUse& use
);

// Tries CODE as ACCOUNT's pending code for USE (compared in constant time); a match uses it
// up and trusts no credential.
boost::asio::awaitable<Result<storage::Redemption>> redeem_sms_code(
    Portal& portal, storage::AccountId account, const storage::CodeUse& use, std::string code
);

}  // namespace govmail::portal
