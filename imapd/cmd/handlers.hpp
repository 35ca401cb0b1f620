#pragma once

// Every command handler, grouped by the file that implements it. A handler gets the typed
// request and the session, calls storage and queues untagged responses in session.out; it
// returns the tagged completion. State, TLS and read-only checks are the command table's job.

#include <boost/asio/awaitable.hpp>

#include "imapd/cmd/session.hpp"
#include "imapd/proto/commands.hpp"

namespace govmail::imap {

template <class T>
using Awaitable = boost::asio::awaitable<T>;

// any_state.cpp: CAPABILITY NOOP LOGOUT ID ENABLE NAMESPACE
Awaitable<Reply> handle_capability(Session& s, const Capability& c);
Awaitable<Reply> handle_noop(Session& s, const Noop& c);
Awaitable<Reply> handle_logout(Session& s, const Logout& c);
Awaitable<Reply> handle_id(Session& s, const Id& c);
Awaitable<Reply> handle_enable(Session& s, const Enable& c);
Awaitable<Reply> handle_namespace(Session& s, const Namespace& c);
// The CAPABILITY list for the session's state (RFC 3501 section 7.2.1).
std::string capabilities(const Session& s);

// auth.cpp: STARTTLS LOGIN AUTHENTICATE
Awaitable<Reply> handle_starttls(Session& s, const StartTls& c);
Awaitable<Reply> handle_login(Session& s, const Login& c);
Awaitable<Reply> handle_authenticate(Session& s, const Authenticate& c);

// mailbox.cpp: CREATE DELETE RENAME SUBSCRIBE UNSUBSCRIBE STATUS
Awaitable<Reply> handle_create(Session& s, const Create& c);
Awaitable<Reply> handle_delete(Session& s, const Delete& c);
Awaitable<Reply> handle_rename(Session& s, const Rename& c);
Awaitable<Reply> handle_subscribe(Session& s, const Subscribe& c);
Awaitable<Reply> handle_unsubscribe(Session& s, const Unsubscribe& c);
Awaitable<Reply> handle_status(Session& s, const Status& c);
// "STATUS name (MESSAGES 3 ...)" with the items in the order asked (also for LIST-STATUS);
// an IMAP4rev2 session is not told RECENT (RFC 9051 has no \Recent).
std::string status_response(
    const Session& s, const storage::MailboxInfo& mailbox, const std::vector<StatusItem>& items
);

// list.cpp: LIST LSUB
Awaitable<Reply> handle_list(Session& s, const List& c);
Awaitable<Reply> handle_lsub(Session& s, const Lsub& c);
// The untagged LIST of mailbox NAME alone, which SELECT sends in IMAP4rev2 (RFC 9051 6.3.2).
Awaitable<Result<void>> announce_list(Session& s, std::string_view name);

// select.cpp: SELECT EXAMINE CHECK CLOSE UNSELECT, and catching the view up with storage
Awaitable<Reply> handle_select(Session& s, const Select& c);
Awaitable<Reply> handle_check(Session& s, const Check& c);
Awaitable<Reply> handle_close(Session& s, const Close& c);
Awaitable<Reply> handle_unselect(Session& s, const Unselect& c);
// When the selected view catches up with storage: after every command, or only once a change
// to the mailbox was announced (LISTEN/NOTIFY) since the last catch-up.
enum class Catchup { Always, WhenAnnounced };
// Reads what changed in the selected mailbox (as WHEN says) and queues the responses allowed
// now.
Awaitable<Result<void>> sync_selected(Session& s, bool allow_expunge, Catchup when);

// append.cpp
Awaitable<Reply> handle_append(Session& s, const Append& c);

// expunge.cpp: EXPUNGE, UID EXPUNGE
Awaitable<Reply> handle_expunge(Session& s, const Expunge& c);

// search.cpp: SEARCH, UID SEARCH
Awaitable<Reply> handle_search(Session& s, const Search& c);

// sort.cpp, thread.cpp
Awaitable<Reply> handle_sort(Session& s, const Sort& c);
Awaitable<Reply> handle_thread(Session& s, const Thread& c);

// fetch.cpp: FETCH, UID FETCH
Awaitable<Reply> handle_fetch(Session& s, const Fetch& c);

// store.cpp: STORE, UID STORE
Awaitable<Reply> handle_store(Session& s, const Store& c);

// copy_move.cpp: COPY MOVE and their UID forms
Awaitable<Reply> handle_copy(Session& s, const Copy& c);
Awaitable<Reply> handle_move(Session& s, const Move& c);

// idle.cpp
Awaitable<Reply> handle_idle(Session& s, const Idle& c);

// quota.cpp: GETQUOTA GETQUOTAROOT SETQUOTA
Awaitable<Reply> handle_getquota(Session& s, const GetQuota& c);
Awaitable<Reply> handle_getquotaroot(Session& s, const GetQuotaRoot& c);
Awaitable<Reply> handle_setquota(Session& s, const SetQuota& c);

// metadata.cpp
Awaitable<Reply> handle_getmetadata(Session& s, const GetMetadata& c);
Awaitable<Reply> handle_setmetadata(Session& s, const SetMetadata& c);

}  // namespace govmail::imap
