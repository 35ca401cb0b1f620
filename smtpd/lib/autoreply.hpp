#pragma once

// Away auto-replies, the pure part: whether a delivered message gets an away reply from an
// account, and the reply itself. RFC 3834 (automatic responses) and RFC 5230 (Sieve
// vacation) say who never gets one: the null sender, MAILER-DAEMON, postmaster, abuse and list
// robots (owner-*, *-request, LISTSERV, majordomo), mail marked Auto-Submitted other than "no",
// list mail (List-* fields, Precedence bulk/list/junk), mail the account is not addressed in
// (To, Cc, Resent-To, Resent-Cc: a Bcc copy or forwarded mail gets none), the account's own
// mail; and, from the account's setting, mail outside its first and last day and, with
// scope "organisation", senders outside the local domains. The per-sender period is the
// store's (storage/autoreply_store.hpp). The reply goes to the envelope sender from the
// account, with Auto-Submitted: auto-replied, In-Reply-To and References; its envelope
// sender is null, so it can never be answered or bounced in turn.
//
// Input is untrusted mail: nothing from it reaches the reply's header unless it is a
// well-formed msg-id or text stripped of control characters and encoded (RFC 2047).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/parse.hpp"
#include "storage/autoreply_store.hpp"

namespace govmail::smtpd::autoreply {

// Why a message gets no away reply.
enum class NoReply {
    NullSender,     // MAIL FROM:<> (bounces, other auto-replies)
    InvalidSender,  // not an address a reply could go to
    SystemSender,   // MAILER-DAEMON, postmaster, abuse, LISTSERV, majordomo, owner-*, *-request
    AutoSubmitted,  // Auto-Submitted other than "no"
    ListMail,       // List-* field, or Precedence: bulk, list or junk
    Suppressed,     // X-Auto-Response-Suppress: All or OOF
    Disabled,       // the setting is off
    NotStarted,     // before its first day
    Ended,          // after its last day
    OutsideOrganisation,  // scope "organisation" and a sender outside the local domains
    OwnMessage,           // the account wrote to itself
    NotAddressed,         // the account is not in To, Cc, Resent-To or Resent-Cc
};

std::string_view to_string(NoReply reason);

// Untrusted TEXT as the value of an unstructured header field (a Subject): control
// characters become spaces, at most 250 bytes, encoded-words (RFC 2047) when not ASCII.
std::string header_text(std::string_view text);

// What the reply decision and the reply need from a delivered message.
struct Incoming {
    std::string sender;                       // the envelope sender, "" for the null sender
    std::vector<std::string> auto_submitted;  // every Auto-Submitted value, unfolded
    std::vector<std::string> precedence;      // every Precedence value, unfolded
    std::vector<std::string> suppress;        // every X-Auto-Response-Suppress value
    bool list_fields = false;                 // a List-* field is present
    std::vector<std::string> addressed;       // To/Cc/Resent-To/Resent-Cc, lower-case
    std::string subject;                      // decoded UTF-8, unfolded
    std::string message_id;                   // "<...>" when well-formed, else empty
    std::vector<std::string> references;      // well-formed msg-ids of References
};

// Reads RAW (the message as stored, with trace fields) and its PARSED structure.
Incoming read_incoming(
    std::string_view sender, std::string_view raw, const mime::ParsedMessage& parsed
);

// Why MESSAGE gets no away reply from anyone, or nullopt when an account may answer it.
std::optional<NoReply> message_exclusion(const Incoming& message);

struct ReplyContext {
    std::string today;                    // local date "YYYY-MM-DD"
    bool sender_in_organisation = false;  // the sender's domain is a local domain
    std::string hostname;                 // for the reply's Message-ID
    std::int64_t now = 0;                 // unix seconds, the reply's Date
    std::string unique;                   // a fresh random token for the Message-ID
};

// Why SETTING's account does not answer MESSAGE, or nullopt when it does (the period aside).
// Includes message_exclusion().
std::optional<NoReply> reply_exclusion(
    const Incoming& message, const storage::AutoReplySetting& setting, const ReplyContext& context
);

// The reply of SETTING's account to MESSAGE: a complete message with CRLF line ends.
std::string compose_reply(
    const Incoming& message, const storage::AutoReplySetting& setting, const ReplyContext& context
);

// Whether ID is a msg-id the reply may carry: "<id-left@id-right>" of printable ASCII without
// white space or angle brackets inside, at most 250 bytes.
bool is_msg_id(std::string_view id);

// The local date of UNIX_TIME, "YYYY-MM-DD".
std::string local_date(std::int64_t unix_time);

}  // namespace govmail::smtpd::autoreply
