#include "storage/imap_store.hpp"

#include <algorithm>
#include <charconv>

#include "mime/ascii.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/sql/transactions.hpp"
#include "storage/sql/imap.hpp"

namespace govmail::storage {

template <class T>
using Task = ImapStore::Task<T>;

Task<PgResult> ImapStore::run(const Statement& stmt, const Params& params) {
    auto conn = co_await pool_.acquire();
    if (!conn) {
        co_return conn.error();
    }
    co_return co_await (*conn)->execute(stmt, params);
}

Task<MailboxChanges> ImapStore::changes_since(AccountId account, MailboxId mailbox, ModSeq modseq) {
    auto r = co_await run(sql::kMailboxChanges, Params(account, mailbox, modseq));
    if (!r) {
        co_return r.error();
    }
    MailboxChanges out;
    for (int row = 0; row < r->rows(); ++row) {
        const auto uid = static_cast<Uid>(r->int64(row, 1));
        const auto row_modseq = static_cast<ModSeq>(r->int64(row, 2));
        out.highest_modseq = std::max(out.highest_modseq, row_modseq);
        if (r->text(row, 0) == "x") {
            out.expunged.push_back(uid);
        } else {
            out.changed.push_back(MessageState{uid, row_modseq, r->text_array(row, 3)});
        }
    }
    std::ranges::sort(out.changed, {}, &MessageState::uid);
    std::ranges::sort(out.expunged);
    co_return out;
}

Task<MessageBody> ImapStore::message_body(AccountId account, MailboxId mailbox, Uid uid) {
    co_return co_await run_one_row(
        pool_, sql::kMessageBody, Params(account, mailbox, uid),
        [](const PgResult& r, int row) {
            return MessageBody{std::string(r.bytes(row, 0)), std::string(r.bytes(row, 1))};
        }
    );
}

Task<std::vector<SearchAttributes>> ImapStore::search_attributes(
    AccountId account, MailboxId mailbox
) {
    auto r = co_await run(sql::kSearchAttributes, Params(account, mailbox));
    if (!r) {
        co_return r.error();
    }
    std::vector<SearchAttributes> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) {
        SearchAttributes a;
        a.uid = static_cast<Uid>(r->int64(row, 0));
        a.size = static_cast<std::uint64_t>(r->int64(row, 1));
        a.internal_date = r->int64(row, 2);
        if (!r->is_null(row, 3)) {
            a.sent_date = r->int64(row, 3);
        }
        out.push_back(a);
    }
    co_return out;
}

Task<std::vector<std::vector<Uid>>> ImapStore::search_texts(
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
        const bool subject =
            query.field == TextField::Header && mime::iequals(query.header_name, "subject");
        fields.emplace_back(
            subject ? "subject" : kFieldNames[static_cast<std::size_t>(query.field)]
        );
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
