#pragma once

// Long answers (FETCH of a large range, LIST of many mailboxes) leave in chunks: a handler
// queues responses and calls flush_when_full() after each, so the queue stays near 64 KiB
// whatever the answer's size, and the client's reading paces the command.

#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {

// Bytes of queued responses that are written before the handler goes on.
inline constexpr std::size_t kFlushAt = std::size_t{64} << 10;

// Writes the queued responses once they reach kFlushAt. False when the connection is gone:
// the session is then over (state Logout) and the handler returns Reply::none().
Awaitable<bool> flush_when_full(Session& s);

}  // namespace govmail::imap
