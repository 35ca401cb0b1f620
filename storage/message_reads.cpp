// The Mailstore's reads of a selected mailbox: its view and what changed since a modseq, the
// cached structure and the bytes FETCH sends (bodies read in batches, one round trip each),
// and what SEARCH evaluates.

#include <algorithm>
#include <charconv>

#include "mime/ascii.hpp"
#include "mime/date.hpp"
#include "storage/mailstore.hpp"
#include "storage/mailstore_rows.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/sql/transactions.hpp"
#include "storage/sql/imap.hpp"
#include "storage/sql/messages.hpp"

namespace govmail::storage {

template <class T>
using Task = Mailstore::Task<T>;

Task<std::vector<MessageState>> Mailstore::mailbox_view(AccountId account, MailboxId mailbox) {
    co_return co_await run_all_rows(pool_, sql::kMailboxView, Params(account, mailbox), read_state);
}

Task<MailboxChanges> Mailstore::changes_since(AccountId account, MailboxId mailbox, ModSeq modseq) {
    auto r = co_await run_statement(pool_, sql::kMailboxChanges, Params(account, mailbox, modseq));
    if (!r) {
        co_return r.error();
    }
    MailboxChanges out;
    for (int row = 0; row < r->rows(); ++row) {
        const auto uid = static_cast<Uid>(r->int64(row, 1));
        const auto row_modseq = static_cast<ModSeq>(r->int64(row, 2));
        out.highest_modseq = std::max(out.highest_modseq, row_modseq);
        // The forgotten modseq counts in highest_modseq: a caller catching up from the UIDs
        // still present is then past it, and does not read them again at every catch-up.
        if (r->text(row, 0) == "f") {
            out.expunges_forgotten = true;
        } else if (r->text(row, 0) == "x") {
            out.expunged.push_back(uid);
        } else {
            out.changed.push_back(MessageState{uid, row_modseq, r->text_array(row, 3)});
        }
    }
    std::ranges::sort(out.changed, {}, &MessageState::uid);
    std::ranges::sort(out.expunged);
    co_return out;
}

Task<std::vector<MessageSummary>> Mailstore::fetch(
    AccountId account, MailboxId mailbox, const UidRanges& uids
) {
    Params params(account, mailbox);
    auto r = co_await run_statement(pool_, sql::kFetchSummaries, add_ranges(params, uids));
    if (!r) {
        co_return r.error();
    }
    std::vector<MessageSummary> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) {
        MessageSummary s;
        s.state = MessageState{
            static_cast<Uid>(r->int64(row, 0)), static_cast<ModSeq>(r->int64(row, 1)),
            r->text_array(row, 2)};
        s.internal_date = r->int64(row, 3);
        s.size = static_cast<std::uint64_t>(r->int64(row, 4));
        s.body_id = r->text(row, 5);
        s.envelope = r->text(row, 6);
        s.body_structure = r->text(row, 7);
        s.body = r->text(row, 8);
        s.parts = r->text(row, 9);
        out.push_back(std::move(s));
    }
    co_return out;
}

Task<std::vector<MessageBody>> Mailstore::message_bodies(
    AccountId account, MailboxId mailbox, std::span<const Uid> uids, std::uint64_t max_bytes
) {
    const std::vector<std::int64_t> wanted(uids.begin(), uids.end());
    co_return co_await run_all_rows(
        pool_, sql::kMessageBodies, Params(account, mailbox, wanted, max_bytes),
        [](const PgResult& r, int row) {
            return MessageBody{
                static_cast<Uid>(r.int64(row, 0)), std::string(r.bytes(row, 1)),
                std::string(r.bytes(row, 2))};
        }
    );
}

Task<std::string> Mailstore::fetch_raw(std::string_view body_id) {
    co_return co_await run_one_row(
        pool_, sql::kFetchRaw, Params(body_id),
        [](const PgResult& r, int row) { return std::string(r.bytes(row, 0)); }
    );
}

Task<Uid> Mailstore::recent_above_uid(AccountId account, MailboxId mailbox, Uid up_to, bool claim) {
    // Two statements rather than one call with conditional arguments: g++ 12 destroys a
    // temporary chosen by ?: in a co_await expression twice.
    const auto read = [](const PgResult& r, int row) { return static_cast<Uid>(r.int64(row, 0)); };
    if (claim) {
        co_return co_await run_one_row(
            pool_, sql::kClaimRecent, Params(account, mailbox, std::int64_t{up_to}), read
        );
    }
    co_return co_await run_one_row(pool_, sql::kRecentAboveUid, Params(account, mailbox), read);
}

Task<std::vector<SearchAttributes>> Mailstore::search_attributes(
    AccountId account, MailboxId mailbox, bool with_sent_day
) {
    co_return co_await run_all_rows(
        pool_, sql::kSearchAttributes, Params(account, mailbox, with_sent_day),
        [](const PgResult& r, int row) {
            SearchAttributes a;
            a.uid = static_cast<Uid>(r.int64(row, 0));
            a.size = static_cast<std::uint64_t>(r.int64(row, 1));
            a.internal_date = r.int64(row, 2);
            if (const auto date = r.optional_text(row, 3)) {
                a.sent_day = mime::parse_date_as_written(*date);
            }
            return a;
        }
    );
}

Task<std::vector<SortFields>> Mailstore::sort_fields(AccountId account, MailboxId mailbox) {
    co_return co_await run_all_rows(
        pool_, sql::kSortFields, Params(account, mailbox),
        [](const PgResult& r, int row) {
            SortFields f;
            f.uid = static_cast<Uid>(r.int64(row, 0));
            f.size = static_cast<std::uint64_t>(r.int64(row, 1));
            f.internal_date = r.int64(row, 2);
            f.sent_date = optional_int64(r, row, 3);
            f.subject = r.optional_text(row, 4).value_or("");
            f.from = r.optional_text(row, 5).value_or("");
            f.to = r.optional_text(row, 6).value_or("");
            f.cc = r.optional_text(row, 7).value_or("");
            f.message_id = r.optional_text(row, 8).value_or("");
            f.in_reply_to = r.optional_text(row, 9).value_or("");
            f.references = r.optional_text(row, 10).value_or("");
            return f;
        }
    );
}

namespace {

// The fields SEARCH FROM, TO, CC and BCC (and HEADER with those names) read as addresses.
bool is_address_field(std::string_view name) {
    return mime::iequals(name, "from") || mime::iequals(name, "to") || mime::iequals(name, "cc") ||
           mime::iequals(name, "bcc");
}

}  // namespace

Task<std::vector<std::vector<Uid>>> Mailstore::search_texts(
    AccountId account,
    MailboxId mailbox,
    std::span<const TextQuery> queries,
    std::chrono::milliseconds timeout
) {
    static constexpr std::string_view kFieldNames[] = {"header", "body", "text"};
    std::vector<std::string> fields;
    std::vector<std::string> header_names;
    std::vector<std::string> texts;
    for (const auto& query : queries) {
        const bool header = query.field == TextField::Header;
        if (header && mime::iequals(query.header_name, "subject")) {
            fields.emplace_back("subject");
        } else if (header && is_address_field(query.header_name)) {
            fields.emplace_back("address");
        } else {
            fields.emplace_back(kFieldNames[static_cast<std::size_t>(query.field)]);
        }
        header_names.emplace_back(query.header_name);
        texts.emplace_back(query.text);
    }
    const Params none;
    const Params limit(std::to_string(timeout.count()));
    const Params search(account, mailbox, fields, header_names, texts);
    const PipelineStep steps[] = {
        {sql::kBegin, none},
        {sql::kLimitStatementTime, limit},
        {sql::kSearchTexts, search},
        {sql::kCommit, none},
    };
    auto conn = co_await pool_.acquire();
    if (!conn) {
        co_return conn.error();
    }
    auto sent = co_await (*conn)->execute_pipeline(steps);
    if (!sent) {
        // The failed step left the transaction open and aborted; the connection stays usable.
        co_await (*conn)->execute_script("ROLLBACK");
        co_return sent.error;
    }
    const auto& rows = sent.results[2];
    std::vector<std::vector<Uid>> out(queries.size());
    for (int row = 0; row < rows.rows(); ++row) {
        const auto uid = static_cast<Uid>(rows.int64(row, 0));
        for (const auto& number : rows.text_array(row, 1)) {
            std::size_t key = 0;
            std::from_chars(number.data(), number.data() + number.size(), key);
            out.at(key - 1).push_back(uid);
        }
    }
    co_return out;
}

}  // namespace govmail::storage
