// RCPT TO resolution in local domains (see recipients.hpp).

#include "smtpd/lib/recipients.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "common/ascii.hpp"
#include "common/logging.hpp"
#include "smtpd/lib/srs.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::smtpd {
namespace {

using boost::asio::awaitable;

bool not_found(const boost::system::error_code& ec) {
    return ec == make_error_code(storage::Errc::NotFound);
}

// The account a role address goes to: [server] postmaster for postmaster, abuse for abuse;
// empty when LOCAL_PART is no role or its key is unset.
std::string_view role_account(const Config& config, std::string_view local_part) {
    if (ascii::iequals(local_part, "postmaster")) {
        return config.postmaster;
    }
    if (ascii::iequals(local_part, "abuse")) {
        return config.abuse;
    }
    return {};
}

LocalRecipient to_account(const storage::Account& account) {
    return LocalRecipient{policy::RecipientStatus::Local, account.address, {account.id}, {}, {}};
}

bool forwarding_on(const Config& config) {
    return !config.smtp.srs_secret.empty() && !config.postmaster.empty();
}

srs::Key srs_key(const Config& config, std::int64_t now) {
    return srs::Key{
        config.smtp.srs_secret, config.local_domains.empty() ? "" : config.local_domains.front(),
        now, config.smtp.srs_max_age_days};
}

// A bounce (null sender) to the SRS address whose local part is LOCAL_PART goes on to the
// original sender; anything else to such an address is unknown.
LocalRecipient resolve_srs(
    const SmtpContext& ctx,
    std::string address,
    std::string_view local_part,
    std::string_view sender
) {
    LocalRecipient out{policy::RecipientStatus::Unknown, std::move(address), {}, {}, {}};
    if (!sender.empty()) {
        return out;
    }
    if (auto original = srs::reverse(srs_key(ctx.config, ctx.now()), local_part)) {
        out.status = policy::RecipientStatus::Local;
        out.forwards.push_back(std::move(*original));
    }
    return out;
}

awaitable<Result<LocalRecipient>> resolve_alias(
    const SmtpContext& ctx, const std::string& address
) {
    const auto& smtp = ctx.config.smtp;
    auto expansion =
        co_await ctx.addresses->expand_alias(address, smtp.max_alias_depth, smtp.max_alias_targets);
    if (!expansion) {
        co_return expansion.error();
    }
    LocalRecipient out{policy::RecipientStatus::Local, address, expansion->accounts, {}, {}};
    out.refusal = policy::check_alias(*expansion);
    for (const auto& other : expansion->others) {
        if (!policy::in_local_domain(ctx.config, other) && forwarding_on(ctx.config)) {
            out.forwards.push_back(other);
        } else {
            // A local address that is no account (any more), or one elsewhere with
            // forwarding off.
            spdlog::warn(
                "smtp: alias <{}> target <{}> is no account and not forwarded, skipped",
                printable(address), printable(other)
            );
        }
    }
    if (!out.refusal && out.accounts.empty() && out.forwards.empty()) {
        out.status = policy::RecipientStatus::Unknown;
    }
    co_return out;
}

awaitable<Result<LocalRecipient>> resolve_unit_list(
    const SmtpContext& ctx, const std::string& address, std::string_view sender
) {
    auto list = co_await ctx.addresses->unit_list_members(address);
    if (!list) {
        co_return list.error();
    }
    const bool member =
        std::any_of(list->accounts.begin(), list->accounts.end(), [&](const auto& account) {
            return ascii::iequals(account.address, sender);
        });
    LocalRecipient out{policy::RecipientStatus::Local, list->list.address, {}, {}, {}};
    out.refusal = policy::check_list_post(ctx.config, sender, list->list.policy, member);
    for (const auto& account : list->accounts) {
        out.accounts.push_back(account.id);
    }
    co_return out;
}

}  // namespace

awaitable<Result<LocalRecipient>> resolve_local_recipient(
    const SmtpContext& ctx, std::string address, std::string_view sender
) {
    const auto at = address.rfind('@');
    const auto local_part = std::string_view(address).substr(0, at);
    if (srs::is_srs(local_part) && forwarding_on(ctx.config)) {
        co_return resolve_srs(ctx, address, local_part, sender);
    }
    const auto role = role_account(ctx.config, local_part);
    auto account = co_await ctx.store.find_account(role.empty() ? address : role);
    if (account) {
        // Locked and retired accounts keep receiving mail (SPEC: retirees).
        co_return to_account(*account);
    }
    if (!not_found(account.error()) || !role.empty()) {
        co_return account.error();  // a role account that went away is the server's fault
    }
    if (ctx.addresses == nullptr) {
        co_return LocalRecipient{};
    }
    auto alias = co_await resolve_alias(ctx, address);
    if (alias || !not_found(alias.error())) {
        co_return alias;
    }
    if (ctx.config.directory.unit_lists) {
        auto list = co_await resolve_unit_list(ctx, address, sender);
        if (list || !not_found(list.error())) {
            co_return list;
        }
    }
    co_return LocalRecipient{};
}

std::string forward_sender(const Config& config, std::string_view sender, std::int64_t now) {
    if (sender.empty() || policy::in_local_domain(config, sender)) {
        return std::string(sender);
    }
    return srs::forward(srs_key(config, now), sender).value_or(std::string(sender));
}

std::string report_recipient(const Config& config, std::string_view sender, std::int64_t now) {
    const auto at = sender.rfind('@');
    if (at == std::string_view::npos || !forwarding_on(config) ||
        !policy::in_local_domain(config, sender)) {
        return std::string(sender);
    }
    return srs::reverse(srs_key(config, now), sender.substr(0, at)).value_or(std::string(sender));
}

awaitable<void> check_role_accounts(const Config& config, storage::Mailstore& store) {
    for (const auto& [key, address] :
         {std::pair{"postmaster", &config.postmaster}, std::pair{"abuse", &config.abuse}}) {
        if (address->empty()) {
            continue;
        }
        const auto account = co_await store.find_account(*address);
        if (!account) {
            throw std::runtime_error(
                std::string("config: [server] ") + key + " = '" + *address +
                (not_found(account.error()) ? "' names no account"
                                            : "' cannot be checked: " + account.error().message())
            );
        }
    }
}

}  // namespace govmail::smtpd
