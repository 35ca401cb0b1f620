// The files the portal serves itself under /assets/ (no CDN): the KRDS style sheet and the
// Pretendard GOV font (portal/assets/install.sh puts them in the assets folder at build time).
// Only the files found there at start get a route, so a request can name nothing else; each
// is streamed from disk with the content type of its extension.

#include <filesystem>

#include "portal/pages/pages.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

constexpr std::string_view kPrefix = "/assets/";

std::string content_type(const std::filesystem::path& file) {
    const auto extension = file.extension().string();
    if (extension == ".css") {
        return "text/css; charset=utf-8";
    }
    if (extension == ".woff2") {
        return "font/woff2";
    }
    return "text/plain; charset=utf-8";
}

awaitable<Response> get_asset(Portal& portal, const Request& request, const Visit&) {
    const auto file = portal.assets_dir / request.path.substr(kPrefix.size());
    Response out;
    out.content_type = content_type(file);
    out.file = file;
    co_return out;
}

}  // namespace

void add_asset_pages(Portal& portal) {
    std::error_code ec;
    if (portal.assets_dir.empty() || !std::filesystem::is_directory(portal.assets_dir, ec)) {
        return;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(portal.assets_dir)) {
        const auto name = entry.path().filename().string();
        if (!entry.is_regular_file() || name.starts_with(".")) {
            continue;
        }
        const auto relative = entry.path().lexically_relative(portal.assets_dir).generic_string();
        portal.router.add("GET", std::string(kPrefix) + relative, Access::Asset, get_asset);
    }
}

}  // namespace govmail::portal
