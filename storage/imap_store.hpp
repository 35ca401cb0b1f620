#pragma once

// Storage operations only the IMAP daemon needs, next to the shared Mailstore: what changed in
// a selected mailbox since a modseq (one round trip per command), the bytes a body FETCH
// slices, and the SEARCH inputs the mailbox view does not carry (sizes, dates, cached header
// and body text).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct MailboxChanges {
    std::vector<MessageState> changed;  // flags or modseq changed, or new
    std::vector<Uid> expunged;
    ModSeq highest_modseq = 0;  // of the rows returned; 0 when nothing changed
};

struct SearchAttributes {
    Uid uid = 0;
    std::uint64_t size = 0;
    std::int64_t internal_date = 0;         // unix seconds
    std::optional<std::int64_t> sent_date;  // the Date: header, when readable
};

// What a body fetch slices: the message as stored and its part offsets (mime::PartSpan list as
// serialized at delivery).
struct MessageBody {
    std::string parts;
    std::string raw;
};

enum class TextField { Header, Body, Text };

struct TextQuery {
    TextField field = TextField::Text;
    std::string_view header_name;  // for Header
    std::string_view text;         // case-insensitive substring
};

class ImapStore {
public:
    explicit ImapStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    Task<MailboxChanges> changes_since(AccountId account, MailboxId mailbox, ModSeq modseq);
    // Every message of the mailbox, in UID order.
    Task<std::vector<SearchAttributes>> search_attributes(AccountId account, MailboxId mailbox);
    // The bytes of message UID, in one round trip; Errc::NotFound once it is expunged.
    Task<MessageBody> message_body(AccountId account, MailboxId mailbox, Uid uid);
    // For each of QUERIES, in order, the UIDs whose cached text matches it, in UID order: one
    // pass over the mailbox for all of them, within TIMEOUT (Errc::Limit when it runs longer).
    Task<std::vector<std::vector<Uid>>> search_texts(
        AccountId account,
        MailboxId mailbox,
        std::span<const TextQuery> queries,
        std::chrono::milliseconds timeout
    );

private:
    Task<PgResult> run(const Statement& stmt, const Params& params);

    Pool& pool_;
};

}  // namespace govmail::storage
