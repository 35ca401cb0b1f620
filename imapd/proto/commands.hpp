#pragma once

// One struct per IMAP command, as the parser hands them to the command handlers (Stalwart
// imap-proto/src/protocol/*.rs). Mailbox names are UTF-8, already decoded from modified UTF-7,
// and any case of "INBOX" is "INBOX". Atoms the server matches on (mechanisms, capabilities) are
// upper-cased; flags keep the client's spelling except system flags, which are "\Seen" etc.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "imapd/proto/date_time.hpp"
#include "imapd/proto/fetch_attribute.hpp"
#include "imapd/proto/search_key.hpp"
#include "imapd/proto/sequence_set.hpp"

namespace govmail::imap {

struct Capability {
    bool operator==(const Capability&) const = default;
};
struct Noop {
    bool operator==(const Noop&) const = default;
};
struct Logout {
    bool operator==(const Logout&) const = default;
};
struct StartTls {
    bool operator==(const StartTls&) const = default;
};

struct Authenticate {
    std::string mechanism{};  // upper-cased, e.g. "PLAIN", "EXTERNAL", "OAUTHBEARER"
    std::optional<std::string> initial_response;  // SASL-IR (RFC 4959), base64 text; "=" is empty

    bool operator==(const Authenticate&) const = default;
};

struct Login {
    std::string username{};
    std::string password{};

    bool operator==(const Login&) const = default;
};

// QRESYNC select parameter (RFC 7162 section 3.2.5).
struct QresyncParams {
    std::uint32_t uid_validity = 0;
    std::uint64_t mod_seq = 0;
    std::optional<SequenceSet> known_uids{};
    std::optional<SequenceSet>
        known_sequence_numbers{};  // seq-match-data, with known_sequence_uids
    std::optional<SequenceSet> known_sequence_uids{};

    bool operator==(const QresyncParams&) const = default;
};

// SELECT and EXAMINE.
struct Select {
    std::string mailbox{};
    bool read_only = false;  // EXAMINE
    bool condstore = false;
    std::optional<QresyncParams> qresync{};

    bool operator==(const Select&) const = default;
};

struct Create {
    std::string mailbox{};
    std::vector<std::string> special_use{};  // CREATE ... (USE (\Drafts)), RFC 6154

    bool operator==(const Create&) const = default;
};

struct Delete {
    std::string mailbox{};

    bool operator==(const Delete&) const = default;
};

struct Rename {
    std::string from{};
    std::string to{};

    bool operator==(const Rename&) const = default;
};

struct Subscribe {
    std::string mailbox{};

    bool operator==(const Subscribe&) const = default;
};

struct Unsubscribe {
    std::string mailbox{};

    bool operator==(const Unsubscribe&) const = default;
};

enum class StatusItem { Messages, Recent, UidNext, UidValidity, Unseen, HighestModSeq, Size };

// LIST-EXTENDED selection options (RFC 5258, RFC 6154).
struct ListSelection {
    bool subscribed = false;
    bool remote = false;
    bool recursive_match = false;
    bool special_use = false;

    bool operator==(const ListSelection&) const = default;
};

// LIST-EXTENDED return options (RFC 5258, RFC 5819 LIST-STATUS, RFC 6154).
struct ListReturn {
    bool subscribed = false;
    bool children = false;
    bool special_use = false;
    std::optional<std::vector<StatusItem>> status{};

    bool operator==(const ListReturn&) const = default;
};

struct List {
    std::string reference{};
    std::vector<std::string> patterns{};  // one for basic LIST, several with LIST-EXTENDED
    ListSelection selection{};
    ListReturn returns{};

    bool operator==(const List&) const = default;
};

struct Lsub {
    std::string reference{};
    std::string pattern{};

    bool operator==(const Lsub&) const = default;
};

struct Status {
    std::string mailbox{};
    std::vector<StatusItem> items{};

    bool operator==(const Status&) const = default;
};

// One part of a CATENATE message (RFC 4469): TEXT literal bytes, or a URL naming a part of a
// stored message (imap_url.hpp).
struct CatenatePart {
    bool is_url = false;
    std::string text{};  // the bytes, or the URL as sent

    bool operator==(const CatenatePart&) const = default;
};

struct AppendMessage {
    std::vector<std::string> flags{};
    std::optional<DateTime> internal_date{};
    std::string message{};
    bool binary = false;                   // sent as literal8 ~{n} (RFC 3516), may hold NUL
    std::vector<CatenatePart> catenate{};  // CATENATE (...) instead of a literal: its parts

    bool operator==(const AppendMessage&) const = default;
};

struct Append {
    std::string mailbox{};
    std::vector<AppendMessage> messages{};  // more than one with MULTIAPPEND (RFC 3502)

    bool operator==(const Append&) const = default;
};

struct Check {
    bool operator==(const Check&) const = default;
};
struct Close {
    bool operator==(const Close&) const = default;
};
struct Unselect {
    bool operator==(const Unselect&) const = default;
};

// EXPUNGE, and UID EXPUNGE set (RFC 4315) when uids is set.
struct Expunge {
    std::optional<SequenceSet> uids{};

    bool operator==(const Expunge&) const = default;
};

struct Search {
    bool uid = false;
    std::optional<SearchReturn> returns{};  // ESEARCH: RETURN (...); RETURN () means ALL
    SearchKey criteria{};                   // the root; several top-level keys make an And node

    bool operator==(const Search&) const = default;
};

struct Fetch {
    bool uid = false;
    SequenceSet set{};
    std::vector<FetchAttribute> attributes{};
    std::optional<std::uint64_t> changed_since{};  // (CHANGEDSINCE n), RFC 7162
    bool vanished = false;                         // (VANISHED), UID FETCH with QRESYNC

    bool operator==(const Fetch&) const = default;
};

enum class StoreMode { Replace, Add, Remove };  // FLAGS, +FLAGS, -FLAGS

struct Store {
    bool uid = false;
    SequenceSet set{};
    StoreMode mode = StoreMode::Replace;
    bool silent = false;
    std::vector<std::string> flags{};
    std::optional<std::uint64_t> unchanged_since{};  // (UNCHANGEDSINCE n), RFC 7162

    bool operator==(const Store&) const = default;
};

struct Copy {
    bool uid = false;
    SequenceSet set{};
    std::string mailbox{};

    bool operator==(const Copy&) const = default;
};

struct Move {
    bool uid = false;
    SequenceSet set{};
    std::string mailbox{};

    bool operator==(const Move&) const = default;
};

struct Idle {
    bool operator==(const Idle&) const = default;
};
struct Namespace {
    bool operator==(const Namespace&) const = default;
};

// ID (RFC 2971): field/value pairs, or nullopt for "ID NIL".
struct Id {
    using Field = std::pair<std::string, std::optional<std::string>>;
    std::optional<std::vector<Field>> fields{};

    bool operator==(const Id&) const = default;
};

struct Enable {
    std::vector<std::string> capabilities{};  // upper-cased

    bool operator==(const Enable&) const = default;
};

struct GetQuota {
    std::string root{};

    bool operator==(const GetQuota&) const = default;
};

struct GetQuotaRoot {
    std::string mailbox{};

    bool operator==(const GetQuotaRoot&) const = default;
};

struct QuotaLimit {
    std::string resource{};  // upper-cased, e.g. "STORAGE", "MESSAGE"
    std::uint64_t limit = 0;

    bool operator==(const QuotaLimit&) const = default;
};

struct SetQuota {
    std::string root{};
    std::vector<QuotaLimit> limits{};

    bool operator==(const SetQuota&) const = default;
};

// METADATA (RFC 5464). An empty mailbox names the server's entries. Entry names are
// lower-cased ("/private/comment").
enum class MetadataDepth { Exact, Children, All };  // DEPTH 0, 1, infinity

struct GetMetadata {
    std::string mailbox{};
    std::vector<std::string> entries{};
    std::optional<std::uint32_t> max_size{};  // MAXSIZE
    MetadataDepth depth = MetadataDepth::Exact;

    bool operator==(const GetMetadata&) const = default;
};

struct MetadataEntry {
    std::string name{};
    std::optional<std::string> value{};  // NIL removes the entry

    bool operator==(const MetadataEntry&) const = default;
};

struct SetMetadata {
    std::string mailbox{};
    std::vector<MetadataEntry> entries{};

    bool operator==(const SetMetadata&) const = default;
};

// SORT and UID SORT (RFC 5256), RETURN (...) being ESORT (RFC 5267), the DISPLAY keys RFC 5957.
enum class SortKeyKind { Arrival, Cc, Date, From, Size, Subject, To, DisplayFrom, DisplayTo };

struct SortCriterion {
    SortKeyKind key = SortKeyKind::Arrival;
    bool reverse = false;

    bool operator==(const SortCriterion&) const = default;
};

struct Sort {
    bool uid = false;
    std::optional<SearchReturn> returns{};
    std::vector<SortCriterion> criteria{};  // at least one
    SearchKey search{};

    bool operator==(const Sort&) const = default;
};

// THREAD and UID THREAD (RFC 5256 section 3).
enum class ThreadAlgorithm { OrderedSubject, References };

struct Thread {
    bool uid = false;
    ThreadAlgorithm algorithm = ThreadAlgorithm::References;
    SearchKey search{};

    bool operator==(const Thread&) const = default;
};

using Request = std::variant<
    Capability,
    Noop,
    Logout,
    StartTls,
    Authenticate,
    Login,
    Select,
    Create,
    Delete,
    Rename,
    Subscribe,
    Unsubscribe,
    List,
    Lsub,
    Status,
    Append,
    Check,
    Close,
    Unselect,
    Expunge,
    Search,
    Fetch,
    Store,
    Copy,
    Move,
    Idle,
    Namespace,
    Id,
    Enable,
    GetQuota,
    GetQuotaRoot,
    SetQuota,
    GetMetadata,
    SetMetadata,
    Sort,
    Thread>;

struct Command {
    std::string tag{};
    Request request{};

    bool operator==(const Command&) const = default;
};

}  // namespace govmail::imap
