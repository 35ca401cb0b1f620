// mailadm dkim generate|list|rotate|retire|sync: the keys rspamd's dkim_signing signs
// submitted mail with (launcher/rspamd_dkim_config.hpp). Each key is kept under
// var_dir/dkim (admin-cli/dkim_keys.hpp) and copied into rspamd's Redis, where the embedded
// rspamd and an external rspamd cluster alike read it. Every change is audited.

#include <algorithm>
#include <functional>

#include "admin-cli/commands.hpp"
#include "admin-cli/dkim_keys.hpp"
#include "admin-cli/redis_hash.hpp"
#include "common/ascii.hpp"
#include "common/dkim_redis.hpp"

namespace govmail::admin {
namespace {

struct NewKeyOptions {
    std::string domain;
    std::string selector;
    std::string algorithm;  // empty: rsa, or for rotate the signing key's
};

struct ListOptions {
    std::string domain;
};

struct RetireOptions {
    std::string domain;
    std::string selector;
};

struct SyncOptions {};

DkimKeyStore key_store(const AdminContext& context) {
    return DkimKeyStore(context.config().var_dir / "dkim");
}

std::string redis_field(const DkimKey& key) { return key.selector + "." + key.domain; }

// Runs CHANGE on rspamd's Redis. When Redis cannot be reached the change under var_dir is
// made already: the error says how to catch up.
std::optional<Outcome> update_rspamd(
    const AdminContext& context, const std::function<void(RedisHash&)>& change
) {
    const auto address = context.config().filter.dkim_redis_address();
    try {
        RedisHash redis(address);
        change(redis);
        return std::nullopt;
    } catch (const std::runtime_error& e) {
        return Outcome{
            ExitCode::Error,
            std::string(e.what()) +
                "; the keys under var_dir are changed: run `mailadm dkim sync` once " + address +
                " answers",
            {}};
    }
}

// Puts KEY into rspamd's Redis; when it signs, it becomes the domain's selector there too
// (after the key, so that rspamd never finds a selector without its key).
void publish_to_rspamd(RedisHash& redis, const DkimKey& key) {
    redis.set(kDkimKeysHash, redis_field(key), rspamd_key(key));
    if (key.signing) {
        redis.set(kDkimSelectorsHash, key.domain, key.selector);
    }
}

Json key_json(const DkimKey& key) {
    return Json{
        {"domain", key.domain},
        {"selector", key.selector},
        {"algorithm", algorithm_name(key.algorithm)},
        {"signing", key.signing},
        {"dns_name", dns_name(key)},
        {"txt", dns_txt(key)},
    };
}

// Why an option is wrong, or nullopt.
std::optional<Outcome> name_problem(const std::string& domain, const std::string& selector) {
    if (!valid_domain(domain)) {
        return usage_error(domain + " is not a domain name");
    }
    if (!selector.empty() && !valid_selector(selector)) {
        return usage_error(selector + " is not a selector (DNS labels of letters, digits, -)");
    }
    return std::nullopt;
}

// The key made by generate or rotate: audited, copied to rspamd, its DNS record printed.
Outcome new_key(
    AdminContext& context,
    const std::string& action,
    std::string domain,
    std::string selector,
    DkimAlgorithm algorithm
) {
    auto store = key_store(context);
    if (selector.empty()) {
        selector = store.new_selector(domain);
    }
    if (std::ranges::any_of(store.list(domain), [&](const DkimKey& k) {
            return k.selector == selector;
        })) {
        return refused(domain + " has a key with selector " + selector + " already");
    }
    const auto key = store.create(domain, selector, algorithm);
    const auto detail =
        "domain " + domain + " selector " + selector + " " + algorithm_name(algorithm);
    if (auto audited = context.audit(action, std::nullopt, detail); !audited) {
        return storage_failure(audited.error(), "audit log");
    }
    if (auto failed =
            update_rspamd(context, [&key](RedisHash& redis) { publish_to_rspamd(redis, key); })) {
        return *failed;
    }
    return Outcome{
        ExitCode::Ok, "publish in DNS: " + dns_name(key) + ". IN TXT \"" + dns_txt(key) + "\"",
        key_json(key)};
}

Outcome generate(AdminContext& context, const NewKeyOptions& options) {
    const auto domain = ascii::lower(options.domain);
    if (auto problem = name_problem(domain, options.selector)) {
        return *problem;
    }
    if (!key_store(context).list(domain).empty()) {
        return refused(domain + " has DKIM keys already: `mailadm dkim rotate` makes a new one");
    }
    const auto algorithm = parse_algorithm(options.algorithm.empty() ? "rsa" : options.algorithm);
    return new_key(context, "dkim.generate", domain, options.selector, *algorithm);
}

Outcome rotate(AdminContext& context, const NewKeyOptions& options) {
    const auto domain = ascii::lower(options.domain);
    if (auto problem = name_problem(domain, options.selector)) {
        return *problem;
    }
    const auto keys = key_store(context).list(domain);
    const auto signing = std::ranges::find_if(keys, [](const DkimKey& key) { return key.signing; });
    if (signing == keys.end()) {
        return refused(domain + " has no signing DKIM key: `mailadm dkim generate` makes one");
    }
    const auto algorithm =
        options.algorithm.empty() ? signing->algorithm : *parse_algorithm(options.algorithm);
    return new_key(context, "dkim.rotate", domain, options.selector, algorithm);
}

Outcome list(AdminContext& context, const ListOptions& options) {
    Json rows = Json::array();
    for (const auto& key : key_store(context).list(ascii::lower(options.domain))) {
        rows.push_back(key_json(key));
    }
    return Outcome{ExitCode::Ok, rows.empty() ? "no DKIM keys" : "", rows};
}

Outcome retire(AdminContext& context, const RetireOptions& options) {
    const auto domain = ascii::lower(options.domain);
    if (auto problem = name_problem(domain, options.selector)) {
        return *problem;
    }
    auto store = key_store(context);
    const auto keys = store.list(domain);
    const auto key = std::ranges::find_if(keys, [&](const DkimKey& k) {
        return k.selector == options.selector;
    });
    if (key == keys.end()) {
        return refused(domain + " has no DKIM key with selector " + options.selector);
    }
    if (key->signing) {
        return refused(
            "selector " + options.selector + " signs " + domain +
            "'s mail: `mailadm dkim rotate` first"
        );
    }
    store.remove(domain, options.selector);
    const auto detail = "domain " + domain + " selector " + options.selector;
    if (auto audited = context.audit("dkim.retire", std::nullopt, detail); !audited) {
        return storage_failure(audited.error(), "audit log");
    }
    if (auto failed = update_rspamd(context, [&key](RedisHash& redis) {
            redis.remove(kDkimKeysHash, redis_field(*key));
        })) {
        return *failed;
    }
    return Outcome{
        ExitCode::Ok, "retired " + dns_name(*key) + ": remove its TXT record from DNS", {}};
}

// Copies every key into rspamd's Redis again (a new Redis, or one that lost its data).
Outcome sync(AdminContext& context, const SyncOptions& /*options*/) {
    const auto keys = key_store(context).list();
    if (auto failed = update_rspamd(context, [&keys](RedisHash& redis) {
            for (const auto& key : keys) {
                publish_to_rspamd(redis, key);
            }
        })) {
        return *failed;
    }
    if (auto audited = context.audit(
            "dkim.sync", std::nullopt, std::to_string(keys.size()) + " keys to rspamd's Redis"
        );
        !audited) {
        return storage_failure(audited.error(), "audit log");
    }
    return Outcome{ExitCode::Ok, std::to_string(keys.size()) + " DKIM keys copied to rspamd", {}};
}

std::shared_ptr<NewKeyOptions> add_new_key_options(CLI::App* sub, const char* algorithm_help) {
    auto options = std::make_shared<NewKeyOptions>();
    sub->add_option("DOMAIN", options->domain, "the domain of the From addresses to sign")
        ->required();
    sub->add_option("--selector", options->selector, "the key's selector; default sYYYYMMDD");
    sub->add_option("--algorithm", options->algorithm, algorithm_help)
        ->check(CLI::IsMember({"rsa", "ed25519"}));
    return options;
}

}  // namespace

void add_dkim_commands(CLI::App& app, Action& chosen) {
    auto* dkim = app.add_subcommand(
        "dkim", "DKIM keys that rspamd signs submitted mail with (RFC 6376, RFC 8463)"
    );
    dkim->require_subcommand(1);

    auto* generate_cmd = dkim->add_subcommand(
        "generate", "make a domain's first key, which signs at once; prints its DNS TXT record"
    );
    choose_on_parse(
        generate_cmd, chosen,
        add_new_key_options(generate_cmd, "rsa (2048 bits, the default) or ed25519"), generate
    );

    auto* rotate_cmd = dkim->add_subcommand(
        "rotate", "make a new key that signs from now on; the old one stays until retired"
    );
    choose_on_parse(
        rotate_cmd, chosen,
        add_new_key_options(rotate_cmd, "rsa or ed25519; default the signing key's"), rotate
    );

    auto* list_cmd = dkim->add_subcommand("list", "keys and their DNS TXT records");
    auto list_options = std::make_shared<ListOptions>();
    list_cmd->add_option("DOMAIN", list_options->domain, "only this domain's keys");
    choose_on_parse(list_cmd, chosen, list_options, list);

    auto* retire_cmd = dkim->add_subcommand(
        "retire", "remove a key that no longer signs (then remove its TXT record)"
    );
    auto retire_options = std::make_shared<RetireOptions>();
    retire_cmd->add_option("DOMAIN", retire_options->domain, "the key's domain")->required();
    retire_cmd->add_option("SELECTOR", retire_options->selector, "the key's selector")->required();
    choose_on_parse(retire_cmd, chosen, retire_options, retire);

    auto* sync_cmd =
        dkim->add_subcommand("sync", "copy every key into rspamd's Redis again (a new Redis)");
    choose_on_parse(sync_cmd, chosen, std::make_shared<SyncOptions>(), sync);
}

}  // namespace govmail::admin
