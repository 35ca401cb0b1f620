// IDLE (RFC 2177): changes to the selected mailbox, from this process or another one, are
// pushed as they are committed until the client sends DONE.

#include <spdlog/spdlog.h>

#include "imapd/cmd/handlers.hpp"
#include "imapd/proto/command_parser.hpp"

namespace govmail::imap {

Awaitable<Reply> handle_idle(Session& s, const Idle&) {
    s.out += continuation_response("idling");
    for (;;) {
        const bool written = co_await s.io.flush();
        if (!written) {
            s.state = State::Logout;
            co_return Reply::none();
        }
        auto event = co_await s.io.idle_wait();
        switch (event.wake) {
            case IdleWake::Line:
                if (is_idle_done(event.line)) {
                    co_return Reply::ok("IDLE terminated");
                }
                co_return Reply::bad("Expected DONE");
            case IdleWake::Ended:
                s.state = State::Logout;
                co_return Reply::none();
            case IdleWake::Changed:
                if (s.selected) {
                    if (auto synced = co_await sync_selected(s, true, Catchup::Always); !synced) {
                        spdlog::warn(
                            "imap {}: update during IDLE failed: {}", s.id, synced.error().message()
                        );
                    }
                }
                break;
        }
    }
}

}  // namespace govmail::imap
