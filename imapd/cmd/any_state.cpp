// CAPABILITY, NOOP, LOGOUT (RFC 3501 section 6.1), ID (RFC 2971), ENABLE (RFC 5161, with
// IMAP4rev2 of RFC 9051) and NAMESPACE (RFC 2342).

#include <spdlog/spdlog.h>

#include "auth/sasl_server.hpp"
#include "common/logging.hpp"
#include "imapd/cmd/handlers.hpp"
#include "runtime/tls.hpp"

namespace govmail::imap {

std::string capabilities(const Session& s) {
    std::string caps = "IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE";
    if (s.state != State::NotAuthenticated) {
        return caps +
               " NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE QUOTA CONDSTORE ESEARCH"
               " LIST-EXTENDED LIST-STATUS SEARCHRES STATUS=SIZE CREATE-SPECIAL-USE METADATA"
               " BINARY MULTIAPPEND CATENATE QRESYNC"
               " SORT SORT=DISPLAY ESORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES";
    }
    if (!s.io.tls_active()) {
        return caps + " STARTTLS LOGINDISABLED";
    }
    for (const auto mechanism :
         auth::sasl_mechanisms(client_presented_certificate(s.io.tls_handle()))) {
        caps += " AUTH=" + std::string(mechanism);
    }
    return caps;
}

Awaitable<Reply> handle_capability(Session& s, const Capability&) {
    s.untagged("CAPABILITY " + capabilities(s));
    co_return Reply::ok("CAPABILITY completed");
}

Awaitable<Reply> handle_noop(Session&, const Noop&) { co_return Reply::ok("NOOP completed"); }

Awaitable<Reply> handle_logout(Session& s, const Logout&) {
    s.untagged("BYE Logging out");
    s.state = State::Logout;
    co_return Reply::ok("LOGOUT completed");
}

Awaitable<Reply> handle_id(Session& s, const Id& c) {
    if (c.fields) {
        std::string fields;
        for (const auto& [name, value] : *c.fields) {
            fields += " " + name + "=" + value.value_or("NIL");
        }
        spdlog::info("imap {}: client ID{}", s.id, printable(fields, 200));
    }
    s.untagged(R"(ID ("name" "govmail" "vendor" "govmail"))");
    co_return Reply::ok("ID completed");
}

Awaitable<Reply> handle_enable(Session& s, const Enable& c) {
    std::string enabled;
    for (const auto& capability : c.capabilities) {
        if (capability == "CONDSTORE" && !s.condstore) {
            s.condstore = true;
            enabled += " CONDSTORE";
        }
        if (capability == "IMAP4REV2" && !s.imap4rev2) {
            s.imap4rev2 = true;
            if (s.selected) {
                s.selected->hide_recent();
            }
            enabled += " IMAP4rev2";
        }
        if (capability == "QRESYNC" && !s.qresync) {
            s.qresync = true;
            s.condstore = true;  // RFC 7162 3.2.3: QRESYNC implies CONDSTORE
            enabled += " QRESYNC";
        }
    }
    s.untagged("ENABLED" + enabled);
    co_return Reply::ok("ENABLE completed");
}

Awaitable<Reply> handle_namespace(Session& s, const Namespace&) {
    s.untagged(R"(NAMESPACE (("" "/")) NIL NIL)");
    co_return Reply::ok("NAMESPACE completed");
}

}  // namespace govmail::imap
