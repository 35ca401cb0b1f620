#include "imapd/cmd/command_table.hpp"

#include <spdlog/spdlog.h>

#include <array>

#include "common/variant.hpp"
#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {
namespace {

template <class T, Awaitable<Reply> (*Handle)(Session&, const T&)>
Awaitable<Reply> call(Session& session, const Request& request) {
    return Handle(session, std::get<T>(request));
}

template <class T, Awaitable<Reply> (*Handle)(Session&, const T&)>
constexpr CommandSpec spec(std::string_view name, unsigned flags) {
    return CommandSpec{variant_index_v<T, Request>, name, flags, &call<T, Handle>};
}

constexpr unsigned kAnyState = kAllowedPreAuth;
constexpr unsigned kLogin = kAllowedPreAuth | kPreAuthOnly | kRequiresTls;
constexpr unsigned kMessages = kRequiresSelected | kUsesSeqs;

// In the order of the Request alternatives (checked below).
constexpr std::array kCommands{
    spec<Capability, handle_capability>("CAPABILITY", kAnyState),
    spec<Noop, handle_noop>("NOOP", kAnyState),
    spec<Logout, handle_logout>("LOGOUT", kAnyState | kEndsSession),
    spec<StartTls, handle_starttls>("STARTTLS", kAllowedPreAuth | kPreAuthOnly),
    spec<Authenticate, handle_authenticate>("AUTHENTICATE", kLogin),
    spec<Login, handle_login>("LOGIN", kLogin),
    spec<Select, handle_select>("SELECT", 0),
    spec<Create, handle_create>("CREATE", 0),
    spec<Delete, handle_delete>("DELETE", 0),
    spec<Rename, handle_rename>("RENAME", 0),
    spec<Subscribe, handle_subscribe>("SUBSCRIBE", 0),
    spec<Unsubscribe, handle_unsubscribe>("UNSUBSCRIBE", 0),
    spec<List, handle_list>("LIST", 0),
    spec<Lsub, handle_lsub>("LSUB", 0),
    spec<Status, handle_status>("STATUS", 0),
    spec<Append, handle_append>("APPEND", 0),
    spec<Check, handle_check>("CHECK", kRequiresSelected),
    spec<Close, handle_close>("CLOSE", kRequiresSelected),
    spec<Unselect, handle_unselect>("UNSELECT", kRequiresSelected),
    spec<Expunge, handle_expunge>("EXPUNGE", kRequiresSelected | kWritesMailbox),
    spec<Search, handle_search>("SEARCH", kMessages),
    spec<Fetch, handle_fetch>("FETCH", kMessages),
    spec<Store, handle_store>("STORE", kMessages | kWritesMailbox),
    spec<Copy, handle_copy>("COPY", kMessages),
    spec<Move, handle_move>("MOVE", kRequiresSelected | kWritesMailbox),
    spec<Idle, handle_idle>("IDLE", 0),
    spec<Namespace, handle_namespace>("NAMESPACE", 0),
    spec<Id, handle_id>("ID", kAnyState),
    spec<Enable, handle_enable>("ENABLE", 0),
    spec<GetQuota, handle_getquota>("GETQUOTA", 0),
    spec<GetQuotaRoot, handle_getquotaroot>("GETQUOTAROOT", 0),
    spec<SetQuota, handle_setquota>("SETQUOTA", 0),
    spec<GetMetadata, handle_getmetadata>("GETMETADATA", 0),
    spec<SetMetadata, handle_setmetadata>("SETMETADATA", 0),
    spec<Sort, handle_sort>("SORT", kMessages),
    spec<Thread, handle_thread>("THREAD", kMessages),
};

static_assert(
    lists_alternatives_in_order<Request>(kCommands),
    "kCommands must list every Request type in order"
);

bool is_uid_form(const Request& request) {
    return std::visit(
        [](const auto& r) {
            if constexpr (requires { r.uid; }) {
                return static_cast<bool>(r.uid);
            } else {
                return false;
            }
        },
        request
    );
}

// The refusal for a command the flags do not allow now, or nullopt.
std::optional<Reply> check_allowed(const Session& session, unsigned flags) {
    const bool logged_in = session.state != State::NotAuthenticated;
    if (!logged_in && (flags & kAllowedPreAuth) == 0) {
        return Reply::bad("Log in first");
    }
    if (logged_in && (flags & kPreAuthOnly) != 0) {
        return Reply::bad("Already logged in");
    }
    if ((flags & kRequiresTls) != 0 && !session.io.tls_active()) {
        return refuse("PRIVACYREQUIRED", "Use STARTTLS before logging in");
    }
    if ((flags & kRequiresSelected) != 0 && session.state != State::Selected) {
        return Reply::bad("No mailbox selected");
    }
    if ((flags & kWritesMailbox) != 0 && session.selected && session.selected->read_only()) {
        return refuse("READ-ONLY", "Mailbox is opened read-only (EXAMINE)");
    }
    return std::nullopt;
}

}  // namespace

const CommandSpec& command_spec(const Request& request) { return kCommands[request.index()]; }

boost::asio::awaitable<void> run_command(Session& session, const Command& command) {
    const auto& spec = command_spec(command.request);
    session.tag = command.tag;
    const bool condstore_before = session.condstore;
    auto reply = check_allowed(session, spec.flags);
    if (!reply) {
        reply = co_await spec.handler(session, command.request);
    }
    if (session.state == State::Selected && (spec.flags & kEndsSession) == 0) {
        const bool allow_expunge = (spec.flags & kUsesSeqs) == 0 || is_uid_form(command.request);
        // FETCH, STORE, SEARCH and COPY, most of what a busy client sends, read storage only
        // when another session changed the mailbox; NOOP, CHECK, IDLE and the rest, which
        // clients poll with, always do, so their updates never wait for a notification.
        const auto when = (spec.flags & kUsesSeqs) != 0 ? Catchup::WhenAnnounced : Catchup::Always;
        if (auto synced = co_await sync_selected(session, allow_expunge, when); !synced) {
            // The command itself is done; the updates follow with the next one.
            spdlog::warn(
                "imap {}: mailbox update failed: {}", session.id, synced.error().message()
            );
        }
    }
    if (!condstore_before && session.condstore && session.state == State::Selected &&
        reply->status == ReplyStatus::Ok && !reply->text.starts_with('[')) {
        // RFC 7162 3.1: the command that enabled CONDSTORE with a mailbox selected tells the
        // mailbox's highest modseq (SELECT ... (CONDSTORE) has already said it).
        reply->text = "[HIGHESTMODSEQ " + std::to_string(session.selected->highest_modseq()) +
                      "] " + reply->text;
    }
    if (reply->send) {
        session.out += tagged_response(command.tag, reply->status, reply->text);
    }
}

}  // namespace govmail::imap
