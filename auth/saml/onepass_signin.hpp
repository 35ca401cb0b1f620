#pragma once

// Digital OnePass sign-in to the portal, end to end but for HTTP: start() makes the
// AuthnRequest redirect and remembers its ID; finish() takes the SAMLResponse form field,
// verifies it (response_verifier.hpp), then answers only a request this SP issued and not yet
// answered, accepts each assertion ID once (kept until the assertion expires), and maps the
// OnePass user key to a directory person. A person without an account is sent to signup (a
// retired one is refused); a person with one is logged in by the Authenticator
// (Method::OnePass), which alone decides whether the account may log in.

#include <boost/asio/awaitable.hpp>
#include <ctime>
#include <optional>
#include <string>

#include "auth/saml/authn_request.hpp"
#include "auth/saml/response_verifier.hpp"
#include "common/config.hpp"
#include "common/result.hpp"
#include "rules/directory_person.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::auth::saml {

enum class SignInRefusal {
    Response,        // the response failed a check: see `response`
    UnknownRequest,  // InResponseTo names no request of ours, an answered or an expired one
    Replayed,        // the assertion was used before
    UnknownPerson,   // the user key names nobody in the directory
    Retired,         // the person has left and has no account to sign in to
};

struct SignInOutcome {
    std::optional<SignInRefusal> refusal;  // none: signed in, or sent to signup
    std::optional<SamlRefusal> response;   // why the response was refused
    rules::DirectoryPerson person;       // who signed in; person.account unset: signup
    std::string request_id;  // the AuthnRequest answered, once the response was matched to it
};

class OnePassSignIn {
public:
    // Throws std::runtime_error when a configured certificate or key cannot be read.
    OnePassSignIn(OnePassConfig config, storage::Pool& pool);

    boost::asio::awaitable<Result<AuthnRedirect>> start(std::string relay_state, std::time_t now);
    // An error only when the database failed.
    boost::asio::awaitable<Result<SignInOutcome>> finish(
        std::string saml_response, std::time_t now
    );

private:
    boost::asio::awaitable<Result<SignInOutcome>> map_user(std::string user_key);

    OnePassConfig config_;
    storage::Pool& pool_;
    AuthnRequestBuilder requests_;
    ResponseVerifier verifier_;
};

}  // namespace govmail::auth::saml
