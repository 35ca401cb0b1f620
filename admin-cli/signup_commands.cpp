// mailadm signup request|list|approve|reject: accounts people asked for, checked against
// the directory before an administrator decides, and approved no earlier than
// [signup] eligible_after_days after the person's directory entry was first complete.

#include <boost/asio/ip/address.hpp>
#include <ctime>
#include <variant>

#include "admin-cli/account_json.hpp"
#include "admin-cli/account_provision.hpp"
#include "admin-cli/commands.hpp"
#include "admin-cli/mail_id.hpp"
#include "admin-cli/signup_certificate.hpp"
#include "common/network.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/cert_store.hpp"
#include "storage/directory_store.hpp"
#include "storage/mailstore.hpp"
#include "storage/pg/errc.hpp"
#include "storage/signup_store.hpp"

namespace govmail::admin {
namespace {

struct RequestOptions {
    std::string mail_id;
    std::string employee_no;
    std::string certificate_file;
    std::string source;
};

struct ListOptions {
    bool pending = false;
};

struct DecideOptions {
    storage::SignupId id = 0;
    bool force = false;
    bool existing = false;  // approve into the person's existing account
    std::string reason;
};

// A request with the directory entry of its person, when there is one.
struct CheckedRequest {
    storage::SignupRequest request;
    std::optional<storage::DirectoryPerson> person;
    auth::SignupChecks checks;
    storage::SignupEligibility eligibility;  // of the person; empty without one
    bool eligible = false;                   // eligibility reached now

    // A sentence for each failed check, the waiting after the entry's completion included.
    std::vector<std::string> failures() const {
        auto out = checks.failures();
        if (eligibility.from && !eligible) {
            out.push_back(
                "signup possible from " + eligibility.day +
                " ([signup] eligible_after_days after the directory entry was complete)"
            );
        }
        return out;
    }
};

Json optional_json(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json();
}

Result<CheckedRequest> checked(AdminContext& context, storage::SignupRequest request) {
    std::optional<storage::DirectoryPerson> person;
    if (request.employee_no) {
        auto found =
            context.run(storage::DirectoryStore(context.pool()).find(*request.employee_no));
        if (found) {
            person = std::move(*found);
        } else if (found.error() != make_error_code(storage::Errc::NotFound)) {
            return found.error();
        }
    }
    const auto now = std::time(nullptr);
    const auto certificate = check_certificate(request.cert_pem, now);
    auto checks = auth::signup_checks(person, request.mail_id, certificate);
    storage::SignupEligibility eligibility;
    if (person) {
        const auto& config = context.config();
        auto found = context.run(storage::SignupStore(context.pool())
                                     .eligibility(
                                         person->employee_no,
                                         config.auth.signup.eligible_after_days, config.timezone
                                     ));
        if (!found) {
            return found.error();
        }
        eligibility = std::move(*found);
    }
    const bool eligible = eligibility.reached(now);
    return CheckedRequest{
        std::move(request), std::move(person), checks, std::move(eligibility), eligible};
}

Json request_json(const CheckedRequest& c) {
    const auto& r = c.request;
    Json data{
        {"id", r.id},
        {"mail_id", r.mail_id},
        {"employee_no", optional_json(r.employee_no)},
        {"name", c.person ? Json(c.person->name) : Json()},
        {"state", r.state},
    };
    data.update(c.checks.to_json());
    data["eligible"] = c.eligible;
    data["eligible_from"] = c.eligibility.day.empty() ? Json() : Json(c.eligibility.day);
    data["source"] = optional_json(r.source);
    data["requested"] = iso_time(r.created_at);
    data["reason"] = optional_json(r.reason);
    return data;
}

// The person filing: by employee number, else by the certificate's identity.
Result<std::optional<std::string>> requesting_person(
    AdminContext& context,
    const RequestOptions& options,
    const std::optional<RequestCertificate>& certificate
) {
    if (!options.employee_no.empty()) {
        return std::optional<std::string>(options.employee_no);
    }
    if (!certificate) {
        return std::optional<std::string>();
    }
    auto person =
        context.run(storage::DirectoryStore(context.pool())
                        .find_by_certificate(certificate->subject, certificate->common_name));
    if (person) {
        return std::optional<std::string>(person->employee_no);
    }
    if (person.error() == make_error_code(storage::Errc::NotFound)) {
        return std::optional<std::string>();
    }
    return person.error();
}

Outcome request(AdminContext& context, const RequestOptions& options) {
    if (auto problem = mail_id_problem(options.mail_id)) {
        return refused(*problem);
    }
    std::optional<std::string> source;
    if (!options.source.empty()) {
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(options.source, ec);
        if (ec) {
            return usage_error("'" + options.source + "' is not an IP address");
        }
        if (!allowed_from(context.config().auth.signup.networks, address)) {
            return refused(
                "signup requests are not accepted from " + options.source + " (signup.networks)"
            );
        }
        source = address.to_string();
    }
    std::optional<RequestCertificate> certificate;
    if (!options.certificate_file.empty()) {
        try {
            certificate = read_request_certificate(options.certificate_file);
        } catch (const std::runtime_error& e) {
            return usage_error(e.what());
        }
    }
    const auto person = requesting_person(context, options, certificate);
    if (!person) {
        return storage_failure(person.error(), "directory");
    }
    const storage::NewSignup signup{
        *person, options.mail_id, certificate ? std::optional(certificate->stored) : std::nullopt,
        source};
    auto filed = context.run(storage::SignupStore(context.pool())
                                 .file(signup, [&](const storage::SignupRequest& r) {
                                     return context.audit_entry(
                                         "signup.request", std::nullopt,
                                         "request " + std::to_string(r.id) + " for mail ID " +
                                             options.mail_id + " (employee " +
                                             person->value_or("unknown") + ")"
                                     );
                                 }));
    if (!filed) {
        if (filed.error() == make_error_code(storage::Errc::Exists)) {
            return refused("a request for mail ID " + options.mail_id + " is already pending");
        }
        return storage_failure(filed.error(), "signup request");
    }
    const auto result = checked(context, std::move(*filed));
    if (!result) {
        return storage_failure(result.error(), "directory");
    }
    return Outcome{
        ExitCode::Ok, "filed request " + std::to_string(result->request.id), request_json(*result)};
}

Outcome list(AdminContext& context, const ListOptions& options) {
    auto requests = context.run(storage::SignupStore(context.pool()).list(options.pending));
    if (!requests) {
        return storage_failure(requests.error(), "signup requests");
    }
    Json rows = Json::array();
    for (auto& r : *requests) {
        const auto result = checked(context, std::move(r));
        if (!result) {
            return storage_failure(result.error(), "directory");
        }
        rows.push_back(request_json(*result));
    }
    return Outcome{ExitCode::Ok, {}, rows};
}

// The pending request ID with its checks, or the refusal to decide it.
std::variant<CheckedRequest, Outcome> pending_request(AdminContext& context, storage::SignupId id) {
    auto found = context.run(storage::SignupStore(context.pool()).find(id));
    if (!found) {
        return storage_failure(found.error(), "signup request " + std::to_string(id));
    }
    if (found->state != "pending") {
        return refused("signup request " + std::to_string(id) + " is " + found->state + " already");
    }
    auto result = checked(context, std::move(*found));
    if (!result) {
        return storage_failure(result.error(), "directory");
    }
    return std::move(*result);
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : "; ") + item;
    }
    return out;
}

// The account request C is approved into: none for a new one, the existing one of the same
// person under --existing. Or why it cannot be approved, naming the command that resolves it,
// before any statement fails on a unique key.
std::variant<std::optional<storage::AccountId>, Outcome> approval_target(
    AdminContext& context, const CheckedRequest& c, const std::string& address, bool existing
) {
    const auto id = std::to_string(c.request.id);
    if (const auto certificate = request_identity(c.request.cert_pem)) {
        const storage::CertificateKey key{
            certificate->issuer, certificate->serial, certificate->sha256};
        const auto bound = context.run(storage::CertStore(context.pool()).find(key));
        if (bound) {
            const auto holder =
                context.run(storage::Mailstore(context.pool()).find_account(bound->account));
            return refused(
                "cannot approve request " + id + ": its certificate is already bound to " +
                (holder ? holder->address : "account " + std::to_string(bound->account)) +
                " (`mailadm cert list --account ADDRESS` shows it); end the request with "
                "`mailadm signup reject " +
                id + " --reason TEXT`"
            );
        }
        if (bound.error() != make_error_code(storage::Errc::NotFound)) {
            return storage_failure(bound.error(), "certificate bindings");
        }
    }
    const auto account = context.run(storage::AccountAdminStore(context.pool()).details(address));
    if (!account) {
        if (account.error() != make_error_code(storage::Errc::NotFound)) {
            return storage_failure(account.error(), "account " + address);
        }
        return std::optional<storage::AccountId>();
    }
    const bool same_person = c.request.employee_no && account->employee_no == c.request.employee_no;
    if (!same_person) {
        return refused(
            "cannot approve request " + id + ": " + address +
            " already belongs to someone else; end the request with `mailadm signup reject " + id +
            " --reason TEXT` and file it again with another mail ID"
        );
    }
    if (!existing) {
        return refused(
            "cannot approve request " + id + ": " + address +
            " already exists for the same person (a renewed certificate?); `mailadm signup "
            "approve " +
            id + " --existing` binds the request's certificate to it"
        );
    }
    return std::optional(account->account.id);
}

// The audit detail of an approval: the address, and what was bound, overridden or reused.
std::string approval_summary(
    const DecideOptions& options,
    const std::vector<std::string>& failures,
    const std::string& address,
    const storage::ApprovedSignup& approved,
    bool existing
) {
    auto detail = "request " + std::to_string(options.id) + " approved as " + address;
    detail += approved.certificate_bound ? ", certificate bound" : "";
    detail +=
        failures.empty() ? "" : "; checks overridden (" + joined(failures) + "): " + options.reason;
    detail += existing ? ", into the existing account" : "";
    return detail;
}

Outcome approve(AdminContext& context, const DecideOptions& options) {
    auto pending = pending_request(context, options.id);
    if (auto* outcome = std::get_if<Outcome>(&pending)) {
        return *outcome;
    }
    const auto& c = std::get<CheckedRequest>(pending);
    const auto failures = c.failures();
    if (!failures.empty() && !options.force) {
        return refused(
            "cannot approve request " + std::to_string(options.id) + ": " + joined(failures) +
            " (--force --reason to override)"
        );
    }
    const bool link = c.person && !c.person->retired;
    const auto address = address_for(c.request.mail_id, context.config());
    auto target = approval_target(context, c, address, options.existing);
    if (auto* outcome = std::get_if<Outcome>(&target)) {
        return *outcome;
    }
    const auto existing = std::get<std::optional<storage::AccountId>>(target);
    std::optional<storage::ApprovedSignup> approved;
    const auto finish = [&](storage::AccountId id) -> Result<void> {
        const storage::SignupApproval approval{
            c.request.id,
            id,
            link ? c.request.employee_no : std::nullopt,
            binding_facts(c.request.cert_pem),
            failures.empty() ? std::nullopt : std::optional(options.reason),
            context.actor()};
        auto done = context.run(storage::SignupStore(context.pool())
                                    .approve(approval, [&](const storage::ApprovedSignup& a) {
                                        return context.audit_entry(
                                            "signup.approve", id,
                                            approval_summary(
                                                options, failures, address, a, existing.has_value()
                                            )
                                        );
                                    }));
        if (!done) {
            return done.error();
        }
        approved = std::move(*done);
        return {};
    };
    if (existing) {
        if (auto done = finish(*existing); !done) {
            return storage_failure(done.error(), "request " + std::to_string(options.id));
        }
    } else {
        const storage::NewAccount account{
            address, link ? c.person->name : c.request.mail_id, false,
            link ? c.person->org_unit : ""};
        const auto created = provision_account(
            context, account, " for signup request " + std::to_string(options.id), finish
        );
        if (!created) {
            return storage_failure(created.error(), "request " + std::to_string(options.id));
        }
    }
    const auto details = context.run(storage::AccountAdminStore(context.pool()).details(address));
    if (!details) {
        return storage_failure(details.error(), "account " + address);
    }
    auto data = account_json(*details);
    data["request"] = options.id;
    data["certificate_bound"] = approved->certificate_bound;
    return Outcome{
        ExitCode::Ok,
        "approved request " + std::to_string(options.id) +
            (existing ? ": bound to " : ": created ") + address,
        data};
}

Outcome reject(AdminContext& context, const DecideOptions& options) {
    auto pending = pending_request(context, options.id);
    if (auto* outcome = std::get_if<Outcome>(&pending)) {
        return *outcome;
    }
    const auto& c = std::get<CheckedRequest>(pending);
    const auto detail = "request " + std::to_string(options.id) + " for mail ID " +
                        c.request.mail_id + " rejected: " + options.reason;
    auto rejected = context.run(storage::SignupStore(context.pool())
                                    .reject(
                                        options.id, options.reason, context.actor(),
                                        context.audit_entry("signup.reject", std::nullopt, detail)
                                    ));
    if (!rejected) {
        return storage_failure(rejected.error(), "signup request " + std::to_string(options.id));
    }
    return Outcome{
        ExitCode::Ok, "rejected request " + std::to_string(options.id),
        request_json(CheckedRequest{
            std::move(*rejected), c.person, c.checks, c.eligibility, c.eligible})};
}

}  // namespace

void add_signup_commands(CLI::App& app, Action& chosen) {
    auto* signup = app.add_subcommand("signup", "account requests and their approval");
    signup->require_subcommand(1);

    auto* request_cmd = signup->add_subcommand(
        "request", "file a signup request for a person (checked when listed and approved)"
    );
    auto request_options = std::make_shared<RequestOptions>();
    request_cmd->add_option("MAIL_ID", request_options->mail_id, "the mail ID asked for")
        ->required();
    request_cmd->add_option(
        "--employee", request_options->employee_no,
        "the person's employee number (default: found by the certificate's identity)"
    );
    request_cmd->add_option(
        "--cert", request_options->certificate_file,
        "PEM file with the person's GPKI certificate, bound to the account at approval"
    );
    request_cmd->add_option(
        "--source", request_options->source,
        "IP address the request came from (checked against signup.networks)"
    );
    choose_on_parse(request_cmd, chosen, request_options, request);

    auto* list_cmd = signup->add_subcommand("list", "list signup requests with their checks");
    auto list_options = std::make_shared<ListOptions>();
    list_cmd->add_flag("--pending", list_options->pending, "only requests not decided yet");
    choose_on_parse(list_cmd, chosen, list_options, list);

    auto* approve_cmd = signup->add_subcommand(
        "approve",
        "create the account with standard mailboxes and bind the certificate; refused when a "
        "check fails (the waiting of [signup] eligible_after_days included) unless --force "
        "with --reason"
    );
    auto approve_options = std::make_shared<DecideOptions>();
    approve_cmd->add_option("ID", approve_options->id, "the request")->required();
    auto* reason = approve_cmd->add_option(
        "--reason", approve_options->reason, "why failed checks are overridden (recorded)"
    );
    approve_cmd->add_flag("--force", approve_options->force, "approve despite failed checks")
        ->needs(reason);
    approve_cmd->add_flag(
        "--existing", approve_options->existing,
        "bind the certificate to the person's existing account instead of creating one"
    );
    choose_on_parse(approve_cmd, chosen, approve_options, approve);

    auto* reject_cmd = signup->add_subcommand("reject", "reject a request, recording why");
    auto reject_options = std::make_shared<DecideOptions>();
    reject_cmd->add_option("ID", reject_options->id, "the request")->required();
    reject_cmd->add_option("--reason", reject_options->reason, "why (recorded)")->required();
    choose_on_parse(reject_cmd, chosen, reject_options, reject);
}

}  // namespace govmail::admin
