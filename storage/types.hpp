#pragma once

// The typed values storage operations take and return. Nothing here knows a protocol.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace govmail::storage {

using AccountId = std::int64_t;
using MailboxId = std::int64_t;
using Uid = std::uint32_t;
using ModSeq = std::uint64_t;

// Inclusive UID ranges, e.g. {{1, 3}, {7, 7}}; the caller resolves "*" before.
using UidRanges = std::vector<std::pair<Uid, Uid>>;

enum class AccountState { Active, Suspended, Locked, Retired };

struct Account {
    AccountId id = 0;
    std::string address;
    AccountState state = AccountState::Active;
    std::string display_name;
};

struct NewAccount {
    std::string address;
    std::string display_name;
    bool service = false;
    // The unit of the directory person it is made for, so that its account.create entry
    // names the unit too; empty for others.
    std::string org_unit{};
};

struct MailboxCounts {
    std::uint32_t messages = 0;
    std::uint32_t unseen = 0;
    std::uint32_t recent = 0;  // not yet seen by a session that selected the mailbox
    std::uint64_t size = 0;    // the octets of all its messages (STATUS=SIZE, RFC 8438)
};

struct MailboxInfo {
    MailboxId id = 0;
    std::string name;
    std::optional<std::string> special_use;  // "\Sent", "\Trash", ...
    bool subscribed = true;
    std::uint32_t uidvalidity = 0;
    Uid uidnext = 1;
    ModSeq highest_modseq = 1;
    // How many messages, and how many without \Seen: counted for list_mailboxes and
    // mailbox_status (LIST-STATUS, STATUS) only, as counting reads every message of the box.
    std::optional<MailboxCounts> counts;
};

// A message's place in a mailbox: what a selected-mailbox view keeps per message.
struct MessageState {
    Uid uid = 0;
    ModSeq modseq = 0;
    std::vector<std::string> flags;
};

// What FETCH needs without the body bytes: the structure cached at delivery.
struct MessageSummary {
    MessageState state;
    std::int64_t internal_date = 0;  // unix seconds
    std::uint64_t size = 0;
    std::string body_id;  // opaque handle for fetch_raw
    std::string envelope;
    std::string body_structure;
    std::string body;
    std::string parts;  // mime::serialize_parts form
};

// What changed in a selected mailbox since a modseq.
struct MailboxChanges {
    std::vector<MessageState> changed;  // flags or modseq changed, or new
    std::vector<Uid> expunged;
    ModSeq highest_modseq = 0;  // of the rows returned; 0 when nothing changed
    // The bounded expunged-UID history no longer holds every UID expunged since the modseq:
    // EXPUNGED may miss some, and only the UIDs still present tell which are gone.
    bool expunges_forgotten = false;
};

// What a body FETCH slices: message UID as stored and its part offsets (mime::PartSpan list as
// serialized at delivery).
struct MessageBody {
    Uid uid = 0;
    std::string parts;
    std::string raw;
};

// The per-message values SEARCH evaluates that the mailbox view does not hold.
struct SearchAttributes {
    Uid uid = 0;
    std::uint64_t size = 0;
    std::int64_t internal_date = 0;        // unix seconds
    std::optional<std::int64_t> sent_day;  // days since 1970-01-01 of the Date: as written
};

// The per-message values SORT and THREAD order by (RFC 5256, RFC 5957): the header fields as
// decoded at delivery (empty when absent), raw for the message identifiers.
struct SortFields {
    Uid uid = 0;
    std::uint64_t size = 0;
    std::int64_t internal_date = 0;         // unix seconds
    std::optional<std::int64_t> sent_date;  // the Date: header, when it could be read
    std::string subject, from, to, cc;
    std::string message_id, in_reply_to, references;
};

enum class TextField { Header, Body, Text };

// A SEARCH text key.
struct TextQuery {
    TextField field = TextField::Text;
    std::string_view header_name;  // for Header
    std::string_view text;         // case-insensitive substring
};

// A delivery target's mailbox that names the account's \Junk mailbox (RFC 6154), whatever
// its name; its INBOX when it has none.
inline constexpr std::string_view kJunkMailbox = "\\Junk";

// One destination of a delivery or APPEND.
struct DeliveryTarget {
    AccountId account = 0;
    std::string mailbox = "INBOX";
};

struct Delivered {
    AccountId account = 0;  // 0 with queue_id set: the message was queued for remote delivery
    MailboxId mailbox = 0;
    Uid uid = 0;
    ModSeq modseq = 0;
    std::uint32_t uidvalidity = 0;
};

// Recipients on other servers, for the outbound queue (RFC 3461 parameters kept for DSNs).
struct OutboundRecipient {
    std::string address;
    std::string orcpt;               // "rfc822;user@example.org" or empty
    std::string notify = "FAILURE";  // "NEVER" or a comma list of SUCCESS, FAILURE, DELAY
};

struct OutboundEnvelope {
    AccountId account = 0;  // the submitting account
    std::string sender;     // the envelope sender, "" for the null sender
    std::string envid;
    bool return_full = true;  // RET=FULL (else HDRS)
    std::vector<OutboundRecipient> recipients;
};

struct CopiedMessage {
    Uid source_uid = 0;
    Uid new_uid = 0;
};

struct CopyResult {
    std::uint32_t destination_uidvalidity = 0;
    std::vector<CopiedMessage> copied;  // in source UID order
};

enum class FlagChange { Replace, Add, Remove };

// Whether a copy or move into or out of \Junk teaches the spam filter (rspamd is in use).
enum class Learning { Off, FromJunkMoves };

struct QuotaUsage {
    std::uint64_t bytes = 0;
    std::uint64_t messages = 0;
    std::uint64_t limit_bytes = 0;  // 0: unlimited
};

}  // namespace govmail::storage
