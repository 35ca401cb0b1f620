#include "managesieve/lib/script_commands.hpp"

#include <spdlog/spdlog.h>

#include <charconv>

#include "common/utf8.hpp"
#include "managesieve/proto/response.hpp"
#include "managesieve/proto/sieve_vacation.hpp"
#include "rules/autoreply_rules.hpp"
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

awaitable<std::string> put_script(ScriptContext c, std::string name, std::string script) {
    if (!valid_name(name)) {
        co_return no("Script names are 1 to 128 characters of UTF-8 text");
    }
    auto described = meaning(c.account, script);
    if (auto* refusal = std::get_if<std::string>(&described)) {
        co_return *refusal;
    }
    storage::SieveStore store(c.pool);
    auto before = co_await store.find(c.account);
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

awaitable<std::string> list_scripts(ScriptContext c) {
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

awaitable<std::string> get_script(ScriptContext c, std::string name) {
    auto script = co_await named(c, name);
    if (auto* refusal = std::get_if<std::string>(&script)) {
        co_return *refusal;
    }
    const auto& content = std::get<storage::SieveScript>(script).content;
    co_return "{" + std::to_string(content.size()) + "}\r\n" + content + "\r\n" + ok();
}

awaitable<std::string> set_active(ScriptContext c, std::string name) {
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

awaitable<std::string> delete_script(ScriptContext c, std::string name) {
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

awaitable<std::string> rename_script(ScriptContext c, std::string from, std::string to) {
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

std::string have_space(const Command& command) {
    std::size_t size = 0;
    const auto& text = command.args[1];
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return no("HAVESPACE needs a script name and a size");
    }
    if (size > kMaxScriptBytes) {
        return no("Scripts may be up to 128 KiB", "QUOTA/MAXSIZE");
    }
    return ok();
}

std::string check_script(const Command& command) {
    auto described = meaning(0, command.args[0]);
    if (auto* refusal = std::get_if<std::string>(&described)) {
        return *refusal;
    }
    return ok();
}

struct Entry {
    std::string_view name;
    std::size_t args;
};

constexpr Entry kCommands[] = {
    {"HAVESPACE", 2}, {"PUTSCRIPT", 2}, {"CHECKSCRIPT", 1},  {"LISTSCRIPTS", 0},
    {"GETSCRIPT", 1}, {"SETACTIVE", 1}, {"DELETESCRIPT", 1}, {"RENAMESCRIPT", 2},
};

}  // namespace

awaitable<std::optional<std::string>> run_script_command(ScriptContext c, Command command) {
    const Entry* entry = nullptr;
    for (const auto& e : kCommands) {
        if (e.name == command.name) {
            entry = &e;
        }
    }
    if (entry == nullptr) {
        co_return std::nullopt;
    }
    if (command.args.size() != entry->args) {
        co_return no(command.name + " takes " + std::to_string(entry->args) + " argument(s)");
    }
    auto& a = command.args;
    const auto& name = command.name;
    std::string response;
    if (name == "HAVESPACE") {
        response = have_space(command);
    } else if (name == "PUTSCRIPT") {
        response = co_await put_script(c, std::move(a[0]), std::move(a[1]));
    } else if (name == "CHECKSCRIPT") {
        response = check_script(command);
    } else if (name == "LISTSCRIPTS") {
        response = co_await list_scripts(c);
    } else if (name == "GETSCRIPT") {
        response = co_await get_script(c, std::move(a[0]));
    } else if (name == "SETACTIVE") {
        response = co_await set_active(c, std::move(a[0]));
    } else if (name == "DELETESCRIPT") {
        response = co_await delete_script(c, std::move(a[0]));
    } else {
        response = co_await rename_script(c, std::move(a[0]), std::move(a[1]));
    }
    co_return response;
}

}  // namespace govmail::managesieve
