#include "auth/crl_fetch_ldap.hpp"

#include <ldap.h>

#include <array>
#include <memory>

namespace govmail::auth {

namespace {

// The attributes a CRL may sit in, in order of preference (RFC 4523 requires ;binary).
constexpr std::array<const char*, 2> kCrlAttributes{
    "certificateRevocationList;binary", "certificateRevocationList"};

struct LdapUnbind {
    void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct LdapUrlFree {
    void operator()(LDAPURLDesc* url) const { ldap_free_urldesc(url); }
};
struct LdapMessageFree {
    void operator()(LDAPMessage* message) const { ldap_msgfree(message); }
};
struct LdapValuesFree {
    void operator()(berval** values) const { ldap_value_free_len(values); }
};
using LdapPtr = std::unique_ptr<LDAP, LdapUnbind>;
using LdapUrlPtr = std::unique_ptr<LDAPURLDesc, LdapUrlFree>;
using LdapMessagePtr = std::unique_ptr<LDAPMessage, LdapMessageFree>;
using LdapValuesPtr = std::unique_ptr<berval*, LdapValuesFree>;

std::string ldap_error_text(int code) { return std::string("LDAP: ") + ldap_err2string(code); }

// A session to the URL's server with the deadlines and the answer bound set, not yet bound.
LdapPtr open_session(
    const LDAPURLDesc& url, std::chrono::seconds timeout, std::size_t max_bytes, std::string& error
) {
    const std::string server = std::string("ldap://") + (url.lud_host ? url.lud_host : "") + ":" +
                               std::to_string(url.lud_port > 0 ? url.lud_port : LDAP_PORT);
    LDAP* raw = nullptr;
    if (const int rc = ldap_initialize(&raw, server.c_str()); rc != LDAP_SUCCESS) {
        error = ldap_error_text(rc);
        return nullptr;
    }
    LdapPtr ld(raw);
    const int version = LDAP_VERSION3;
    timeval deadline{static_cast<time_t>(timeout.count()), 0};
    const int one_entry = 1;
    const ber_len_t max_incoming = max_bytes;
    Sockbuf* socket = nullptr;
    if (ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &deadline) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &deadline) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld.get(), LDAP_OPT_SIZELIMIT, &one_entry) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
        ldap_get_option(ld.get(), LDAP_OPT_SOCKBUF, &socket) != LDAP_OPT_SUCCESS ||
        ber_sockbuf_ctrl(
            socket, LBER_SB_OPT_SET_MAX_INCOMING, const_cast<ber_len_t*>(&max_incoming)
        ) != 1) {
        error = "LDAP: cannot set the session's options";
        return nullptr;
    }
    return ld;
}

// The first value of the first CRL attribute ENTRY holds; nullopt when it holds none.
std::optional<std::string> crl_value(LDAP* ld, LDAPMessage* entry, const char* const* attributes) {
    for (; *attributes != nullptr; ++attributes) {
        const LdapValuesPtr values(ldap_get_values_len(ld, entry, *attributes));
        if (values && values.get()[0] != nullptr) {
            const berval* value = values.get()[0];
            return std::string(value->bv_val, value->bv_len);
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> fetch_ldap_crl(
    const std::string& url, std::chrono::seconds timeout, std::size_t max_bytes, std::string& error
) {
    LDAPURLDesc* parsed = nullptr;
    if (ldap_url_parse(url.c_str(), &parsed) != LDAP_URL_SUCCESS) {
        error = "not an LDAP URL";
        return std::nullopt;
    }
    const LdapUrlPtr location(parsed);
    if (std::string_view(location->lud_scheme) != "ldap" || location->lud_dn == nullptr ||
        *location->lud_dn == '\0') {
        error = "only ldap:// URLs naming an entry are fetched";
        return std::nullopt;
    }
    const auto ld = open_session(*location, timeout, max_bytes, error);
    if (!ld) {
        return std::nullopt;
    }
    berval no_password{0, nullptr};
    int rc = ldap_sasl_bind_s(
        ld.get(), nullptr, LDAP_SASL_SIMPLE, &no_password, nullptr, nullptr, nullptr
    );
    if (rc != LDAP_SUCCESS) {
        error = ldap_error_text(rc);
        return std::nullopt;
    }
    // An attribute the URL names is asked for first (ldap://host/DN?attribute).
    std::array<const char*, 4> attributes{nullptr, nullptr, nullptr, nullptr};
    std::size_t count = 0;
    if (location->lud_attrs != nullptr && location->lud_attrs[0] != nullptr) {
        attributes[count++] = location->lud_attrs[0];
    }
    for (const char* name : kCrlAttributes) {
        attributes[count++] = name;
    }
    timeval deadline{static_cast<time_t>(timeout.count()), 0};
    LDAPMessage* answer = nullptr;
    rc = ldap_search_ext_s(
        ld.get(), location->lud_dn, LDAP_SCOPE_BASE, "(objectClass=*)",
        const_cast<char**>(attributes.data()), 0, nullptr, nullptr, &deadline, 1, &answer
    );
    const LdapMessagePtr result(answer);
    if (rc != LDAP_SUCCESS) {
        error = ldap_error_text(rc);
        return std::nullopt;
    }
    LDAPMessage* entry = ldap_first_entry(ld.get(), result.get());
    auto crl = entry != nullptr ? crl_value(ld.get(), entry, attributes.data()) : std::nullopt;
    if (!crl) {
        error = "the entry holds no certificateRevocationList";
        return std::nullopt;
    }
    if (crl->size() > max_bytes) {
        error = "the CRL is larger than " + std::to_string(max_bytes) + " bytes";
        return std::nullopt;
    }
    return crl;
}

}  // namespace govmail::auth
