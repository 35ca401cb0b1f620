#include "portal/oauth_form.hpp"

namespace govmail::portal {

auth::oauth::AuthorizationRequest authorization_request(const Fields& fields) {
    return auth::oauth::AuthorizationRequest{
        std::string(field(fields, "response_type")),
        std::string(field(fields, "client_id")),
        std::string(field(fields, "redirect_uri")),
        std::string(field(fields, "code_challenge")),
        std::string(field(fields, "code_challenge_method")),
        std::string(field(fields, "state")),
        std::string(field(fields, "scope")),
    };
}

}  // namespace govmail::portal
