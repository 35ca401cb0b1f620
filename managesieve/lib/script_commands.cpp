#include "managesieve/lib/script_commands.hpp"

#include <spdlog/spdlog.h>

#include "common/utf8.hpp"
#include "managesieve/proto/response.hpp"
#include "managesieve/proto/sieve_vacation.hpp"
#include "rules/autoreply_rules.hpp"
#include "rules/autoreply_script.hpp"
#include "storage/autoreply_store.hpp"
#include "storage/pg/errc.hpp"
#include "storage/sieve_store.hpp"

namespace govmail::managesieve {
namespace {

namespace asio = boost::asio;
using asio::awaitable;

constexpr std::size_t kMaxNameBytes = 128;

bool is(const boost::system::error_code& ec, storage::Errc errc) {
    return ec == make_error_code(errc);
}

std::string internal_error(const ScriptContext& c, const boost::system::error_code& ec) {
    spdlog::error("managesieve {}: storage: {}", c.session_id, ec.message());
    return no("Internal error, see server log (session " + c.session_id + ")", "TRYLATER");
}

// RFC 5804 section 1.6: UTF-8 without control characters.
bool valid_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxNameBytes || !is_valid_utf8(name)) {
        return false;
    }
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            return false;
        }
    }
    return true;
}

// The away reply SCRIPT describes for ACCOUNT, or the NO response saying why it cannot be.
std::variant<std::optional<storage::AutoReplySetting>, std::string> meaning(
    storage::AccountId account, std::string_view script
) {
    if (script.size() > kMaxScriptBytes) {
        return no("The script is larger than 128 KiB", "QUOTA/MAXSIZE");
    }
    auto parsed = parse_vacation_script(script);
    if (auto* error = std::get_if<SieveError>(&parsed)) {
        return no(error->text);
    }
    auto& vacation = std::get<SieveMeaning>(parsed).vacation;
    if (!vacation) {
        return std::optional<storage::AutoReplySetting>{};
    }
    storage::AutoReplySetting setting;
    setting.account = account;
    setting.enabled = true;
    setting.subject = std::move(vacation->subject);
    setting.body = std::move(vacation->body);
    setting.starts_on = std::move(vacation->starts_on);
    setting.ends_on = std::move(vacation->ends_on);
    setting.period_days = vacation->days;
    if (auto problem = rules::autoreply_setting_problem(setting)) {
        return no(*problem);
    }
    return std::optional<storage::AutoReplySetting>{std::move(setting)};
}

// Makes SCRIPT's away reply the account's (or switches it off when it has none).
awaitable<std::string> activate(const ScriptContext& c, std::string_view script) {
    auto described = meaning(c.account, script);
    if (auto* refusal = std::get_if<std::string>(&described)) {
        co_return *refusal;
    }
    storage::SieveStore store(c.pool);
    const auto& setting = std::get<std::optional<storage::AutoReplySetting>>(described);
    Result<void> done;
    if (setting) {
        done = co_await store.activate(*setting);
    } else {
        done = co_await store.deactivate(c.account);
    }
    if (!done) {
        co_return internal_error(c, done.error());
    }
    spdlog::info(
        "managesieve {}: away reply {} by script", c.session_id, setting ? "set" : "switched off"
    );
    co_return ok();
}

// Whether SCRIPT is the one govmail wrote from the account's away reply (the portal or
// mailadm set it): a client may replace it under a name of its own, as it could when the
// reply had no script.
awaitable<Result<bool>> written_from_the_rule(
    const ScriptContext& c, const storage::SieveScript& script
) {
    auto rule = co_await storage::AutoReplyStore(c.pool).find(c.account);
    if (!rule) {
        co_return Result<bool>(boost::system::in_place_error, rule.error());
    }
    co_return script.content == rules::autoreply_script(*rule);
}

}  // namespace

awaitable<std::string> run_script_command(ScriptContext c, PutScript request) {
    const auto& name = request.name;
    const auto& script = request.script;
    if (!valid_name(name)) {
        co_return no("Script names are 1 to 128 characters of UTF-8 text");
    }
    auto described = meaning(c.account, script);
    if (auto* refusal = std::get_if<std::string>(&described)) {
        co_return *refusal;
    }
    storage::SieveStore store(c.pool);
    auto before = co_await store.find(c.account);
    if (before && before->name != name) {
        const auto generated = co_await written_from_the_rule(c, *before);
        if (!generated) {
            co_return internal_error(c, generated.error());
        }
        if (*generated) {
            if (auto renamed = co_await store.rename(c.account, before->name, name); !renamed) {
                co_return internal_error(c, renamed.error());
            }
            before->name = name;
        }
    }
    auto stored = co_await store.put(c.account, name, script);
    if (!stored) {
        if (is(stored.error(), storage::Errc::Exists)) {
            co_return no(
                "Only one script per account; replace or delete \"" +
                    (before ? before->name : std::string()) + "\" first",
                "QUOTA/MAXSCRIPTS"
            );
        }
        co_return internal_error(c, stored.error());
    }
    if (before && before->active && before->name == name) {
        co_return co_await activate(c, script);  // the active script changed: apply it
    }
    co_return ok();
}

awaitable<std::string> run_script_command(ScriptContext c, ListScripts) {
    storage::SieveStore store(c.pool);
    auto script = co_await store.find(c.account);
    if (!script) {
        if (is(script.error(), storage::Errc::NotFound)) {
            co_return ok();
        }
        co_return internal_error(c, script.error());
    }
    co_return sieve_string(script->name) + (script->active ? " ACTIVE" : "") + "\r\n" + ok();
}

namespace {

// The script named NAME, or the NO response.
awaitable<std::variant<storage::SieveScript, std::string>> named(
    const ScriptContext& c, std::string_view name
) {
    storage::SieveStore store(c.pool);
    auto script = co_await store.find(c.account);
    if (!script) {
        if (!is(script.error(), storage::Errc::NotFound)) {
            co_return internal_error(c, script.error());
        }
    } else if (script->name == name) {
        co_return std::move(*script);
    }
    co_return no("There is no script by that name", "NONEXISTENT");
}

}  // namespace

awaitable<std::string> run_script_command(ScriptContext c, GetScript request) {
    const auto& name = request.name;
    auto script = co_await named(c, name);
    if (auto* refusal = std::get_if<std::string>(&script)) {
        co_return *refusal;
    }
    const auto& content = std::get<storage::SieveScript>(script).content;
    co_return "{" + std::to_string(content.size()) + "}\r\n" + content + "\r\n" + ok();
}

awaitable<std::string> run_script_command(ScriptContext c, SetActive request) {
    const auto& name = request.name;
    if (name.empty()) {
        storage::SieveStore store(c.pool);
        auto done = co_await store.deactivate(c.account);
        if (!done) {
            co_return internal_error(c, done.error());
        }
        spdlog::info("managesieve {}: away reply switched off", c.session_id);
        co_return ok();
    }
    auto script = co_await named(c, name);
    if (auto* refusal = std::get_if<std::string>(&script)) {
        co_return *refusal;
    }
    co_return co_await activate(c, std::get<storage::SieveScript>(script).content);
}

awaitable<std::string> run_script_command(ScriptContext c, DeleteScript request) {
    const auto& name = request.name;
    auto script = co_await named(c, name);
    if (auto* refusal = std::get_if<std::string>(&script)) {
        co_return *refusal;
    }
    if (std::get<storage::SieveScript>(script).active) {
        co_return no("The active script cannot be deleted; deactivate it first", "ACTIVE");
    }
    storage::SieveStore store(c.pool);
    auto done = co_await store.remove(c.account, name);
    if (!done) {
        if (is(done.error(), storage::Errc::NotFound)) {
            co_return no("The script changed meanwhile; try again", "TRYLATER");
        }
        co_return internal_error(c, done.error());
    }
    co_return ok();
}

awaitable<std::string> run_script_command(ScriptContext c, RenameScript request) {
    const auto& from = request.from;
    const auto& to = request.to;
    if (!valid_name(to)) {
        co_return no("Script names are 1 to 128 characters of UTF-8 text");
    }
    auto script = co_await named(c, from);
    if (auto* refusal = std::get_if<std::string>(&script)) {
        co_return *refusal;
    }
    storage::SieveStore store(c.pool);
    auto done = co_await store.rename(c.account, from, to);
    if (!done) {
        co_return internal_error(c, done.error());
    }
    co_return ok();
}

awaitable<std::string> run_script_command(ScriptContext, HaveSpace request) {
    if (request.size > kMaxScriptBytes) {
        co_return no("Scripts may be up to 128 KiB", "QUOTA/MAXSIZE");
    }
    co_return ok();
}

awaitable<std::string> run_script_command(ScriptContext, CheckScript request) {
    auto described = meaning(0, request.script);
    if (auto* refusal = std::get_if<std::string>(&described)) {
        co_return *refusal;
    }
    co_return ok();
}

}  // namespace govmail::managesieve
