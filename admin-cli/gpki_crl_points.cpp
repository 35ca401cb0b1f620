#include "admin-cli/gpki_crl_points.hpp"

#include <algorithm>

#include "auth/gpki_certificate.hpp"
#include "storage/cert_store.hpp"

namespace govmail::admin {
namespace {

void add_unique(std::vector<std::string>& urls, const std::vector<std::string>& more) {
    for (const auto& url : more) {
        if (std::find(urls.begin(), urls.end(), url) == urls.end()) {
            urls.push_back(url);
        }
    }
}

}  // namespace

std::variant<std::vector<std::string>, Outcome> known_crl_points(
    AdminContext& context, const std::vector<std::string>& extra
) {
    std::vector<std::string> urls;
    add_unique(urls, extra);
    for (const auto& authority :
         auth::read_pem_certificates(context.config().auth.gpki.ca_bundle)) {
        add_unique(urls, auth::crl_distribution_points(authority.get()));
    }
    const auto bound = context.run(storage::CertStore(context.pool()).crl_urls());
    if (!bound) {
        return storage_failure(bound.error(), "certificate bindings");
    }
    add_unique(urls, *bound);
    return urls;
}

}  // namespace govmail::admin
