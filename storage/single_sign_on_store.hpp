#pragma once

// What the portal's single sign-on remembers between requests (storage/sql/single_sign_on.hpp):
// the SAML AuthnRequests it issued, the assertions it accepted, and OAuth authorisation codes.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct OauthCode {
    AccountId account = 0;
    std::string address;
    std::string client_id;
    std::string redirect_uri;
    std::string code_challenge;
};

class SingleSignOnStore {
public:
    explicit SingleSignOnStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    Task<void> record_saml_request(std::string request_id, std::chrono::seconds lifetime);
    // NotFound unless REQUEST_ID was issued, has not expired and was not answered before.
    Task<void> take_saml_request(std::string request_id);
    // Exists when ASSERTION_ID was accepted before (a replay).
    Task<void> record_saml_assertion(std::string assertion_id, std::int64_t expires_at);

    Task<void> create_oauth_code(
        std::string code_sha256,
        AccountId account,
        std::string client_id,
        std::string redirect_uri,
        std::string code_challenge,
        std::chrono::seconds lifetime
    );
    // The code, which can never be taken again; NotFound when unknown, used or expired.
    Task<OauthCode> take_oauth_code(std::string code_sha256);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
