#pragma once

// What the SMS second factor keeps (auth/database_authenticator.hpp has the flow): the
// number a person's code goes to (the one they set in the portal, else the directory's), the
// pending code of each account (one at a time, as a salted digest, with its wrong attempts
// and the codes sent this hour) and the credentials trusted after a code passed. Trusts end
// by themselves (triggers of migrations 6 and 11) when the number in use changes, the account
// is linked to another person or leaves the active state.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct SmsRecipient {
    bool person = false;                                // false: a service account
    std::optional<std::string> mobile_phone;            // the number in use, as stored
    std::optional<std::string> directory_mobile_phone;  // the directory's own, as stored
};

enum class TrustState {
    None,    // never trusted
    Active,  // trusted, for this number, until its window ends
    Ended,   // trusted once: the window passed, or the number changed, or it was ended
};

// What a code is for: a code proves the number it was sent to for that one use only.
enum class CodePurpose {
    Login,          // the second factor of a password login
    NewNumber,      // confirming a new mobile number in the portal
    FirstPassword,  // setting the first password of an account without one, in the portal
};

// Where a code goes and what it may be used for.
struct CodeUse {
    CodePurpose purpose = CodePurpose::Login;
    std::string number;
};

enum class CodeIssue {
    Issued,       // the new code is stored: send it
    Pending,      // a usable code for this number is pending: send nothing
    RateLimited,  // the hour's codes are spent
};

struct PendingCode {
    std::string salt;
    std::string digest_hex;
    std::uint32_t attempts = 0;
    bool expired = false;
};

enum class CodeRedemption {
    Redeemed,  // the code matched: used up, and the credential trusted
    Wrong,     // counted as a wrong attempt
    Voided,    // the wrong attempt that used up the last one: the code is void
    Expired,   // the code matched, but too late
    NoCode,    // nothing usable pending (none, used, void, or an expired one that did not match)
};

struct Redemption {
    CodeRedemption outcome = CodeRedemption::NoCode;
    std::uint32_t attempts = 0;  // wrong attempts so far (Wrong, Voided)
};

// The credential to trust when a code is redeemed.
struct NewTrust {
    std::string credential_digest;  // auth::sms_trust_digest, 32 bytes
    std::string mobile_phone;
    std::string source;  // numeric address
    std::chrono::seconds window;
};

class SmsStore {
public:
    explicit SmsStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // NotFound: no such account.
    Task<SmsRecipient> recipient(AccountId account);
    // Whether the credential with DIGEST is trusted for NUMBER; records its use from SOURCE.
    Task<TrustState> use_trust(
        AccountId account, std::string_view digest, std::string_view number, std::string_view source
    );
    // Stores a new code (DIGEST of SALT and the code) for USE, unless one for the same use is
    // pending or MAX_PER_HOUR were sent in the last hour.
    Task<CodeIssue> issue_code(
        AccountId account,
        const CodeUse& use,
        std::string_view salt,
        std::string_view digest,
        std::chrono::seconds lifetime,
        std::uint32_t max_attempts,
        std::uint32_t max_per_hour
    );
    // The code with DIGEST could not be sent: forget it, and do not count it.
    Task<void> withdraw_code(AccountId account, std::string_view digest);
    // Tries the code pending for USE with MATCHES (a constant-time comparison by the caller)
    // in one transaction, so a code is used once however many logins race for it; a code sent
    // for another purpose or to another number is NoCode. A match of a
    // live code uses it up and trusts TRUST (if any: a code that confirms a new number
    // trusts no credential); a miss counts an attempt, the MAX_ATTEMPTS-th voids the code.
    Task<Redemption> redeem_code(
        AccountId account,
        const CodeUse& use,
        std::uint32_t max_attempts,
        std::function<bool(const PendingCode&)> matches,
        std::optional<NewTrust> trust
    );
    // Makes NUMBER the mobile number of ACCOUNT's person in place of the directory's (until
    // the directory's own number changes: rules/directory_diff.hpp), which ends the
    // account's trusts. NotFound: the account has no person in the directory.
    Task<void> set_mobile_phone(AccountId account, std::string_view number);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
