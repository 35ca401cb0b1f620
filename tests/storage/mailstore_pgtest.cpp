// Storage against the real embedded PostgreSQL: delivery, UIDs, UIDVALIDITY, flags, copy,
// move, expunge, atomicity and change notification.

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <set>
#include <thread>

#include "mime/parts.hpp"
#include "storage/change_listener.hpp"
#include "storage/migrate.hpp"
#include "storage/pg/errc.hpp"
#include "storage/sql/messages.hpp"
#include "tests/storage/storage_fixture.hpp"

namespace govmail::test {
namespace {

constexpr std::size_t kMaxMailboxes = 100;  // per account, far above what a test makes

using storage::Errc;
using storage::Uid;

TEST_F(StorageTest, MigrationIsIdempotent) {
    auto outcome = run([&]() -> boost::asio::awaitable<Result<storage::MigrationReport>> {
        auto conn = co_await pool.acquire();
        if (!conn) {
            co_return conn.error();
        }
        co_return co_await storage::migrate(**conn, {});
    }());
    ASSERT_TRUE(outcome) << outcome.error().message();
    EXPECT_EQ(outcome->applied, 0);
    EXPECT_GE(outcome->current_version, 1);
}

TEST_F(StorageTest, NewAccountHasStandardMailboxes) {
    const auto account = new_account();
    const auto mailboxes = ok(store.list_mailboxes(account.id));
    std::set<std::string> names;
    std::set<std::string> special;
    for (const auto& m : mailboxes) {
        names.insert(m.name);
        if (m.special_use) {
            special.insert(*m.special_use);
        }
    }
    EXPECT_EQ(
        names, (std::set<std::string>{"Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"})
    );
    EXPECT_EQ(
        special, (std::set<std::string>{"\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash"})
    );
}

TEST_F(StorageTest, DuplicateAddressIsRefusedAsExists) {
    const auto account = new_account();
    auto again = run(store.create_account(
        storage::NewAccount{account.address, "", false}, set_up_audit<storage::Account>()
    ));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), make_error_code(Errc::Exists));
}

// libpq ends a text parameter at its first NUL: "name\0x" would be looked up as "name". The
// driver refuses to send such a parameter, whichever store asks.
TEST_F(StorageTest, ATextParameterHoldingANulIsNeverSent) {
    const auto account = new_account();
    const auto cut = run(store.find_account(account.address + std::string("\0x", 2)));
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error(), make_error_code(storage::Errc::InvalidData));
    EXPECT_TRUE(run(store.find_account(account.address)));
}

// Names fold ASCII letters only, in SQL as in C++ (common/names.hpp): U+212A KELVIN SIGN and
// U+0130 are other names, not spellings of 'k' and 'i'.
TEST_F(StorageTest, AccountNamesFoldAsciiLettersOnly) {
    const auto account = ok(store.create_account(
        storage::NewAccount{unique_address("kim"), "Kim Test", false},
        set_up_audit<storage::Account>()
    ));
    auto upper = account.address;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    EXPECT_EQ(ok(store.find_account(upper)).id, account.id);
    auto kelvin = account.address;
    kelvin.replace(kelvin.find('k'), 1, "\xe2\x84\xaa");
    auto dotted = account.address;
    dotted.replace(dotted.find('i'), 1, "\xc4\xb0");
    for (const auto& name : {kelvin, dotted}) {
        const auto found = run(store.find_account(name));
        ASSERT_FALSE(found);
        EXPECT_EQ(found.error(), make_error_code(storage::Errc::NotFound));
    }
}

TEST_F(StorageTest, BodyDeliveredToHundredRecipientsIsStoredOnce) {
    std::vector<storage::AccountId> accounts;
    for (int i = 0; i < 100; ++i) {
        accounts.push_back(new_account().id);
    }
    const auto raw = sample_message("hundred-" + unique_address());
    const auto delivered = deliver(raw, accounts);
    ASSERT_EQ(delivered.size(), 100u);

    const auto counts = ok([&]() -> boost::asio::awaitable<Result<storage::PgResult>> {
        auto conn = co_await pool.acquire();
        static constexpr storage::Statement kCount{
            "test_count_body",
            "SELECT (SELECT count(*) FROM message_bodies WHERE raw = $1),"
            " (SELECT count(*) FROM mailbox_messages m JOIN message_bodies b USING (body_hash)"
            "  WHERE b.raw = $1)",
        };
        co_return co_await (*conn)->execute(kCount, storage::Params(storage::Binary{raw}));
    }());
    EXPECT_EQ(counts.int64(0, 0), 1);
    EXPECT_EQ(counts.int64(0, 1), 100);
    for (const auto& d : delivered) {
        EXPECT_EQ(d.uid, 1u);
    }
}

TEST_F(StorageTest, UidsStrictlyIncreaseAndAreNeverReusedAfterExpunge) {
    const auto account = new_account();
    std::vector<Uid> uids;
    for (int i = 0; i < 5; ++i) {
        uids.push_back(deliver(sample_message("m" + std::to_string(i)), {account.id})[0].uid);
    }
    EXPECT_EQ(uids, (std::vector<Uid>{1, 2, 3, 4, 5}));

    const auto inbox = ok(store.find_mailbox(account.id, "INBOX"));
    ok(store.store_flags(account.id, inbox.id, {{4, 5}}, storage::FlagChange::Add, {"\\Deleted"}));
    const auto expunged = ok(store.expunge(account.id, inbox.id));
    EXPECT_EQ(expunged, (std::vector<Uid>{4, 5}));

    const auto next = deliver(sample_message("after-expunge"), {account.id})[0].uid;
    EXPECT_EQ(next, 6u);
    std::vector<Uid> view;
    for (const auto& m : ok(store.mailbox_view(account.id, inbox.id))) {
        view.push_back(m.uid);
    }
    EXPECT_EQ(view, (std::vector<Uid>{1, 2, 3, 6}));
    EXPECT_EQ(ok(store.changes_since(account.id, inbox.id, 0)).expunged, (std::vector<Uid>{4, 5}));
}

TEST_F(StorageTest, UidValidityChangesOnlyWhenMailboxIsRecreated) {
    const auto account = new_account();
    const auto first = ok(store.create_mailbox(account.id, "Projects", kMaxMailboxes));
    deliver(sample_message("x"), {account.id});
    EXPECT_EQ(ok(store.find_mailbox(account.id, "Projects")).uidvalidity, first.uidvalidity);

    ok(store.rename_mailbox(account.id, "Projects", "Projects2", kMaxMailboxes));
    EXPECT_EQ(ok(store.find_mailbox(account.id, "Projects2")).uidvalidity, first.uidvalidity);

    ok(store.delete_mailbox(account.id, "Projects2"));
    const auto recreated = ok(store.create_mailbox(account.id, "Projects2", kMaxMailboxes));
    EXPECT_NE(recreated.uidvalidity, first.uidvalidity);
    EXPECT_EQ(recreated.uidnext, 1u);
}

TEST_F(StorageTest, ConcurrentDeliveriesToOneMailboxNeverDuplicateUids) {
    const auto account = new_account();
    constexpr int kWriters = 8;
    constexpr int kPerWriter = 25;
    std::vector<Uid> uids;
    std::mutex uids_mutex;
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            boost::asio::io_context own;
            storage::Pool own_pool(own.get_executor(), storage::PoolOptions{test_dsn(), 1});
            storage::Mailstore own_store(own_pool);
            for (int i = 0; i < kPerWriter; ++i) {
                const auto raw = sample_message("c" + std::to_string(w) + "-" + std::to_string(i));
                const auto parsed = mime::parse(raw);
                const storage::DeliveryTarget target{account.id, "INBOX"};
                auto r = test::run(
                    own,
                    own_store.deliver(storage::IncomingMessage{raw, parsed, 0, {}}, {&target, 1})
                );
                ASSERT_TRUE(r) << r.error().message();
                std::lock_guard lock(uids_mutex);
                uids.push_back((*r)[0].uid);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    ASSERT_EQ(uids.size(), static_cast<std::size_t>(kWriters * kPerWriter));
    const std::set<Uid> distinct(uids.begin(), uids.end());
    EXPECT_EQ(distinct.size(), uids.size());
    EXPECT_EQ(*distinct.rbegin(), static_cast<Uid>(kWriters * kPerWriter));
}

TEST_F(StorageTest, DeliveryToAMissingMailboxStoresNothingForAnyRecipient) {
    const auto a = new_account();
    const auto b = new_account();
    const auto raw = sample_message("atomic-" + unique_address());
    const auto parsed = mime::parse(raw);
    const std::vector<storage::DeliveryTarget> targets{{a.id, "INBOX"}, {b.id, "NoSuchBox"}};
    auto r = run(store.deliver(storage::IncomingMessage{raw, parsed, 0, {}}, targets));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), make_error_code(Errc::NotFound));
    const auto inbox = ok(store.mailbox_status(a.id, "INBOX"));
    EXPECT_EQ(inbox.counts.value().messages, 0u);
    EXPECT_EQ(inbox.uidnext, 1u);
    EXPECT_EQ(stored_bodies(raw), 0) << "the body must not stay behind";
}

// MULTIAPPEND (RFC 3502) stores all its messages or none: when the second fails (a flag
// holding NUL, which the driver refuses to send), the first is not stored either.
TEST_F(StorageTest, DeliverAllStoresEveryMessageOrNone) {
    const auto account = new_account();
    const auto first = sample_message("first-" + unique_address());
    const auto second = sample_message("second-" + unique_address());
    const auto parsed_first = mime::parse(first);
    const auto parsed_second = mime::parse(second);
    const storage::DeliveryTarget inbox{account.id, "INBOX"};
    const std::vector<storage::IncomingMessage> failing{
        {first, parsed_first, 0, {}}, {second, parsed_second, 0, {std::string("bad\0flag", 8)}}};
    const auto refused = run(store.deliver_all(failing, inbox));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error(), make_error_code(Errc::InvalidData));
    EXPECT_EQ(ok(store.mailbox_status(account.id, "INBOX")).counts.value().messages, 0u);
    EXPECT_EQ(stored_bodies(first), 0) << "the first body must not stay behind";

    const std::vector<storage::IncomingMessage> both{
        {first, parsed_first, 0, {}}, {second, parsed_second, 0, {"\\Seen"}}};
    const auto delivered = ok(store.deliver_all(both, inbox));
    ASSERT_EQ(delivered.size(), 2u);
    EXPECT_EQ(delivered[1].uid, delivered[0].uid + 1);
    const auto status = ok(store.mailbox_status(account.id, "INBOX"));
    EXPECT_EQ(status.counts.value().messages, 2u);
    EXPECT_EQ(status.counts.value().unseen, 1u);
}

// Deleted mail leaves the database: a body goes with the last message holding it (EXPUNGE,
// DELETE of a mailbox), never while another mailbox still holds it.
TEST_F(StorageTest, RemovingTheLastMessageHoldingABodyDeletesTheBody) {
    const auto account = new_account();
    const auto raw = sample_message("cleanup-" + unique_address());
    const auto kept = sample_message("kept-" + unique_address());
    deliver(raw, {account.id});
    deliver(kept, {account.id});
    const auto inbox = ok(store.find_mailbox(account.id, "INBOX"));
    const auto old = ok(store.create_mailbox(account.id, "Old", kMaxMailboxes));
    ok(store.copy(account.id, inbox.id, {{1, 1}}, old.id));
    ok(store.store_flags(account.id, inbox.id, {{1, 1}}, storage::FlagChange::Add, {"\\Deleted"}));
    EXPECT_EQ(ok(store.expunge(account.id, inbox.id)), (std::vector<Uid>{1}));
    EXPECT_EQ(stored_bodies(raw), 1) << "Old still holds the message";
    ok(store.delete_mailbox(account.id, "Old"));
    EXPECT_EQ(stored_bodies(raw), 0);
    EXPECT_EQ(stored_bodies(kept), 1);
    ok(store.store_flags(account.id, inbox.id, {{2, 2}}, storage::FlagChange::Add, {"\\Deleted"}));
    EXPECT_EQ(ok(store.expunge(account.id, inbox.id)), (std::vector<Uid>{2}));
    EXPECT_EQ(stored_bodies(kept), 0);
    ok(store.create_mailbox(account.id, "Empty", kMaxMailboxes));
    ok(store.delete_mailbox(account.id, "Empty"));
    EXPECT_EQ(
        run(store.delete_mailbox(account.id, "Empty")).error(), make_error_code(Errc::NotFound)
    );
}

// The delivering backend is killed after its inserts and before COMMIT: nothing of the
// message may be visible afterwards, for any recipient.
TEST_F(StorageTest, KilledConnectionMidDeliveryLeavesNothingHalfWritten) {
    const auto a = new_account();
    const auto b = new_account();
    const auto raw = sample_message("killed-" + unique_address());
    const auto parsed = mime::parse(raw);
    const auto outcome = run([&]() -> boost::asio::awaitable<bool> {
        auto victim = co_await pool.acquire();
        auto killer = co_await pool.acquire();
        static constexpr storage::Statement kPid{"test_pid", "SELECT pg_backend_pid()"};
        static constexpr storage::Statement kKill{"test_kill", "SELECT pg_terminate_backend($1)"};
        const auto pid = (co_await (*victim)->execute(kPid, {}))->int64(0, 0);
        co_await (*victim)->execute_script("BEGIN");
        const std::vector<std::string> accounts{std::to_string(a.id), std::to_string(b.id)};
        const std::vector<std::string> boxes{"INBOX", "INBOX"};
        const std::string hash(32, 'k');
        storage::Params body(storage::Binary{hash}, raw.size(), storage::Binary{raw});
        body.add(parsed.envelope)
            .add(parsed.body_structure)
            .add(parsed.body)
            .add("")
            .add("")
            .add("");
        body.add(std::nullopt);
        const bool inserted =
            static_cast<bool>(co_await (*victim)->execute(storage::sql::kInsertBody, body));
        const bool appended = static_cast<bool>(co_await (*victim)->execute(
            storage::sql::kAppendToTargets,
            storage::Params(
                accounts, boxes, storage::Binary{hash}, raw.size(), std::vector<std::string>{}
            )
                .add(0)
                .add(false)
        ));
        co_await (*killer)->execute(kKill, storage::Params(pid));
        const bool committed = static_cast<bool>(co_await (*victim)->execute_script("COMMIT"));
        co_return inserted&& appended && !committed && (*victim)->broken();
    }());
    EXPECT_TRUE(outcome) << "the victim's inserts must succeed and its COMMIT must fail";
    for (const auto& account : {a, b}) {
        const auto inbox = ok(store.mailbox_status(account.id, "INBOX"));
        EXPECT_EQ(inbox.counts.value().messages, 0u);
        EXPECT_EQ(inbox.uidnext, 1u);
    }
    // The pool replaces the killed connection: the store keeps working.
    EXPECT_EQ(deliver(raw, {a.id})[0].uid, 1u);
}

TEST_F(StorageTest, LocalAndRemoteRecipientsAreStoredAndQueuedInOneDelivery) {
    const auto sender = new_account();
    const auto local = new_account();
    const auto raw = sample_message("mixed-" + unique_address());
    const auto parsed = mime::parse(raw);
    const storage::DeliveryTarget target{local.id, "INBOX"};
    storage::OutboundEnvelope outbound{
        sender.id,
        sender.address,
        "env-1",
        true,
        {{"friend@elsewhere.example", "rfc822;friend@elsewhere.example", "FAILURE,DELAY"}}};
    const auto delivered =
        ok(store.deliver(storage::IncomingMessage{raw, parsed, 0, {}}, {&target, 1}, &outbound));
    ASSERT_EQ(delivered.size(), 1u);
    const auto queued = ok([&]() -> boost::asio::awaitable<Result<storage::PgResult>> {
        auto conn = co_await pool.acquire();
        static constexpr storage::Statement kQueued{
            "test_queued",
            "SELECT r.recipient, r.orcpt, r.notify, r.state, q.sender, q.envid"
            " FROM outbound_recipients r JOIN outbound_queue q USING (account_id, queue_id)"
            " WHERE r.account_id = $1",
        };
        co_return co_await (*conn)->execute(kQueued, storage::Params(sender.id));
    }());
    ASSERT_EQ(queued.rows(), 1);
    EXPECT_EQ(queued.text(0, 0), "friend@elsewhere.example");
    EXPECT_EQ(queued.text(0, 1), "rfc822;friend@elsewhere.example");
    EXPECT_EQ(queued.text(0, 2), "FAILURE,DELAY");
    EXPECT_EQ(queued.text(0, 4), sender.address);
    EXPECT_EQ(queued.text(0, 5), "env-1");
}

TEST_F(StorageTest, StoreFlagsAddRemoveReplaceAndBumpModseq) {
    const auto account = new_account();
    deliver(sample_message("f1"), {account.id});
    deliver(sample_message("f2"), {account.id});
    const auto inbox = ok(store.find_mailbox(account.id, "INBOX"));
    const auto added = ok(store.store_flags(
        account.id, inbox.id, {{1, 2}}, storage::FlagChange::Add, {"\\Seen", "$Work"}
    ));
    ASSERT_EQ(added.size(), 2u);
    EXPECT_EQ(added[0].flags, (std::vector<std::string>{"$Work", "\\Seen"}));
    EXPECT_GT(added[0].modseq, inbox.highest_modseq);

    const auto again =
        ok(store.store_flags(account.id, inbox.id, {{1, 2}}, storage::FlagChange::Add, {"\\Seen"}));
    EXPECT_TRUE(again.empty()) << "unchanged messages keep their modseq";
    EXPECT_EQ(ok(store.find_mailbox(account.id, "INBOX")).highest_modseq, added[0].modseq)
        << "a STORE that changes nothing leaves the mailbox's modseq";

    const auto removed = ok(
        store.store_flags(account.id, inbox.id, {{2, 2}}, storage::FlagChange::Remove, {"\\Seen"})
    );
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].flags, (std::vector<std::string>{"$Work"}));

    const auto conditional = ok(store.store_flags(
        account.id, inbox.id, {{1, 1}}, storage::FlagChange::Replace, {"\\Flagged"},
        storage::ModSeq{1}
    ));
    EXPECT_TRUE(conditional.empty()) << "UNCHANGEDSINCE older than the message's modseq";

    const auto changed = ok(store.changes_since(account.id, inbox.id, added[0].modseq)).changed;
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].uid, 2u);
    EXPECT_EQ(ok(store.mailbox_status(account.id, "INBOX")).counts.value().unseen, 1u);
    EXPECT_FALSE(ok(store.find_mailbox(account.id, "INBOX")).counts) << "SELECT counts nothing";
}

TEST_F(StorageTest, CopyAndMoveAssignNewUidsAndKeepFlags) {
    const auto account = new_account();
    for (int i = 0; i < 3; ++i) {
        deliver(sample_message("cm" + std::to_string(i)), {account.id});
    }
    const auto inbox = ok(store.find_mailbox(account.id, "INBOX"));
    const auto archive = ok(store.find_mailbox(account.id, "Archive"));
    ok(store.store_flags(account.id, inbox.id, {{2, 2}}, storage::FlagChange::Add, {"\\Flagged"}));

    const auto copied = ok(store.copy(account.id, inbox.id, {{2, 3}}, archive.id));
    EXPECT_EQ(copied.destination_uidvalidity, archive.uidvalidity);
    ASSERT_EQ(copied.copied.size(), 2u);
    EXPECT_EQ(copied.copied[0].source_uid, 2u);
    EXPECT_EQ(copied.copied[0].new_uid, 1u);
    EXPECT_EQ(copied.copied[1].new_uid, 2u);

    const auto moved = ok(store.move(account.id, inbox.id, {{1, 1}}, archive.id));
    ASSERT_EQ(moved.copied.size(), 1u);
    EXPECT_EQ(moved.copied[0].new_uid, 3u);

    const auto archived = ok(store.fetch(account.id, archive.id, {{1, 100}}));
    ASSERT_EQ(archived.size(), 3u);
    EXPECT_EQ(archived[0].state.flags, (std::vector<std::string>{"\\Flagged"}));
    EXPECT_EQ(ok(store.mailbox_view(account.id, inbox.id)).size(), 2u);
    EXPECT_EQ(ok(store.changes_since(account.id, inbox.id, 0)).expunged, (std::vector<Uid>{1}));
}

TEST_F(StorageTest, FetchReturnsCachedStructureAndRawBytes) {
    const auto account = new_account();
    const auto raw = sample_message("fetch-me", "Body text here.");
    deliver(raw, {account.id});
    const auto inbox = ok(store.find_mailbox(account.id, "INBOX"));
    const auto fetched = ok(store.fetch(account.id, inbox.id, {{1, 1}}));
    ASSERT_EQ(fetched.size(), 1u);
    const auto parsed = mime::parse(raw);
    EXPECT_EQ(fetched[0].envelope, parsed.envelope);
    EXPECT_EQ(fetched[0].body_structure, parsed.body_structure);
    EXPECT_EQ(fetched[0].size, raw.size());
    EXPECT_EQ(fetched[0].internal_date, 1'700'000'000);
    EXPECT_EQ(ok(store.fetch_raw(fetched[0].body_id)), raw);
    EXPECT_EQ(ok(store.quota_usage(account.id)).bytes, raw.size());
}

TEST_F(StorageTest, MessageBodiesAreReadInUidOrderAndBatchesBoundedByBytes) {
    const auto account = new_account();
    std::vector<std::string> raws;
    for (int i = 1; i <= 5; ++i) {
        raws.push_back(sample_message("batch-" + std::to_string(i), std::string(100 * i, 'b')));
        deliver(raws.back(), {account.id});
    }
    const auto inbox = ok(store.find_mailbox(account.id, "INBOX"));
    ok(store.store_flags(account.id, inbox.id, {{3, 3}}, storage::FlagChange::Add, {"\\Deleted"}));
    ok(store.expunge(account.id, inbox.id));
    const std::vector<Uid> all{1, 2, 3, 4, 5};
    const auto uids_of = [](const std::vector<storage::MessageBody>& bodies) {
        std::vector<Uid> uids;
        for (const auto& body : bodies) {
            uids.push_back(body.uid);
        }
        return uids;
    };

    const auto everything = ok(store.message_bodies(account.id, inbox.id, all, 1 << 20));
    EXPECT_EQ(uids_of(everything), (std::vector<Uid>{1, 2, 4, 5})) << "the expunged left out";
    ASSERT_EQ(everything.size(), 4U);
    EXPECT_EQ(everything[2].raw, raws[3]);
    EXPECT_EQ(
        mime::deserialize_parts(everything[2].parts).value().size(),
        mime::parse(raws[3]).parts.size()
    );

    const auto first_two = ok(store.message_bodies(account.id, inbox.id, all, raws[0].size() + 1));
    EXPECT_EQ(uids_of(first_two), (std::vector<Uid>{1, 2}))
        << "reading stops after the body that reaches the bound";
    EXPECT_EQ(
        uids_of(ok(store.message_bodies(account.id, inbox.id, all, 1))), (std::vector<Uid>{1})
    ) << "a batch holds at least one body";
    const std::vector<Uid> rest{3, 4, 5};
    EXPECT_EQ(
        uids_of(ok(store.message_bodies(account.id, inbox.id, rest, raws[3].size()))),
        (std::vector<Uid>{4})
    );
}

// Migration 12: the large text columns of a message (here its 100 KB search text) are stored
// lz4-compressed (Debian's PostgreSQL has lz4; the default would be reported as "pglz").
TEST_F(StorageTest, LargeMessageTextIsStoredWithLz4) {
    const auto account = new_account();
    std::string body;
    for (int line = 0; body.size() < 100'000; ++line) {
        body += "Line " + std::to_string(line) + " of the quarterly report, nothing secret.\r\n";
    }
    deliver(sample_message("lz4-" + unique_address(), body), {account.id});
    static constexpr storage::Statement kCompression{
        "test_compression",
        "SELECT pg_column_compression(b.search_text)"
        " FROM message_bodies b JOIN mailbox_messages m USING (body_hash)"
        " WHERE m.account_id = $1"};
    const auto methods = run([&]() -> boost::asio::awaitable<Result<std::string>> {
        auto conn = co_await pool.acquire();
        if (!conn) {
            co_return conn.error();
        }
        auto rows = co_await (*conn)->execute(kCompression, storage::Params(account.id));
        if (!rows) {
            co_return rows.error();
        }
        co_return std::string(rows->text(0, 0));
    }());
    ASSERT_TRUE(methods) << methods.error().message();
    EXPECT_EQ(*methods, "lz4");
}

TEST_F(StorageTest, RenamingInboxMovesItsMessagesAndLeavesInboxEmpty) {
    const auto account = new_account();
    deliver(sample_message("r1"), {account.id});
    deliver(sample_message("r2"), {account.id});
    ok(store.rename_mailbox(account.id, "INBOX", "Old Inbox", kMaxMailboxes));
    EXPECT_EQ(ok(store.mailbox_status(account.id, "INBOX")).counts.value().messages, 0u);
    EXPECT_EQ(ok(store.mailbox_status(account.id, "Old Inbox")).counts.value().messages, 2u);
}

TEST_F(StorageTest, RenameMovesChildrenButNotLookalikes) {
    const auto account = new_account();
    ok(store.create_mailbox(account.id, "Work", kMaxMailboxes));
    ok(store.create_mailbox(account.id, "Work/2026", kMaxMailboxes));
    ok(store.create_mailbox(account.id, "Workshop", kMaxMailboxes));
    ok(store.rename_mailbox(account.id, "Work", "Job", kMaxMailboxes));
    EXPECT_TRUE(run(store.find_mailbox(account.id, "Job/2026")));
    EXPECT_TRUE(run(store.find_mailbox(account.id, "Workshop")));
    EXPECT_FALSE(run(store.find_mailbox(account.id, "Work")));
}

TEST_F(StorageTest, ChildNamesAreTheNamesARenameMoves) {
    const auto account = new_account();
    ok(store.create_mailbox(account.id, "Work", kMaxMailboxes));
    ok(store.create_mailbox(account.id, "Work/2026", kMaxMailboxes));
    ok(store.create_mailbox(account.id, "Work/2026/Q1", kMaxMailboxes));
    ok(store.create_mailbox(account.id, "Workshop", kMaxMailboxes));
    EXPECT_EQ(
        ok(store.child_mailbox_names(account.id, "Work")),
        (std::vector<std::string>{"Work/2026", "Work/2026/Q1"})
    );
}

TEST_F(StorageTest, AnAccountHoldsAtMostTheMailboxLimit) {
    const auto account = new_account();  // INBOX and five special-use mailboxes
    const std::size_t limit = ok(store.list_mailboxes(account.id)).size() + 1;
    ok(store.create_mailbox(account.id, "One more", limit));
    const auto refused = run(store.create_mailbox(account.id, "Too many", limit));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error(), storage::Errc::Limit);
    const auto existing = run(store.create_mailbox(account.id, "One more", limit));
    ASSERT_FALSE(existing);
    EXPECT_EQ(existing.error(), storage::Errc::Exists);
    const auto renamed_inbox = run(store.rename_mailbox(account.id, "INBOX", "Old", limit));
    ASSERT_FALSE(renamed_inbox);
    EXPECT_EQ(renamed_inbox.error(), storage::Errc::Limit);
    EXPECT_FALSE(run(store.find_mailbox(account.id, "Too many")));
}

TEST_F(StorageTest, ChangeNotificationReachesASecondConnection) {
    const auto account = new_account();
    std::vector<storage::MailboxChange> seen;
    bool ready = false;
    boost::asio::co_spawn(
        ioc,
        storage::listen_for_changes(
            pool, [&](const storage::MailboxChange& c) { seen.push_back(c); }, [&] { ready = true; }
        ),
        boost::asio::detached
    );
    ASSERT_TRUE(run_until(ioc, [&] { return ready; }));
    const auto delivered = deliver(sample_message("notify"), {account.id});
    const auto expected_mailbox = delivered[0].mailbox;
    auto arrived = [&] {
        for (const auto& c : seen) {
            if (c.account == account.id && c.mailbox == expected_mailbox) {
                return true;
            }
        }
        return false;
    };
    EXPECT_TRUE(run_until(ioc, arrived));
}

TEST(MailboxChangePayload, ParsesOnlyWellFormedPayloads) {
    const auto ok_change = storage::parse_mailbox_change("12:34");
    ASSERT_TRUE(ok_change);
    EXPECT_EQ(ok_change->account, 12);
    EXPECT_EQ(ok_change->mailbox, 34);
    for (const char* bad : {"", "12", ":34", "12:", "a:b", "12:34x", "-1:2", "0:5"}) {
        EXPECT_FALSE(storage::parse_mailbox_change(bad)) << bad;
    }
}

}  // namespace
}  // namespace govmail::test
