#include "storage/sql/migrations.hpp"

#include <array>

namespace govmail::storage::sql {
namespace {

// Every per-account table leads its key with account_id, so the schema can be distributed
// by account (Citus: distribute by account_id, co-located). message_bodies is shared by
// content hash across accounts (a reference-style table); bodies are never updated.
constexpr std::string_view kInitialSchema = R"SQL(
CREATE SEQUENCE uidvalidity_seq;
SELECT setval('uidvalidity_seq', extract(epoch FROM now())::bigint);

CREATE TABLE directory_people (
    employee_no   text PRIMARY KEY,
    name          text NOT NULL,
    org_unit      text NOT NULL DEFAULT '',
    position      text NOT NULL DEFAULT '',
    mail_id       text,
    office_phone  text,
    mobile_phone  text,
    cert_identity text,
    retired       boolean NOT NULL DEFAULT false,
    synced_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX directory_people_mail_id ON directory_people (lower(mail_id));

CREATE TABLE accounts (
    account_id    bigserial PRIMARY KEY,
    address       text NOT NULL,
    display_name  text NOT NULL DEFAULT '',
    org_unit      text NOT NULL DEFAULT '',
    employee_no   text REFERENCES directory_people (employee_no) ON DELETE SET NULL,
    kind          text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'service')),
    state         text NOT NULL DEFAULT 'active'
                  CHECK (state IN ('active', 'suspended', 'locked', 'retired')),
    password_hash text,
    quota_bytes   bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_address ON accounts (lower(address));

CREATE TABLE signup_requests (
    request_id    bigserial PRIMARY KEY,
    employee_no   text,
    mail_id       text NOT NULL,
    cert_issuer   text,
    cert_serial   text,
    cert_sha256   bytea,
    cert_pem      text,
    source_addr   inet,
    state         text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'approved', 'rejected')),
    reason        text,
    decided_by    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    decided_at    timestamptz
);

CREATE TABLE cert_bindings (
    account_id    bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    binding_id    bigserial,
    issuer        text NOT NULL,
    serial        text NOT NULL,
    sha256        bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    PRIMARY KEY (account_id, binding_id)
);
CREATE UNIQUE INDEX cert_bindings_active ON cert_bindings (sha256) WHERE revoked_at IS NULL;

CREATE TABLE mailboxes (
    account_id     bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    mailbox_id     bigserial,
    name           text NOT NULL,
    special_use    text CHECK (special_use IN
                   ('\All', '\Archive', '\Drafts', '\Flagged', '\Junk', '\Sent', '\Trash')),
    subscribed     boolean NOT NULL DEFAULT true,
    uidvalidity    bigint NOT NULL DEFAULT nextval('uidvalidity_seq'),
    uidnext        bigint NOT NULL DEFAULT 1,
    highestmodseq  bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, mailbox_id),
    UNIQUE (account_id, name)
);

CREATE TABLE message_bodies (
    body_hash      bytea PRIMARY KEY,
    size           bigint NOT NULL,
    raw            bytea NOT NULL,
    envelope       text NOT NULL,
    body_structure text NOT NULL,
    body           text NOT NULL,
    parts          text NOT NULL,
    header_text    text NOT NULL DEFAULT '',
    search_text    text NOT NULL DEFAULT '',
    sent_date      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE message_bodies ALTER COLUMN raw SET STORAGE EXTERNAL;

CREATE TABLE mailbox_messages (
    account_id     bigint NOT NULL,
    mailbox_id     bigint NOT NULL,
    uid            bigint NOT NULL,
    body_hash      bytea NOT NULL REFERENCES message_bodies,
    size           bigint NOT NULL,
    flags          text[] NOT NULL DEFAULT '{}',
    internal_date  timestamptz NOT NULL DEFAULT now(),
    modseq         bigint NOT NULL,
    PRIMARY KEY (account_id, mailbox_id, uid),
    FOREIGN KEY (account_id, mailbox_id) REFERENCES mailboxes ON DELETE CASCADE
);
CREATE INDEX mailbox_messages_modseq ON mailbox_messages (account_id, mailbox_id, modseq);
CREATE INDEX mailbox_messages_body ON mailbox_messages (body_hash);

-- Expunged UIDs with the modseq of their removal, for CONDSTORE/QRESYNC VANISHED.
CREATE TABLE mailbox_expunged (
    account_id     bigint NOT NULL,
    mailbox_id     bigint NOT NULL,
    uid            bigint NOT NULL,
    modseq         bigint NOT NULL,
    PRIMARY KEY (account_id, mailbox_id, uid),
    FOREIGN KEY (account_id, mailbox_id) REFERENCES mailboxes ON DELETE CASCADE
);

CREATE TABLE outbound_queue (
    account_id     bigint NOT NULL,
    queue_id       bigserial,
    sender         text NOT NULL,
    body_hash      bytea NOT NULL REFERENCES message_bodies,
    envid          text,
    ret_full       boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, queue_id)
);

CREATE TABLE outbound_recipients (
    account_id     bigint NOT NULL,
    queue_id       bigint NOT NULL,
    recipient      text NOT NULL,
    orcpt          text,
    notify         text NOT NULL DEFAULT 'FAILURE',
    state          text NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
    attempts       integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_reply     text,
    PRIMARY KEY (account_id, queue_id, recipient),
    FOREIGN KEY (account_id, queue_id) REFERENCES outbound_queue ON DELETE CASCADE
);
CREATE INDEX outbound_recipients_due ON outbound_recipients (next_attempt_at)
    WHERE state = 'pending';

CREATE TABLE autoreply_settings (
    account_id     bigint PRIMARY KEY REFERENCES accounts ON DELETE CASCADE,
    enabled        boolean NOT NULL DEFAULT false,
    subject        text NOT NULL DEFAULT '',
    body           text NOT NULL DEFAULT '',
    starts_on      date,
    ends_on        date,
    scope          text NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'organisation')),
    period_days    integer NOT NULL DEFAULT 7 CHECK (period_days >= 1),
    sieve_script   text
);

CREATE TABLE autoreply_log (
    account_id     bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    sender         text NOT NULL,
    replied_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, sender)
);

CREATE TABLE exports (
    account_id     bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    export_id      bigserial,
    token_sha256   bytea NOT NULL UNIQUE,
    mailboxes      text[],
    state          text NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'building', 'ready', 'failed')),
    file_path      text,
    size           bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL DEFAULT now() + interval '30 days',
    PRIMARY KEY (account_id, export_id)
);

CREATE TABLE address_book (
    account_id     bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    entry_id       bigserial,
    name           text NOT NULL,
    email          text NOT NULL,
    organisation   text NOT NULL DEFAULT '',
    office_phone   text,
    mobile_phone   text,
    source         text NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'directory')),
    PRIMARY KEY (account_id, entry_id)
);

-- Append-only: the trigger below refuses UPDATE and DELETE for every role but a superuser
-- disabling it on purpose.
CREATE TABLE audit_log (
    audit_id       bigserial PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text NOT NULL,
    action         text NOT NULL,
    account_id     bigint,
    source_addr    inet,
    method         text,
    detail         text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_account ON audit_log (account_id, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Sessions in every process learn of changes to a mailbox through one notification per
-- changed mailbox and transaction (PostgreSQL folds identical payloads).
CREATE FUNCTION notify_mailbox_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed record;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    PERFORM pg_notify('govmail_mailbox', changed.account_id || ':' || changed.mailbox_id);
    RETURN NULL;
END $$;
CREATE TRIGGER mailbox_messages_notify AFTER INSERT OR UPDATE OR DELETE ON mailbox_messages
    FOR EACH ROW EXECUTE FUNCTION notify_mailbox_change();
)SQL";

// App passwords are random (100 bits) and so are stored as SHA-256, found by that digest;
// passwords a person chooses live in accounts.password_hash as Argon2id PHC strings.
// login_throttle counts failed logins per login name ('user', lower-cased, known or not, so
// locks reveal nothing about which accounts exist) and per source address ('address').
constexpr std::string_view kAppPasswordsAndThrottle = R"SQL(
CREATE TABLE app_passwords (
    account_id      bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    app_password_id bigserial,
    device          text NOT NULL CHECK (device <> ''),
    secret_sha256   bytea NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    last_used_from  inet,
    revoked_at      timestamptz,
    PRIMARY KEY (account_id, app_password_id)
);
CREATE UNIQUE INDEX app_passwords_device ON app_passwords (account_id, lower(device))
    WHERE revoked_at IS NULL;

CREATE TABLE login_throttle (
    scope             text NOT NULL CHECK (scope IN ('user', 'address')),
    subject           text NOT NULL,
    failures          integer NOT NULL,
    window_started_at timestamptz NOT NULL,
    locked_until      timestamptz,
    PRIMARY KEY (scope, subject)
);

CREATE INDEX audit_log_at ON audit_log (at);
)SQL";

// The outbound queue runner claims pending recipients and those whose lease (a sending row's
// next_attempt_at) ran out; a delivery that queues recipients wakes every runner.
constexpr std::string_view kOutboundRunner = R"SQL(
DROP INDEX outbound_recipients_due;
CREATE INDEX outbound_recipients_claimable ON outbound_recipients (next_attempt_at)
    WHERE state IN ('pending', 'sending');

CREATE FUNCTION notify_outbound_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('govmail_outbound', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbound_recipients_notify AFTER INSERT ON outbound_recipients
    FOR EACH STATEMENT EXECUTE FUNCTION notify_outbound_queued();
)SQL";

// A bound certificate remembers where its CA publishes CRLs, for `mailadm gpki crl refresh`.
constexpr std::string_view kCertBindingCrlUrls = R"SQL(
ALTER TABLE cert_bindings ADD COLUMN crl_urls text[] NOT NULL DEFAULT '{}';
CREATE INDEX cert_bindings_issuer_serial ON cert_bindings (issuer, serial);
)SQL";

// Directory sync, signups and retirement (mailadm): accounts are found by the person they
// belong to (sync) and listed by unit; at most one pending signup request per mail ID;
// people are found by the certificate identity the directory holds for them.
constexpr std::string_view kDirectoryLifecycle = R"SQL(
CREATE INDEX accounts_employee_no ON accounts (employee_no) WHERE employee_no IS NOT NULL;
CREATE INDEX accounts_org_unit ON accounts (org_unit);
CREATE UNIQUE INDEX signup_requests_pending_mail_id ON signup_requests (lower(mail_id))
    WHERE state = 'pending';
CREATE INDEX directory_people_cert_identity ON directory_people (cert_identity)
    WHERE cert_identity IS NOT NULL;
)SQL";

// Away replies: a changed text (or an away reply switched on again) is news to everyone, so
// whoever got the previous reply gets the new one too (RFC 5230 4.2: the reply's handle
// follows its subject and reason). Covers mailadm, retirement and any other writer.
constexpr std::string_view kAutoreplyLogReset = R"SQL(
CREATE FUNCTION autoreply_log_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM autoreply_log WHERE account_id = NEW.account_id;
    RETURN NULL;
END $$;
CREATE TRIGGER autoreply_settings_changed AFTER UPDATE ON autoreply_settings
    FOR EACH ROW WHEN (NEW.enabled AND (NOT OLD.enabled OR OLD.subject IS DISTINCT FROM NEW.subject
                       OR OLD.body IS DISTINCT FROM NEW.body))
    EXECUTE FUNCTION autoreply_log_reset();
)SQL";

// The SMS second factor and the brute-force throttle's checks under way.
// sms_codes holds one row per account: the pending code (as SHA-256 of a random salt and the
// code, NULL once used or withdrawn), the number it went to, wrong tries, and the sends of
// the current hour. sms_trusts remembers credentials (password + code) that passed, by a
// digest that also covers the password hash, so a new password ends them; an ended trust is
// kept (expires_at in the past) so a client still sending it is asked for a new code instead
// of spending the attempts of the pending one. Trusts end, and pending codes are withdrawn,
// when the person's mobile number changes (directory sync or any other update), when the
// account is linked to another person, and when it leaves the active state (suspend, lock,
// retire) — triggers, so no path that changes those columns can forget it.
// login_checks: one row per password check under way, so concurrent guesses count against
// the limit before their result is known (auth/login_throttle.hpp).
constexpr std::string_view kSmsSecondFactor = R"SQL(
CREATE TABLE sms_codes (
    account_id    bigint PRIMARY KEY REFERENCES accounts ON DELETE CASCADE,
    code_sha256   bytea,
    salt          text NOT NULL,
    mobile_phone  text NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    sent_at       timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    sends         integer NOT NULL,
    sends_since   timestamptz NOT NULL
);

CREATE TABLE sms_trusts (
    account_id        bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    credential_sha256 bytea NOT NULL,
    mobile_phone      text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_from      inet,
    expires_at        timestamptz NOT NULL,
    last_used_at      timestamptz,
    last_used_from    inet,
    PRIMARY KEY (account_id, credential_sha256)
);

CREATE FUNCTION end_sms_trusts(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE sms_trusts SET expires_at = now() WHERE account_id = ANY (ids) AND expires_at > now();
    UPDATE sms_codes SET code_sha256 = NULL WHERE account_id = ANY (ids) AND code_sha256 IS NOT NULL;
$$;

CREATE FUNCTION person_mobile_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM end_sms_trusts(
        ARRAY(SELECT account_id FROM accounts WHERE employee_no = NEW.employee_no));
    RETURN NULL;
END $$;
CREATE TRIGGER directory_people_mobile_changed AFTER UPDATE OF mobile_phone ON directory_people
    FOR EACH ROW WHEN (OLD.mobile_phone IS DISTINCT FROM NEW.mobile_phone)
    EXECUTE FUNCTION person_mobile_changed();

CREATE FUNCTION account_trusts_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM end_sms_trusts(ARRAY[NEW.account_id]);
    RETURN NULL;
END $$;
CREATE TRIGGER accounts_sms_trusts_end AFTER UPDATE OF state, employee_no ON accounts
    FOR EACH ROW WHEN ((OLD.state = 'active' AND NEW.state <> 'active')
                       OR OLD.employee_no IS DISTINCT FROM NEW.employee_no)
    EXECUTE FUNCTION account_trusts_end();

CREATE TABLE login_checks (
    check_id    bigserial PRIMARY KEY,
    user_key    text NOT NULL,
    address     text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_checks_user ON login_checks (user_key);
CREATE INDEX login_checks_address ON login_checks (address);
)SQL";

// The ManageSieve script an account keeps next to its away reply (one per account): its
// name and whether it is the active one (RFC 5804 SETACTIVE).
constexpr std::string_view kSieveScriptName = R"SQL(
ALTER TABLE autoreply_settings ADD COLUMN sieve_name text;
ALTER TABLE autoreply_settings ADD COLUMN sieve_active boolean NOT NULL DEFAULT false;
)SQL";

// The portal's sign-in sessions (the daemons keep no state): the SHA-256 of the random id the
// browser holds, the account, the CSRF token of the session's forms, and when it ends.
constexpr std::string_view kPortalSessions = R"SQL(
CREATE TABLE portal_sessions (
    session_sha256  bytea PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL
);
CREATE INDEX portal_sessions_account ON portal_sessions (account_id);
CREATE INDEX portal_sessions_expiry ON portal_sessions (expires_at);
)SQL";

// The portal's single sign-on: the SAML AuthnRequests it issued (each answerable once, until
// it expires), the assertion IDs it has accepted (kept until the assertion expires, so none is
// accepted twice), and the OAuth authorisation codes (SHA-256 only, single-use, short-lived).
constexpr std::string_view kSingleSignOn = R"SQL(
CREATE TABLE saml_requests (
    request_id  text PRIMARY KEY,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX saml_requests_expiry ON saml_requests (expires_at);

CREATE TABLE saml_assertions (
    assertion_id  text PRIMARY KEY,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX saml_assertions_expiry ON saml_assertions (expires_at);

CREATE TABLE oauth_codes (
    code_sha256     bytea PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    client_id       text NOT NULL,
    redirect_uri    text NOT NULL,
    code_challenge  text NOT NULL,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);
)SQL";

// A mobile number the person changed in the portal (confirmed by an SMS code to it) is kept
// apart from the directory's, which the daily sync owns: SMS codes go to the person's number
// while there is one, and the sync clears it when the directory's own number changes (the
// organisation changed it). Trusts now end when the number in use changes, whichever column
// changed it.
constexpr std::string_view kUserMobilePhone = R"SQL(
ALTER TABLE directory_people ADD COLUMN user_mobile_phone text;

DROP TRIGGER directory_people_mobile_changed ON directory_people;
CREATE TRIGGER directory_people_mobile_changed
    AFTER UPDATE OF mobile_phone, user_mobile_phone ON directory_people
    FOR EACH ROW WHEN (coalesce(OLD.user_mobile_phone, OLD.mobile_phone)
                       IS DISTINCT FROM coalesce(NEW.user_mobile_phone, NEW.mobile_phone))
    EXECUTE FUNCTION person_mobile_changed();
)SQL";

// Message text for IMAP SEARCH and FETCH. SEARCH on header fields compares lowercased text:
// header_lower is the lowercased copy of header_text, computed by PostgreSQL at insert (a
// generated column), instead of lowering every message's headers on every search. The large
// text columns are compressed with lz4 instead of the default pglz: on a 100 KiB message lz4
// is several times faster, and pglz spends milliseconds of every delivery on text it then
// stores uncompressed (base64 attachments, non-Latin text). A server built without lz4 keeps
// pglz (the statement is refused as not supported). Adding the column rewrites the table.
constexpr std::string_view kMessageSearchText = R"SQL(
ALTER TABLE message_bodies
    ADD COLUMN header_lower text GENERATED ALWAYS AS (lower(header_text)) STORED;

DO $$
BEGIN
    ALTER TABLE message_bodies
        ALTER COLUMN envelope SET COMPRESSION lz4,
        ALTER COLUMN body_structure SET COMPRESSION lz4,
        ALTER COLUMN body SET COMPRESSION lz4,
        ALTER COLUMN parts SET COMPRESSION lz4,
        ALTER COLUMN header_text SET COMPRESSION lz4,
        ALTER COLUMN header_lower SET COMPRESSION lz4,
        ALTER COLUMN search_text SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: message columns keep pglz';
END
$$;
)SQL";

// SEARCH SUBJECT without reading the message bodies: each mailbox_messages row carries the
// values of its message's Subject fields, lowercased (NULL without one). A search of a mailbox
// then scans only its own rows, where joining every row to its body cost more than the search.
// header_field_values reads the values of FIELD (a lowercase name) from a lowercased header
// text, one "name: value" line per field, the values joined by newlines; deliveries use it
// too. Filling the column rewrites mailbox_messages (not the bodies); the row trigger that
// announces changes to IMAP sessions stays off for it, as no IMAP-visible data changes.
constexpr std::string_view kSubjectPerMessage = R"SQL(
CREATE FUNCTION header_field_values(header text, field text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg(substr(line, length(field) + 2), E'\n')
    FROM unnest(string_to_array(header, E'\n')) line
    WHERE left(line, length(field) + 1) = field || ':'
$$;

ALTER TABLE mailbox_messages ADD COLUMN subject_lower text;
ALTER TABLE mailbox_messages DISABLE TRIGGER mailbox_messages_notify;
UPDATE mailbox_messages m SET subject_lower = header_field_values(b.header_lower, 'subject')
    FROM message_bodies b WHERE b.body_hash = m.body_hash;
ALTER TABLE mailbox_messages ENABLE TRIGGER mailbox_messages_notify;
)SQL";

// One folding of names in SQL and C++ (common/names.hpp fold_case): fold_name lowers ASCII
// letters only, as the C collation does, where lower() under a UTF-8 locale also folded
// U+0130 to 'i' and U+212A (Kelvin) to 'k', so that differently spelled login names reached
// one account. The unique indexes on addresses and mail IDs fold the same way. An SMS code
// serves one purpose (a login's second factor, or confirming a new number in the portal) for
// the number it was sent to, and is redeemed only for both.
constexpr std::string_view kFoldNamesAndCodePurpose = R"SQL(
CREATE FUNCTION fold_name(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT lower(name COLLATE "C") $$;

DROP INDEX accounts_address;
CREATE UNIQUE INDEX accounts_address ON accounts (fold_name(address));
DROP INDEX directory_people_mail_id;
CREATE UNIQUE INDEX directory_people_mail_id ON directory_people (fold_name(mail_id));
DROP INDEX signup_requests_pending_mail_id;
CREATE UNIQUE INDEX signup_requests_pending_mail_id ON signup_requests (fold_name(mail_id))
    WHERE state = 'pending';

ALTER TABLE sms_codes ADD COLUMN purpose text NOT NULL DEFAULT 'login'
    CHECK (purpose IN ('login', 'new_number'));
)SQL";

// Renewed certificates follow their owner: a binding records the certificate's subject and
// validity, which binding it renews, and whether it still awaits an administrator.
constexpr std::string_view kCertRenewal = R"SQL(
ALTER TABLE cert_bindings
    ADD COLUMN subject text,
    ADD COLUMN not_before timestamptz,
    ADD COLUMN not_after timestamptz,
    ADD COLUMN renews bigint,
    ADD COLUMN pending boolean NOT NULL DEFAULT false;
CREATE INDEX cert_bindings_issuer_subject ON cert_bindings (issuer, subject)
    WHERE revoked_at IS NULL;
)SQL";

// The one rule of who may log in (C++: storage::may_log_in in storage/account_state.hpp), asked
// by every query and trigger that needs it. When an account stops being allowed to (its state
// set to one that may not, or the account deleted), the trigger tells the daemons on the
// account channel (storage/account_events.hpp) at commit, whichever statement changed it.
constexpr std::string_view kLoginRule = R"SQL(
CREATE FUNCTION account_may_log_in(state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT state = 'active' $$;

CREATE FUNCTION account_disabled_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('govmail_account', OLD.account_id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER accounts_disabled_notify AFTER UPDATE OF state ON accounts
    FOR EACH ROW WHEN (NOT account_may_log_in(NEW.state))
    EXECUTE FUNCTION account_disabled_notify();
CREATE TRIGGER accounts_deleted_notify AFTER DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION account_disabled_notify();

DROP TRIGGER accounts_sms_trusts_end ON accounts;
CREATE TRIGGER accounts_sms_trusts_end AFTER UPDATE OF state, employee_no ON accounts
    FOR EACH ROW WHEN ((account_may_log_in(OLD.state) AND NOT account_may_log_in(NEW.state))
                       OR OLD.employee_no IS DISTINCT FROM NEW.employee_no)
    EXECUTE FUNCTION account_trusts_end();
)SQL";

// The link of the "backup ready" mail (the export worker mints it when the portal's base_url
// is set): a second token of the export, kept, like the first, only as its SHA-256.
constexpr std::string_view kExportMailedLink = R"SQL(
ALTER TABLE exports ADD COLUMN mailed_token_sha256 bytea UNIQUE;
)SQL";

// `mailadm queue hold`: a held message is skipped by the queue runners until released (Postfix
// postsuper -h / -H). Its recipients keep their state, so a release lets them go on as they
// were. The administrator names a message by its queue id alone.
constexpr std::string_view kQueueHold = R"SQL(
ALTER TABLE outbound_queue ADD COLUMN held boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX outbound_queue_queue_id ON outbound_queue (queue_id);
)SQL";

// An account without a password (signed up by OnePass or certificate) sets its first one in
// the portal, confirmed by an SMS code to the directory's number: a code of its own purpose.
constexpr std::string_view kFirstPasswordCodes = R"SQL(
ALTER TABLE sms_codes DROP CONSTRAINT sms_codes_purpose_check;
ALTER TABLE sms_codes ADD CONSTRAINT sms_codes_purpose_check
    CHECK (purpose IN ('login', 'new_number', 'first_password'));
)SQL";

// IMAP \Recent (RFC 3501 2.3.2): exactly one session sees a new message as recent. Each
// mailbox keeps the UID up to which messages have been seen by a session that selected it;
// the selecting session moves it up in one locked statement and treats the UIDs it moved
// over as recent. Messages already stored count as seen, so an upgrade shows none as recent.
constexpr std::string_view kRecentAboveUid = R"SQL(
ALTER TABLE mailboxes ADD COLUMN recent_above_uid bigint NOT NULL DEFAULT 0;
UPDATE mailboxes SET recent_above_uid = uidnext - 1;
)SQL";

// Spam learning: a message copied or moved into an account's \Junk mailbox is queued to teach
// rspamd spam, one moved out of it (elsewhere than \Trash) to teach ham, in the transaction of
// the copy; smtpd's learner (smtpd/lib/junk_learner.hpp) posts each to rspamd's controller
// and deletes it. A job whose body is gone (the message was deleted meanwhile) goes with it.
constexpr std::string_view kLearnQueue = R"SQL(
CREATE TABLE learn_queue (
    learn_id        bigserial PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    body_hash       bytea NOT NULL REFERENCES message_bodies ON DELETE CASCADE,
    spam            boolean NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX learn_queue_due ON learn_queue (next_attempt_at);
CREATE INDEX learn_queue_body ON learn_queue (body_hash);
CREATE INDEX learn_queue_account ON learn_queue (account_id);
)SQL";

// Two things the record must keep for its whole life. A directory entry remembers when it
// first had everything a signup needs (mail ID, office and mobile phone: auth/signup_checks),
// so approval can wait `[signup] eligible_after_days` after it; entries complete before this
// migration count from their last sync. An audit entry copies the address, name and unit of
// its account when it is written, so deleting the account (the entry's account_id then names
// nothing) does not erase whom the history is about; older entries are filled in from the
// accounts that still exist.
constexpr std::string_view kDirectoryAndAuditHistory = R"SQL(
ALTER TABLE directory_people ADD COLUMN first_complete_at timestamptz;
UPDATE directory_people SET first_complete_at = synced_at
    WHERE mail_id IS NOT NULL AND office_phone IS NOT NULL AND mobile_phone IS NOT NULL;

CREATE FUNCTION directory_person_first_complete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.first_complete_at IS NULL AND NEW.mail_id IS NOT NULL
       AND NEW.office_phone IS NOT NULL AND NEW.mobile_phone IS NOT NULL THEN
        NEW.first_complete_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER directory_people_first_complete BEFORE INSERT OR UPDATE ON directory_people
    FOR EACH ROW EXECUTE FUNCTION directory_person_first_complete();

ALTER TABLE audit_log
    ADD COLUMN account_address text,
    ADD COLUMN account_name text,
    ADD COLUMN account_unit text;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
UPDATE audit_log l SET account_address = a.address, account_name = a.display_name,
    account_unit = a.org_unit
    FROM accounts a WHERE a.account_id = l.account_id;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
CREATE INDEX audit_log_account_address ON audit_log (fold_name(account_address), at)
    WHERE account_address IS NOT NULL;
)SQL";

// Addresses beyond one account (issue 24): aliases, each an address with one target a row
// (an account, another alias, or an address elsewhere), expanded at RCPT time; and the lists
// of organisation units, an address an administrator gives a unit, whose members are the
// unit's active accounts at delivery, with the list's posting policy.
constexpr std::string_view kAliasesAndUnitLists = R"SQL(
CREATE TABLE mail_aliases (
    alias_id   bigserial PRIMARY KEY,
    address    text NOT NULL,
    target     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mail_aliases_pair ON mail_aliases (fold_name(address), fold_name(target));
CREATE TABLE unit_lists (
    address    text NOT NULL,
    org_unit   text NOT NULL UNIQUE,
    policy     text NOT NULL DEFAULT 'organisation'
               CHECK (policy IN ('anyone', 'organisation', 'members')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX unit_lists_address ON unit_lists (fold_name(address));
)SQL";

// IMAP METADATA (RFC 5464): entries of the account (the server's, mailbox_id NULL) and of its
// mailboxes, which go with the mailbox. Names are lower-cased; values are octets.
constexpr std::string_view kImapMetadata = R"SQL(
CREATE TABLE imap_metadata (
    account_id  bigint NOT NULL REFERENCES accounts ON DELETE CASCADE,
    mailbox_id  bigint,
    name        text NOT NULL,
    value       bytea NOT NULL,
    FOREIGN KEY (account_id, mailbox_id) REFERENCES mailboxes ON DELETE CASCADE
);
CREATE UNIQUE INDEX imap_metadata_entry ON imap_metadata (account_id, coalesce(mailbox_id, 0), name);
)SQL";

// QRESYNC (RFC 7162 3.2): the expunged-UID history is bounded, so each row says when it was
// written, and each mailbox the highest modseq whose expunged UIDs may have been forgotten: a
// client that last saw the mailbox before it gets a full resynchronisation instead.
constexpr std::string_view kExpungeHistoryBound = R"SQL(
ALTER TABLE mailbox_expunged ADD COLUMN expunged_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX mailbox_expunged_modseq ON mailbox_expunged (account_id, mailbox_id, modseq);
ALTER TABLE mailboxes ADD COLUMN expunged_forgotten_modseq bigint NOT NULL DEFAULT 0;
)SQL";

// SORT and THREAD (RFC 5256, RFC 5957) without reading each message's whole header: every body
// carries the fields they order by, generated from its header_text (one "Name: value" line per
// field, decoded to UTF-8 and unfolded at delivery): the first field of each name, NULL when
// absent. Being generated, they are filled for the bodies already stored (one rewrite of
// message_bodies, as migration 12) and at every delivery without a change to its statements.
constexpr std::string_view kSortFields = R"SQL(
CREATE FUNCTION first_header_value(header text, field text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT btrim(substr(line, length(field) + 2))
    FROM unnest(string_to_array(header, E'\n')) WITH ORDINALITY AS l(line, n)
    WHERE lower(left(line, length(field) + 1)) = field || ':'
    ORDER BY n LIMIT 1
$$;

ALTER TABLE message_bodies
    ADD COLUMN sort_subject text
        GENERATED ALWAYS AS (first_header_value(header_text, 'subject')) STORED,
    ADD COLUMN sort_from text GENERATED ALWAYS AS (first_header_value(header_text, 'from')) STORED,
    ADD COLUMN sort_to text GENERATED ALWAYS AS (first_header_value(header_text, 'to')) STORED,
    ADD COLUMN sort_cc text GENERATED ALWAYS AS (first_header_value(header_text, 'cc')) STORED,
    ADD COLUMN message_id text
        GENERATED ALWAYS AS (first_header_value(header_text, 'message-id')) STORED,
    ADD COLUMN in_reply_to text
        GENERATED ALWAYS AS (first_header_value(header_text, 'in-reply-to')) STORED,
    ADD COLUMN reference_ids text
        GENERATED ALWAYS AS (first_header_value(header_text, 'references')) STORED;
)SQL";

constexpr std::array kMigrations{
    Migration{1, "initial schema", kInitialSchema},
    Migration{2, "app passwords, login throttle", kAppPasswordsAndThrottle},
    Migration{3, "outbound queue runner: claimable index, wake-up notification", kOutboundRunner},
    Migration{4, "certificate bindings: CRL distribution points", kCertBindingCrlUrls},
    Migration{5, "directory, signup and retirement indexes", kDirectoryLifecycle},
    Migration{6, "SMS codes and trusted credentials, login checks under way", kSmsSecondFactor},
    Migration{7, "away replies: a changed text resets the per-sender log", kAutoreplyLogReset},
    Migration{8, "away replies: the ManageSieve script's name and state", kSieveScriptName},
    Migration{9, "portal sign-in sessions", kPortalSessions},
    Migration{10, "single sign-on: SAML requests and assertions, OAuth codes", kSingleSignOn},
    Migration{11, "mobile numbers set in the portal, apart from the directory's", kUserMobilePhone},
    Migration{
        12, "message text: lowercased headers for SEARCH, lz4 compression", kMessageSearchText},
    Migration{13, "each message's lowercased subject beside it, for SEARCH", kSubjectPerMessage},
    Migration{14, "one folding of names; SMS codes bound to a purpose", kFoldNamesAndCodePurpose},
    Migration{15, "certificate bindings: subject, validity, renewals", kCertRenewal},
    Migration{16, "one login rule; its trigger tells the daemons of disabled accounts", kLoginRule},
    Migration{17, "outbound queue: messages held by the administrator", kQueueHold},
    Migration{18, "exports: the link of the backup-ready mail", kExportMailedLink},
    Migration{19, "SMS codes that confirm a first password set in the portal", kFirstPasswordCodes},
    Migration{
        20, "IMAP \\Recent: the UID up to which a session has seen each mailbox", kRecentAboveUid},
    Migration{
        21, "directory: first complete; audit entries keep their account's names",
        kDirectoryAndAuditHistory},
    Migration{22, "aliases and organisation-unit lists", kAliasesAndUnitLists},
    Migration{23, "IMAP METADATA entries of accounts and mailboxes", kImapMetadata},
    Migration{
        24, "QRESYNC: a bounded expunged-UID history and what it forgot", kExpungeHistoryBound},
    Migration{25, "SORT and THREAD: each body's subject, addresses and message ids", kSortFields},
    Migration{26, "spam learning: moves into and out of \\Junk queued for rspamd", kLearnQueue},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace govmail::storage::sql
