// The signup request page (SPEC "Signup"): a person Digital OnePass vouched for, or the owner
// of a good GPKI certificate, who has no account (they hold a signup pass, signup_passes.hpp)
// sees their directory entry with the checks an administrator sees in `mailadm signup list`,
// and asks for an account with the directory's mail ID; a certificate's request carries the
// certificate, bound to the account on approval. Only from [signup] networks; never for a
// person who has left. The administrator decides with `mailadm signup approve|reject`.

#include <spdlog/spdlog.h>

#include <variant>

#include "auth/signup_checks.hpp"
#include "common/network.hpp"
#include "portal/html.hpp"
#include "portal/pages/pages.hpp"
#include "selfservice/audit.hpp"
#include "storage/directory_store.hpp"
#include "storage/pg/errc.hpp"
#include "storage/signup_store.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

Response signup_page(const Visit& visit, std::string_view body, unsigned status) {
    return html_response(
        page(visit.lang, tr(visit.lang, Msg::Signup), body, false, visit.csrf_token), status
    );
}

Response message_page(const Visit& visit, Msg message, unsigned status) {
    return signup_page(visit, alert(tr(visit.lang, message)), status);
}

std::string check_row(Lang lang, std::string_view id, Msg name, bool passed) {
    return "<tr id=\"check-" + std::string(id) + "\" class=\"" + (passed ? "passed" : "failed") +
           "\"><td>" + escape(tr(lang, name)) + "</td><td>" +
           escape(tr(lang, passed ? Msg::CheckPassed : Msg::CheckFailed)) + "</td></tr>";
}

std::string checks_table(Lang lang, const auth::SignupChecks& checks) {
    return "<h2>" + escape(tr(lang, Msg::DirectoryChecks)) + "</h2><table id=\"checks\">" +
           check_row(lang, "in-directory", Msg::CheckInDirectory, checks.in_directory) +
           check_row(lang, "mail-id", Msg::CheckMailId, checks.mail_id_matches) +
           check_row(lang, "office-phone", Msg::CheckOfficePhone, checks.office_phone) +
           check_row(lang, "mobile-phone", Msg::CheckMobilePhone, checks.mobile_phone) + "</table>";
}

std::string person_summary(Lang lang, const storage::DirectoryPerson& person) {
    return "<dl id=\"person\"><dt>" + escape(tr(lang, Msg::PersonName)) + "</dt><dd>" +
           escape(person.name) + "</dd><dt>" + escape(tr(lang, Msg::EmployeeNo)) +
           "</dt><dd id=\"employee-no\">" + escape(person.employee_no) + "</dd><dt>" +
           escape(tr(lang, Msg::MailId)) + "</dt><dd id=\"mail-id\">" + escape(person.mail_id) +
           "</dd></dl>";
}

struct Applicant {
    SignupPass pass;
    storage::DirectoryPerson person;
};

// The pass and the holder's directory entry; an error page when there is no pass, no entry,
// or the person has left, and the sign-in they came from when they have an account by now.
awaitable<std::variant<Applicant, Response>> applicant(
    Portal& portal, const Request& request, const Visit& visit
) {
    auto pass = portal.signup_passes.find(field(request.cookies, kSignupCookie));
    if (!pass) {
        co_return message_page(visit, Msg::SignupNeedsSignIn, 403);
    }
    auto person = co_await storage::DirectoryStore(portal.pool).find(pass->employee_no);
    if (!person) {
        if (person.error() == make_error_code(storage::Errc::NotFound)) {
            co_return message_page(visit, Msg::SignupNotInDirectory, 403);
        }
        spdlog::error("portal: directory look-up failed: {}", person.error().message());
        co_return message_page(visit, Msg::TemporaryError, 503);
    }
    if (person->retired) {
        co_return message_page(visit, Msg::SignupRetired, 403);
    }
    if (person->account) {  // approved since: their sign-in now signs them in
        co_return redirect(pass->certificate ? std::string("/signin") : std::string(kOnePassPath));
    }
    co_return Applicant{std::move(*pass), std::move(*person)};
}

std::string request_form(const Visit& visit, const auth::SignupChecks& checks) {
    if (!checks.mail_id_matches) {
        return alert(tr(visit.lang, Msg::SignupNotInDirectory));
    }
    return "<form id=\"signup-form\" method=\"post\" action=\"" + std::string(kSignupPath) + "\">" +
           csrf_field(visit.csrf_token) + "<button id=\"signup-submit\" type=\"submit\">" +
           escape(tr(visit.lang, Msg::SignupSubmit)) + "</button></form>";
}

// The checks of the applicant asking for the directory's mail ID, as `mailadm signup list`
// computes them (the certificate of a pass was verified at the sign-in).
auth::SignupChecks checks_of(const Applicant& applicant) {
    return auth::signup_checks(
        applicant.person, applicant.person.mail_id,
        applicant.pass.certificate ? auth::CertificateCheck::Valid : auth::CertificateCheck::None
    );
}

awaitable<Response> get_signup(Portal& portal, const Request& request, const Visit& visit) {
    auto found = co_await applicant(portal, request, visit);
    if (auto* refusal = std::get_if<Response>(&found)) {
        co_return std::move(*refusal);
    }
    const auto& person = std::get<Applicant>(found).person;
    const auto checks = checks_of(std::get<Applicant>(found));
    const auto lang = visit.lang;
    co_return signup_page(
        visit,
        "<p>" + escape(tr(lang, Msg::SignupIntro)) + "</p>" + person_summary(lang, person) +
            checks_table(lang, checks) + request_form(visit, checks),
        200
    );
}

awaitable<Response> post_signup(Portal& portal, const Request& request, const Visit& visit) {
    if (!allowed_from(portal.config.auth.signup.networks, request.peer)) {
        co_return message_page(visit, Msg::SignupNotAllowed, 403);
    }
    auto found = co_await applicant(portal, request, visit);
    if (auto* refusal = std::get_if<Response>(&found)) {
        co_return std::move(*refusal);
    }
    const auto& [pass, person] = std::get<Applicant>(found);
    const auto checks = checks_of(std::get<Applicant>(found));
    if (!checks.mail_id_matches) {
        co_return message_page(visit, Msg::SignupNotInDirectory, 403);
    }
    const storage::NewSignup signup{
        person.employee_no, person.mail_id, pass.certificate, request.peer.to_string()};
    const selfservice::Actor visitor{
        "employee " + person.employee_no, "portal", request.peer.to_string()};
    const auto about = " for mail ID " + person.mail_id + " (employee " + person.employee_no +
                       (pass.certificate ? ", certificate)" : ", onepass)");
    const auto filed = co_await storage::SignupStore(portal.pool)
                           .file(signup, [&](const storage::SignupRequest& r) {
                               return selfservice::audit_entry(
                                   visitor, "signup.request", std::nullopt,
                                   "request " + std::to_string(r.id) + about
                               );
                           });
    if (!filed) {
        if (filed.error() == make_error_code(storage::Errc::Exists)) {
            co_return message_page(visit, Msg::SignupPending, 409);
        }
        spdlog::error("portal: signup request not filed: {}", filed.error().message());
        co_return message_page(visit, Msg::TemporaryError, 503);
    }
    const auto id = std::to_string(filed->id);
    const auto lang = visit.lang;
    co_return signup_page(
        visit,
        "<p role=\"status\">" + escape(tr(lang, Msg::SignupFiled)) + " <strong id=\"request-id\">" +
            id + "</strong></p>" + person_summary(lang, person) + checks_table(lang, checks),
        200
    );
}

}  // namespace

Response to_signup(Portal& portal, SignupPass pass) {
    const auto token = portal.signup_passes.issue(std::move(pass));
    auto out = redirect(std::string(kSignupPath));
    out.headers.emplace_back(
        "Set-Cookie", set_cookie(kSignupCookie, token, kSignupPassLifetime, SameSite::Lax)
    );
    return out;
}

void add_signup_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", std::string(kSignupPath), Access::Public, get_signup);
    r.add("POST", std::string(kSignupPath), Access::Public, post_signup);
}

}  // namespace govmail::portal
