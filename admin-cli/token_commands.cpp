// mailadm token issue|rotate: access tokens of the suite's token service without the portal
// (for tests and for service accounts), and signing key rotation. A token is printed once
// and never logged or audited; the audit log records that one was issued.

#include <ctime>

#include "admin-cli/commands.hpp"
#include "auth/token_keys.hpp"
#include "auth/token_service.hpp"
#include "storage/account_state.hpp"
#include "storage/mailstore.hpp"

namespace govmail::admin {
namespace {

struct IssueOptions {
    std::string address;
    std::optional<std::int64_t> ttl;
};

struct RotateOptions {};

Outcome issue(AdminContext& context, const IssueOptions& options) {
    const auto& config = context.config().auth.token;
    const auto ttl = std::chrono::seconds(options.ttl.value_or(config.ttl.count()));
    if (ttl.count() <= 0) {
        return usage_error("--ttl must be a positive number of seconds");
    }
    const auto account =
        context.run(storage::Mailstore(context.pool()).find_account(options.address));
    if (!account) {
        return storage_failure(account.error(), "account " + options.address);
    }
    if (!storage::may_log_in(account->state)) {
        return refused("account " + account->address + " is not active");
    }
    auto token = auth::TokenIssuer(config).issue(account->address, ttl, std::time(nullptr));
    const auto detail = "valid " + std::to_string(ttl.count()) + " s";
    if (auto audited = context.audit("token.issue", account->id, detail); !audited) {
        return storage_failure(audited.error(), "audit log");
    }
    return Outcome{ExitCode::Ok, std::move(token), {}};
}

Outcome rotate(AdminContext& context, const RotateOptions& /*options*/) {
    const auto kid =
        auth::create_signing_key(context.config().auth.token.key_dir, std::time(nullptr));
    if (auto audited = context.audit("token.rotate", std::nullopt, "new key " + kid); !audited) {
        return storage_failure(audited.error(), "audit log");
    }
    return Outcome{ExitCode::Ok, "new signing key " + kid, {}};
}

}  // namespace

void add_token_commands(CLI::App& app, Action& chosen) {
    auto* group = app.add_subcommand("token", "access tokens for OAUTHBEARER / XOAUTH2");
    group->require_subcommand(1);

    auto* issue_cmd = group->add_subcommand("issue", "print an access token for an account");
    auto issue_options = std::make_shared<IssueOptions>();
    issue_cmd->add_option("ADDRESS", issue_options->address, "mail address")->required();
    issue_cmd->add_option("--ttl", issue_options->ttl, "lifetime in seconds ([token] ttl_s)");
    choose_on_parse(issue_cmd, chosen, issue_options, issue);

    auto* rotate_cmd =
        group->add_subcommand("rotate", "make a new signing key; older keys still verify");
    choose_on_parse(rotate_cmd, chosen, std::make_shared<RotateOptions>(), rotate);
}

}  // namespace govmail::admin
