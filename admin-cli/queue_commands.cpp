// mailadm queue list|show|retry|delete|hold|release: the outbound queue for the administrator,
// as Postfix's mailq, postqueue -i / -f and postsuper -d / -h / -H are
// (storage/queue_store_admin.hpp). Messages are named by their queue id; every change is
// audited (queue.retry, queue.delete, queue.hold, queue.release) in its own transaction.

#include "admin-cli/queue_commands.hpp"

#include "storage/queue_store_admin.hpp"

namespace govmail::admin {
namespace {

struct ListOptions {
    std::size_t limit = 1000;
};

struct IdOptions {
    storage::QueueId id = 0;
};

struct RetryOptions {
    std::optional<storage::QueueId> id;
    bool all = false;
};

// The message as `queue show` and the changes print it.
Json message_json(const storage::QueuedMessage& m) {
    Json recipients = Json::array();
    for (const auto& r : m.recipients) {
        recipients.push_back(Json{
            {"address", r.address},
            {"state", r.state},
            {"attempts", r.attempts},
            {"next_attempt", iso_time(r.next_attempt_at)},
            {"last_reply", r.last_reply},
        });
    }
    return Json{
        {"id", m.id},
        {"queued", iso_time(m.queued_at)},
        {"size", m.size},
        {"held", m.held},
        {"account", m.account_address},
        {"sender", m.sender},
        {"recipients", recipients},
    };
}

// One line of `queue list`: the recipients still waiting ("pending" or "sending") and when
// the next of them is tried.
Json list_row(const storage::QueuedMessage& m) {
    std::string waiting;
    std::optional<std::int64_t> next_attempt;
    for (const auto& r : m.recipients) {
        if (r.state == "pending" || r.state == "sending") {
            waiting += (waiting.empty() ? "" : ", ") + r.address;
            next_attempt = std::min(next_attempt.value_or(r.next_attempt_at), r.next_attempt_at);
        }
    }
    return Json{
        {"id", m.id},
        {"queued", iso_time(m.queued_at)},
        {"size", m.size},
        {"held", m.held},
        {"sender", m.sender},
        {"waiting", waiting},
        {"next_attempt", next_attempt ? Json(iso_time(*next_attempt)) : Json()},
    };
}

// "queue 42 from a@x.kr to b@y.kr, c@z.kr": what an audit entry says of the message.
std::string audit_detail(const storage::QueuedMessage& m) {
    std::string to;
    for (const auto& r : m.recipients) {
        to += (to.empty() ? "" : ", ") + r.address;
    }
    return "queue " + std::to_string(m.id) + " from <" + m.sender + "> to " + to;
}

std::string what(storage::QueueId id) { return "queue message " + std::to_string(id); }

Outcome list(AdminContext& context, const ListOptions& options) {
    const auto messages = context.run(storage::QueueAdminStore(context.pool()).list(options.limit));
    if (!messages) {
        return storage_failure(messages.error(), "outbound queue");
    }
    Json rows = Json::array();
    for (const auto& m : *messages) {
        rows.push_back(list_row(m));
    }
    return Outcome{ExitCode::Ok, {}, rows};
}

Outcome show(AdminContext& context, const IdOptions& options) {
    const auto message = context.run(storage::QueueAdminStore(context.pool()).find(options.id));
    if (!message) {
        return storage_failure(message.error(), what(options.id));
    }
    return Outcome{ExitCode::Ok, {}, message_json(*message)};
}

// The audit of ACTION on a message, once the store knows it.
storage::QueueAudit audit_of(AdminContext& context, std::string action) {
    return [&context, action = std::move(action)](const storage::QueuedMessage& m) {
        return context.audit_entry(action, m.account, audit_detail(m));
    };
}

Outcome changed(
    const Result<storage::QueuedMessage>& message, storage::QueueId id, const std::string& done
) {
    if (!message) {
        return storage_failure(message.error(), what(id));
    }
    return Outcome{ExitCode::Ok, what(id) + " " + done, message_json(*message)};
}

Outcome retry(AdminContext& context, const RetryOptions& options) {
    storage::QueueAdminStore store(context.pool());
    if (options.all) {
        const auto retried = context.run(store.retry_all(
            context.audit_entry("queue.retry", std::nullopt, "every message not held")
        ));
        if (!retried) {
            return storage_failure(retried.error(), "outbound queue");
        }
        return Outcome{
            ExitCode::Ok, std::to_string(*retried) + " message(s) to be tried again now",
            Json{{"messages", *retried}}};
    }
    if (!options.id) {
        return usage_error("queue retry needs a queue id or --all");
    }
    const auto message = context.run(store.retry(*options.id, audit_of(context, "queue.retry")));
    if (message && message->held) {
        return changed(message, *options.id, "is held: it is tried once released");
    }
    return changed(message, *options.id, "to be tried again now");
}

Outcome remove(AdminContext& context, const IdOptions& options) {
    const auto message = context.run(storage::QueueAdminStore(context.pool())
                                         .remove(options.id, audit_of(context, "queue.delete")));
    return changed(message, options.id, "deleted");
}

Outcome hold(AdminContext& context, const IdOptions& options) {
    const auto message =
        context.run(storage::QueueAdminStore(context.pool())
                        .set_held(options.id, true, audit_of(context, "queue.hold")));
    return changed(message, options.id, "held: not tried until released");
}

Outcome release(AdminContext& context, const IdOptions& options) {
    const auto message =
        context.run(storage::QueueAdminStore(context.pool())
                        .set_held(options.id, false, audit_of(context, "queue.release")));
    return changed(message, options.id, "released");
}

std::shared_ptr<IdOptions> add_id(CLI::App* sub) {
    auto options = std::make_shared<IdOptions>();
    sub->add_option("ID", options->id, "the message's queue id (queue list)")->required();
    return options;
}

}  // namespace

void add_queue_commands(CLI::App& app, Action& chosen) {
    auto* queue = app.add_subcommand("queue", "the outbound queue (mailq, postqueue, postsuper)");
    queue->require_subcommand(1);

    auto* list_cmd = queue->add_subcommand("list", "queued messages, longest queued first (mailq)");
    auto list_options = std::make_shared<ListOptions>();
    list_cmd->add_option("--limit", list_options->limit, "at most this many messages")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    choose_on_parse(list_cmd, chosen, list_options, list);

    auto* show_cmd = queue->add_subcommand("show", "one message with each recipient's state");
    choose_on_parse(show_cmd, chosen, add_id(show_cmd), show);

    auto* retry_cmd = queue->add_subcommand(
        "retry", "try a message's waiting recipients now (postqueue -i), or --all (postqueue -f)"
    );
    auto retry_options = std::make_shared<RetryOptions>();
    auto* id = retry_cmd->add_option("ID", retry_options->id, "the message's queue id");
    retry_cmd->add_flag("--all", retry_options->all, "every message not held")->excludes(id);
    choose_on_parse(retry_cmd, chosen, retry_options, retry);

    auto* delete_cmd =
        queue->add_subcommand("delete", "remove a message; nothing more is sent (postsuper -d)");
    choose_on_parse(delete_cmd, chosen, add_id(delete_cmd), remove);

    auto* hold_cmd = queue->add_subcommand(
        "hold", "keep a message from being tried until released (postsuper -h)"
    );
    choose_on_parse(hold_cmd, chosen, add_id(hold_cmd), hold);

    auto* release_cmd = queue->add_subcommand("release", "release a held message (postsuper -H)");
    choose_on_parse(release_cmd, chosen, add_id(release_cmd), release);
}

}  // namespace govmail::admin
