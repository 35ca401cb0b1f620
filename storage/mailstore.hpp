#pragma once

// The mailstore: every typed operation on accounts, mailboxes and messages that the daemons
// and mailadm need, each one transaction: delivery and APPEND, the reads of a selected mailbox
// (its view, what changed since a modseq, FETCH summaries and batched bodies, SEARCH inputs)
// and the changes (flags, expunge, copy, move).
// Operations return Result<T>; an error's Errc says what failed (NotFound, Exists, Temp,
// Unavailable ...), and the connection's server message goes to the log, never the client.
// A value returned from a changing operation means the change is committed.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <span>
#include <string_view>

#include "common/config.hpp"
#include "common/result.hpp"
#include "mime/parse.hpp"
#include "storage/audited.hpp"
#include "storage/autoreply_store.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

// A message to store: its bytes exactly as received and the structure parsed from them.
struct IncomingMessage {
    std::string_view raw;
    const mime::ParsedMessage& parsed;
    std::int64_t internal_date = 0;  // unix seconds
    std::vector<std::string> flags;
};

class Mailstore {
public:
    explicit Mailstore(
        Pool& pool,
        FlagCommit flag_commit = FlagCommit::Durable,
        ExpungeHistory expunge_history = {}
    )
        : pool_(pool), flag_commit_(flag_commit), expunge_history_(expunge_history) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Accounts.
    Task<Account> find_account(std::string_view address);
    Task<Account> find_account(AccountId id);
    // Creates the account with its standard mailboxes and writes AUDIT's entry for it, in one
    // transaction (storage/audited.hpp).
    Task<Account> create_account(const NewAccount& account, const AuditOf<Account>& audit);

    // Mailboxes.
    // With counts.
    Task<std::vector<MailboxInfo>> list_mailboxes(AccountId account);
    // Without counts: what SELECT, COPY and the like need.
    Task<MailboxInfo> find_mailbox(AccountId account, std::string_view name);
    // With counts (STATUS).
    Task<MailboxInfo> mailbox_status(AccountId account, std::string_view name);
    // Errc::Limit when the account already holds MAX_MAILBOXES mailboxes.
    Task<MailboxInfo> create_mailbox(
        AccountId account,
        std::string_view name,
        std::size_t max_mailboxes,
        std::string_view special_use = {}
    );
    // The names below NAME ("a/b" and "a/b/c" for "a"), which rename_mailbox() renames too.
    Task<std::vector<std::string>> child_mailbox_names(AccountId account, std::string_view name);
    // Renames NAME and its children. Renaming INBOX moves its messages to a new mailbox and
    // leaves INBOX empty (RFC 3501 6.3.5); that new mailbox counts towards MAX_MAILBOXES.
    Task<void> rename_mailbox(
        AccountId account, std::string_view from, std::string_view to, std::size_t max_mailboxes
    );
    Task<void> delete_mailbox(AccountId account, std::string_view name);
    Task<void> set_subscribed(AccountId account, std::string_view name, bool subscribed);

    // Delivery and APPEND: the body is stored once (by SHA-256), each target gets the next
    // UID of its mailbox and the remote recipients (if any) enter the outbound queue, all in
    // one transaction. Targets must be distinct; a target's mailbox may be kJunkMailbox.
    // With AUTOREPLY, the targets' away replies
    // (storage/autoreply_store.hpp) are stored in the same transaction.
    Task<std::vector<Delivered>> deliver(
        const IncomingMessage& message,
        std::span<const DeliveryTarget> targets,
        const OutboundEnvelope* outbound = nullptr,
        AutoReplyRequest* autoreply = nullptr
    );
    // The same with several queue entries (one envelope sender each: a submission's remote
    // recipients, and what aliases forward with an SRS sender), all in the one transaction.
    Task<std::vector<Delivered>> deliver(
        const IncomingMessage& message,
        std::span<const DeliveryTarget> targets,
        std::span<const OutboundEnvelope> outbound,
        AutoReplyRequest* autoreply
    );

    // APPEND of several messages (RFC 3502 MULTIAPPEND) into TARGET in one transaction: all
    // are stored, in the order given, or none (NotFound when the mailbox does not exist).
    Task<std::vector<Delivered>> deliver_all(
        std::span<const IncomingMessage> messages, const DeliveryTarget& target
    );

    // A selected mailbox's messages and what changed since a modseq.
    Task<std::vector<MessageState>> mailbox_view(AccountId account, MailboxId mailbox);
    // Messages changed and UIDs expunged after MODSEQ, in one round trip (each list in UID
    // order).
    Task<MailboxChanges> changes_since(AccountId account, MailboxId mailbox, ModSeq modseq);

    // \Recent: the UID above which messages of MAILBOX are recent to the caller; with CLAIM
    // (SELECT), also moves the mailbox's mark up to UP_TO, so no other session sees the UIDs
    // up to UP_TO as recent. Errc::NotFound without the mailbox.
    Task<Uid> recent_above_uid(AccountId account, MailboxId mailbox, Uid up_to, bool claim);

    // FETCH: the cached structure of the messages in UIDS, in UID order.
    Task<std::vector<MessageSummary>> fetch(
        AccountId account, MailboxId mailbox, const UidRanges& uids
    );
    // The bytes of the messages UIDS (ascending) in one round trip, in UID order, expunged
    // ones left out. Reading stops after the body that brings the bytes read to MAX_BYTES, so
    // the UIDs after the last body returned may be still to read: ask again for those.
    Task<std::vector<MessageBody>> message_bodies(
        AccountId account, MailboxId mailbox, std::span<const Uid> uids, std::uint64_t max_bytes
    );
    Task<std::string> fetch_raw(std::string_view body_id);

    // SEARCH: every message of the mailbox, in UID order; sent_day only WITH_SENT_DAY (it
    // reads each message's header).
    Task<std::vector<SearchAttributes>> search_attributes(
        AccountId account, MailboxId mailbox, bool with_sent_day
    );
    // SORT and THREAD: every message of the mailbox, in UID order.
    Task<std::vector<SortFields>> sort_fields(AccountId account, MailboxId mailbox);
    // For each of QUERIES, in order, the UIDs whose cached text matches it, in UID order: one
    // pass over the mailbox for all of them, within TIMEOUT (Errc::Limit when it runs longer).
    Task<std::vector<std::vector<Uid>>> search_texts(
        AccountId account,
        MailboxId mailbox,
        std::span<const TextQuery> queries,
        std::chrono::milliseconds timeout
    );

    // Returns the messages whose flags changed, with their new flags and modseq. Commits as
    // the store's FlagCommit says; BEGIN, the change and COMMIT go in one flight either way.
    Task<std::vector<MessageState>> store_flags(
        AccountId account,
        MailboxId mailbox,
        const UidRanges& uids,
        FlagChange change,
        const std::vector<std::string>& flags,
        std::optional<ModSeq> unchanged_since = std::nullopt
    );
    // Removes \Deleted messages (only those in UIDS when given); returns their UIDs. EXPUNGE
    // and MOVE remember the UIDs they remove and forget those beyond the ExpungeHistory bound.
    Task<std::vector<Uid>> expunge(
        AccountId account, MailboxId mailbox, const std::optional<UidRanges>& uids = std::nullopt
    );
    // With Learning::FromJunkMoves, a copy into or out of \Junk also queues, in the same
    // transaction, the spam filter's learning of the messages (storage/learn_queue_store.hpp).
    Task<CopyResult> copy(
        AccountId account,
        MailboxId from,
        const UidRanges& uids,
        MailboxId to,
        Learning learning = Learning::Off
    );
    // COPY and removal from the source in one transaction.
    Task<CopyResult> move(
        AccountId account,
        MailboxId from,
        const UidRanges& uids,
        MailboxId to,
        Learning learning = Learning::Off
    );

    Task<QuotaUsage> quota_usage(AccountId account);

    // IMAP METADATA (RFC 5464, mailbox_metadata.cpp) of MAILBOX, or of the account's server
    // when nullopt: every entry as (name, value), by name.
    using MetadataEntries = std::vector<std::pair<std::string, std::string>>;
    Task<MetadataEntries> metadata(AccountId account, std::optional<MailboxId> mailbox);
    // Sets the entries with a value and removes those without, in one transaction:
    // Errc::Limit, with nothing changed, when the account would hold more than MAX_ENTRIES.
    Task<void> set_metadata(
        AccountId account,
        std::optional<MailboxId> mailbox,
        const std::vector<std::pair<std::string, std::optional<std::string>>>& entries,
        std::size_t max_entries
    );

private:
    // deliver() once kJunkMailbox targets are resolved to mailbox names.
    Task<std::vector<Delivered>> deliver_resolved(
        const IncomingMessage& message,
        std::span<const DeliveryTarget> targets,
        std::span<const OutboundEnvelope> outbound,
        AutoReplyRequest* autoreply
    );

    Pool& pool_;
    FlagCommit flag_commit_;
    ExpungeHistory expunge_history_;
};

}  // namespace govmail::storage
