#include "auth/gpki_crl.hpp"

#include <openssl/pem.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <set>
#include <sstream>

#include "auth/gpki_certificate.hpp"

namespace govmail::auth {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxCrlBytes = 256 * 1024 * 1024;

std::vector<fs::path> crl_files(const fs::path& dir) {
    std::set<fs::path> files;  // sorted: loading and stamps do not depend on readdir order
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_regular_file(ec) && entry.path().filename().string().front() != '.') {
            files.insert(entry.path());
        }
    }
    return {files.begin(), files.end()};
}

}  // namespace

X509CrlPtr parse_crl(std::string_view bytes) {
    const BioPtr in(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    if (!in) {
        return nullptr;
    }
    X509CrlPtr crl(PEM_read_bio_X509_CRL(in.get(), nullptr, nullptr, nullptr));
    if (!crl) {
        const auto* der = reinterpret_cast<const unsigned char*>(bytes.data());
        crl.reset(d2i_X509_CRL(nullptr, &der, static_cast<long>(bytes.size())));
    }
    ERR_clear_error();
    return crl;
}

std::vector<std::string> freshest_crl_points(X509_CRL* crl) {
    auto* points =
        static_cast<CRL_DIST_POINTS*>(X509_CRL_get_ext_d2i(crl, NID_freshest_crl, nullptr, nullptr)
        );
    auto urls = distribution_point_uris(points);
    CRL_DIST_POINTS_free(points);
    return urls;
}

std::vector<X509CrlPtr> read_crl_dir(const fs::path& dir) {
    std::vector<X509CrlPtr> crls;
    for (const auto& file : crl_files(dir)) {
        std::error_code ec;
        if (fs::file_size(file, ec) > kMaxCrlBytes || ec) {
            spdlog::warn("gpki: CRL file {} skipped: unreadable or too large", file.string());
            continue;
        }
        std::ifstream in(file, std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        auto crl = parse_crl(bytes.str());
        if (!crl) {
            spdlog::warn("gpki: CRL file {} skipped: not a CRL", file.string());
            continue;
        }
        crls.push_back(std::move(crl));
    }
    return crls;
}

std::string crl_dir_stamp(const fs::path& dir) {
    std::string stamp;
    for (const auto& file : crl_files(dir)) {
        std::error_code ec;
        const auto size = fs::file_size(file, ec);
        const auto time = fs::last_write_time(file, ec).time_since_epoch().count();
        stamp += file.filename().string() + ':' + std::to_string(size) + ':' +
                 std::to_string(time) + '\n';
    }
    return stamp;
}

}  // namespace govmail::auth
