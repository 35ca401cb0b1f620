// mailadm autoreply set|show|off: an account's away auto-reply (storage/autoreply_store.hpp).
// smtpd answers with it at delivery time, following RFC 3834 and RFC 5230
// (smtpd/lib/autoreply.hpp). Changes are audited.

#include <fstream>
#include <sstream>

#include "admin-cli/commands.hpp"
#include "admin-cli/text_encoding.hpp"
#include "rules/autoreply_rules.hpp"
#include "selfservice/away.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/autoreply_store.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::admin {
namespace {

struct SetOptions {
    std::string address;
    std::string subject;
    std::string body;
    std::string body_file;
    std::string start;
    std::string end;
    std::string scope = "all";
    int days = storage::kDefaultAutoReplyDays;
};

struct AddressOptions {
    std::string address;
};

// The body: --body as given, or --body-file in UTF-8 or CP949; an error message otherwise.
std::variant<std::string, Outcome> read_body(const SetOptions& options) {
    if (options.body_file.empty()) {
        return options.body;
    }
    std::ifstream in(options.body_file, std::ios::binary);
    if (!in) {
        return usage_error("cannot read " + options.body_file);
    }
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (bytes.str().size() > rules::kMaxAutoReplyBodyBytes) {
        return usage_error(options.body_file + " is larger than 64 KiB");
    }
    auto decoded = decode_text(bytes.str());
    if (decoded.encoding.empty()) {
        return usage_error(
            options.body_file + ": line " + std::to_string(decoded.bad_line) +
            " is neither UTF-8 nor CP949"
        );
    }
    return std::move(decoded.text);
}

std::optional<Outcome> setting_problem(const storage::AutoReplySetting& s) {
    if (auto problem = rules::autoreply_setting_problem(s)) {
        return usage_error(*problem);
    }
    return std::nullopt;
}

Json optional_json(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json setting_json(const std::string& address, const storage::AutoReplySetting& s) {
    return Json{
        {"address", address},
        {"enabled", s.enabled},
        {"subject", s.subject},
        {"body", s.body},
        {"start", optional_json(s.starts_on)},
        {"end", optional_json(s.ends_on)},
        {"scope", std::string(storage::to_string(s.scope))},
        {"days", s.period_days},
    };
}

Outcome set(AdminContext& context, const SetOptions& options) {
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    auto body = read_body(options);
    if (auto* failed = std::get_if<Outcome>(&body)) {
        return *failed;
    }
    storage::AutoReplySetting setting;
    setting.account = details->account.id;
    setting.enabled = true;
    setting.subject = options.subject;
    setting.body = std::get<std::string>(std::move(body));
    if (!options.start.empty()) {
        setting.starts_on = options.start;
    }
    if (!options.end.empty()) {
        setting.ends_on = options.end;
    }
    setting.scope =
        storage::parse_autoreply_scope(options.scope).value_or(storage::AutoReplyScope::All);
    setting.period_days = options.days;
    if (auto problem = setting_problem(setting)) {
        return *problem;
    }
    if (auto stored =
            context.run(selfservice::set_away(context.pool(), context.audit_actor(), setting));
        !stored) {
        return storage_failure(stored.error(), "away reply of " + details->account.address);
    }
    return Outcome{
        ExitCode::Ok,
        "away reply of " + details->account.address + ": " + selfservice::away_summary(setting),
        setting_json(details->account.address, setting)};
}

Outcome show(AdminContext& context, const AddressOptions& options) {
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    auto setting = context.run(storage::AutoReplyStore(context.pool()).find(details->account.id));
    if (!setting) {
        if (setting.error() != make_error_code(storage::Errc::NotFound)) {
            return storage_failure(setting.error(), "away reply of " + details->account.address);
        }
        setting = storage::AutoReplySetting{};  // never set: off
    }
    return Outcome{
        ExitCode::Ok,
        "away reply of " + details->account.address + ": " + selfservice::away_summary(*setting),
        setting_json(details->account.address, *setting)};
}

Outcome off(AdminContext& context, const AddressOptions& options) {
    const auto details =
        context.run(storage::AccountAdminStore(context.pool()).details(options.address));
    if (!details) {
        return storage_failure(details.error(), "account " + options.address);
    }
    const auto switched = context.run(
        selfservice::switch_away_off(context.pool(), context.audit_actor(), details->account.id)
    );
    if (!switched) {
        return storage_failure(switched.error(), "away reply of " + details->account.address);
    }
    if (!*switched) {
        return refused("the away reply of " + details->account.address + " is off already");
    }
    return Outcome{
        ExitCode::Ok, "away reply of " + details->account.address + " switched off",
        Json{{"address", details->account.address}, {"enabled", false}}};
}

std::shared_ptr<AddressOptions> add_address(CLI::App* sub) {
    auto options = std::make_shared<AddressOptions>();
    sub->add_option("ADDRESS", options->address, "the account's mail address")->required();
    return options;
}

}  // namespace

void add_autoreply_commands(CLI::App& app, Action& chosen) {
    auto* autoreply = app.add_subcommand(
        "autoreply", "away auto-replies, sent at delivery (RFC 3834, RFC 5230 vacation rules)"
    );
    autoreply->require_subcommand(1);

    auto* set_cmd = autoreply->add_subcommand(
        "set", "set an account's away reply and switch it on (every option replaces the old one)"
    );
    auto set_options = std::make_shared<SetOptions>();
    set_cmd->add_option("ADDRESS", set_options->address, "the account's mail address")->required();
    set_cmd->add_option(
        "--subject", set_options->subject, "the reply's subject; default \"Auto: \" + the original"
    );
    auto* body = set_cmd->add_option("--body", set_options->body, "the away text");
    auto* body_file = set_cmd->add_option(
        "--body-file", set_options->body_file, "read the away text from a file (UTF-8 or CP949)"
    );
    body->excludes(body_file);
    set_cmd->add_option("--start", set_options->start, "first day to answer, YYYY-MM-DD");
    set_cmd->add_option("--end", set_options->end, "last day to answer, YYYY-MM-DD");
    set_cmd
        ->add_option(
            "--scope", set_options->scope,
            "who gets the reply: all senders, or only those in the organisation's domains"
        )
        ->check(CLI::IsMember({"all", "organisation"}))
        ->capture_default_str();
    set_cmd
        ->add_option("--days", set_options->days, "at most one reply per sender in this many days")
        ->check(CLI::Range(1, rules::kMaxAutoReplyDays))
        ->capture_default_str();
    set_cmd->callback([&chosen, set_options, body, body_file] {
        if (body->count() + body_file->count() == 0) {
            throw CLI::RequiredError("--body or --body-file");
        }
        chosen = [set_options](AdminContext& context) { return set(context, *set_options); };
    });

    auto* show_cmd = autoreply->add_subcommand("show", "show an account's away reply");
    choose_on_parse(show_cmd, chosen, add_address(show_cmd), show);

    auto* off_cmd =
        autoreply->add_subcommand("off", "switch an account's away reply off (the text is kept)");
    choose_on_parse(off_cmd, chosen, add_address(off_cmd), off);
}

}  // namespace govmail::admin
