#pragma once

// The spam learner: drains the learning queue (storage/learn_queue_store.hpp) that moves into
// and out of \Junk fill, in any imapd, posting each message to rspamd's controller as spam or
// ham (filter/learn_client.hpp). It runs in smtpd, beside the outbound queue, because smtpd
// already speaks to rspamd and runs background work; imapd answers MOVE without waiting for
// rspamd. Several smtpd processes may drain one database: claims are leases. A failed post is
// retried with a growing delay (up to an hour) until [filter] learn_give_up_s, then dropped
// with a warning; a job whose message is gone, or that rspamd refuses, is dropped at once.

#include <boost/asio/awaitable.hpp>

#include "common/config.hpp"
#include "storage/learn_queue_store.hpp"
#include "storage/mailstore.hpp"

namespace govmail::smtpd {

// Runs until its io_context stops (co_spawn it detached); nothing to do unless [filter] is on.
boost::asio::awaitable<void> run_junk_learner(
    const FilterConfig& config, storage::Pool& pool, storage::Mailstore& store
);

}  // namespace govmail::smtpd
