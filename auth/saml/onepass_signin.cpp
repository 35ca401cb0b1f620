#include "auth/saml/onepass_signin.hpp"

#include "storage/directory_store.hpp"
#include "storage/pg/errc.hpp"
#include "storage/single_sign_on_store.hpp"

namespace govmail::auth::saml {
namespace {

using boost::asio::awaitable;

SignInOutcome refused(SignInRefusal refusal) {
    SignInOutcome out;
    out.refusal = refusal;
    return out;
}

bool is_not_found(const boost::system::error_code& error) {
    return error == make_error_code(storage::Errc::NotFound);
}

// The person whose FIELD (employee_no or mail_id) is KEY.
awaitable<Result<rules::DirectoryPerson>> find_person(
    storage::DirectoryStore& directory, std::string field, std::string key
) {
    if (field == "mail_id") {
        co_return co_await directory.find_by_mail_id(key);
    }
    co_return co_await directory.find(key);
}

}  // namespace

OnePassSignIn::OnePassSignIn(OnePassConfig config, storage::Pool& pool)
    : config_(std::move(config)), pool_(pool), requests_(config_), verifier_(config_) {}

awaitable<Result<AuthnRedirect>> OnePassSignIn::start(std::string relay_state, std::time_t now) {
    auto redirect = requests_.build(relay_state, now);
    storage::SingleSignOnStore store(pool_);
    if (auto r = co_await store.record_saml_request(redirect.request_id, config_.request_lifetime);
        !r) {
        co_return r.error();
    }
    co_return redirect;
}

awaitable<Result<SignInOutcome>> OnePassSignIn::finish(std::string saml_response, std::time_t now) {
    const auto verdict = verifier_.verify_form_field(saml_response, now);
    if (!verdict.assertion) {
        auto out = refused(SignInRefusal::Response);
        out.response = verdict.refusal;
        co_return out;
    }
    // The assertion first: a replayed response is told apart from one answering no request.
    storage::SingleSignOnStore store(pool_);
    const auto recorded = co_await store.record_saml_assertion(
        verdict.assertion->assertion_id, verdict.assertion->expires_at
    );
    if (!recorded) {
        if (recorded.error() == make_error_code(storage::Errc::Exists)) {
            co_return refused(SignInRefusal::Replayed);
        }
        co_return recorded.error();
    }
    const auto taken = co_await store.take_saml_request(verdict.assertion->in_response_to);
    if (!taken) {
        if (is_not_found(taken.error())) {
            co_return refused(SignInRefusal::UnknownRequest);
        }
        co_return taken.error();
    }
    auto out = co_await map_user(verdict.assertion->user_key);
    if (out) {
        out->request_id = verdict.assertion->in_response_to;
    }
    co_return out;
}

awaitable<Result<SignInOutcome>> OnePassSignIn::map_user(std::string user_key) {
    storage::DirectoryStore directory(pool_);
    auto person = co_await find_person(directory, config_.person_field, user_key);
    if (!person) {
        if (is_not_found(person.error())) {
            co_return refused(SignInRefusal::UnknownPerson);
        }
        co_return person.error();
    }
    // Signup is not for people who left; whether an account may log in is the
    // Authenticator's to decide.
    if (person->retired && !person->account) {
        co_return refused(SignInRefusal::Retired);
    }
    SignInOutcome out;
    out.person = std::move(*person);
    co_return out;
}

}  // namespace govmail::auth::saml
