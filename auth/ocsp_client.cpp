#include "auth/ocsp_client.hpp"

#include <openssl/http.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include <memory>

#include "auth/openssl_ptr.hpp"

namespace govmail::auth {

namespace {

using OcspRequestPtr = std::unique_ptr<OCSP_REQUEST, OpensslFree<OCSP_REQUEST, OCSP_REQUEST_free>>;
using OcspResponsePtr =
    std::unique_ptr<OCSP_RESPONSE, OpensslFree<OCSP_RESPONSE, OCSP_RESPONSE_free>>;
using OcspBasicPtr =
    std::unique_ptr<OCSP_BASICRESP, OpensslFree<OCSP_BASICRESP, OCSP_BASICRESP_free>>;
using OcspCertIdPtr = std::unique_ptr<OCSP_CERTID, OpensslFree<OCSP_CERTID, OCSP_CERTID_free>>;

struct OpensslStringFree {
    void operator()(char* text) const { OPENSSL_free(text); }
};
using OpensslString = std::unique_ptr<char, OpensslStringFree>;

OcspAnswer unknown(std::string why) {
    ERR_clear_error();
    return OcspAnswer{{RevocationStatus::Unknown, "OCSP: " + std::move(why)}, std::nullopt};
}

std::optional<std::time_t> to_time(const ASN1_GENERALIZEDTIME* time) {
    std::tm parts{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) {
        return std::nullopt;
    }
    return timegm(&parts);
}

// The DER response of the responder at URL to REQUEST; null with WHY set when none came.
OcspResponsePtr post(
    const std::string& url, OCSP_REQUEST* request, const GpkiConfig& config, std::string& why
) {
    char* host = nullptr;
    char* port = nullptr;
    char* path = nullptr;
    int tls = 0;
    if (OSSL_HTTP_parse_url(
            url.c_str(), &tls, nullptr, &host, &port, nullptr, &path, nullptr, nullptr
        ) != 1) {
        why = "the responder URL " + url + " does not parse";
        return nullptr;
    }
    const OpensslString host_text(host);
    const OpensslString port_text(port);
    const OpensslString path_text(path);
    if (tls != 0) {
        why = "only http:// responders are asked (answers are signed)";
        return nullptr;
    }
    const BioPtr body(ASN1_item_i2d_mem_bio(
        ASN1_ITEM_rptr(OCSP_REQUEST), reinterpret_cast<const ASN1_VALUE*>(request)
    ));
    const BioPtr reply(OSSL_HTTP_transfer(
        nullptr, host, port, path, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 0,
        nullptr, "application/ocsp-request", body.get(), "application/ocsp-response", 1,
        config.ocsp_max_response_bytes, static_cast<int>(config.ocsp_timeout.count()), 0
    ));
    if (!reply) {
        why = "the responder " + url + " did not answer (" + openssl_error() + ")";
        return nullptr;
    }
    OcspResponsePtr response(d2i_OCSP_RESPONSE_bio(reply.get(), nullptr));
    if (!response) {
        why = "the responder's answer is not an OCSP response";
    }
    return response;
}

// What BASIC (already checked to answer REQUEST and be signed) says about ID.
OcspAnswer status_in(OCSP_BASICRESP* basic, OCSP_CERTID* id, const GpkiConfig& config) {
    int status = V_OCSP_CERTSTATUS_UNKNOWN;
    int reason = 0;
    ASN1_GENERALIZEDTIME* revoked_at = nullptr;
    ASN1_GENERALIZEDTIME* this_update = nullptr;
    ASN1_GENERALIZEDTIME* next_update = nullptr;
    if (OCSP_resp_find_status(
            basic, id, &status, &reason, &revoked_at, &this_update, &next_update
        ) != 1) {
        return unknown("the answer does not cover this certificate");
    }
    if (OCSP_check_validity(
            this_update, next_update, static_cast<long>(config.ocsp_clock_skew.count()),
            static_cast<long>(config.ocsp_max_age.count())
        ) != 1) {
        return unknown("the answer is stale (thisUpdate or nextUpdate out of range)");
    }
    switch (status) {
        case V_OCSP_CERTSTATUS_GOOD:
            return OcspAnswer{{RevocationStatus::Good, "OCSP: good"}, to_time(next_update)};
        case V_OCSP_CERTSTATUS_REVOKED:
            return OcspAnswer{
                {RevocationStatus::Revoked,
                 std::string("OCSP: revoked (") + OCSP_crl_reason_str(reason) + ")"},
                to_time(next_update)};
        default:
            return unknown("the responder does not know this certificate");
    }
}

}  // namespace

std::string ocsp_responder_url(X509* leaf, const GpkiConfig& config) {
    if (!config.ocsp_responder.empty()) {
        return config.ocsp_responder;
    }
    auto* uris = X509_get1_ocsp(leaf);
    std::string url = sk_OPENSSL_STRING_num(uris) > 0 ? sk_OPENSSL_STRING_value(uris, 0) : "";
    X509_email_free(uris);
    return url;
}

OcspAnswer ask_ocsp(
    const std::string& url, X509* leaf, X509* issuer, X509_STORE* trust, const GpkiConfig& config
) {
    if (url.empty()) {
        return unknown("no responder (none configured, none in the certificate)");
    }
    if (issuer == nullptr) {
        return unknown("the certificate's issuer is not known");
    }
    const OcspCertIdPtr id(OCSP_cert_to_id(EVP_sha1(), leaf, issuer));
    const OcspRequestPtr request(OCSP_REQUEST_new());
    OCSP_CERTID* request_id = id ? OCSP_CERTID_dup(id.get()) : nullptr;
    if (!request || request_id == nullptr ||
        OCSP_request_add0_id(request.get(), request_id) == nullptr ||
        OCSP_request_add1_nonce(request.get(), nullptr, -1) != 1) {
        OCSP_CERTID_free(request_id);
        return unknown("the request could not be made");
    }
    std::string why;
    const auto response = post(url, request.get(), config, why);
    if (!response) {
        return unknown(why);
    }
    if (OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        return unknown(
            std::string("the responder answered ") +
            OCSP_response_status_str(OCSP_response_status(response.get()))
        );
    }
    const OcspBasicPtr basic(OCSP_response_get1_basic(response.get()));
    if (!basic) {
        return unknown("the answer is not a basic OCSP response");
    }
    // 1: our nonce came back; -1: the responder sends none (its answer is still held to the
    // freshness bounds); 0: another request's answer.
    if (OCSP_check_nonce(request.get(), basic.get()) == 0) {
        return unknown("the answer's nonce is not ours");
    }
    STACK_OF(X509)* chain = sk_X509_new_null();
    sk_X509_push(chain, issuer);
    const int signed_ok = OCSP_basic_verify(basic.get(), chain, trust, 0);
    sk_X509_free(chain);
    if (signed_ok != 1) {
        return unknown("the answer is not signed by the CA or a responder it delegated");
    }
    return status_in(basic.get(), id.get(), config);
}

}  // namespace govmail::auth
