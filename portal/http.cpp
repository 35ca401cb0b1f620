#include "portal/http.hpp"

namespace govmail::portal {

Response html_response(std::string body, unsigned status) {
    Response out;
    out.status = status;
    out.body = std::move(body);
    return out;
}

Response redirect(std::string location) {
    Response out;
    out.status = 303;
    out.headers.emplace_back("Location", std::move(location));
    return out;
}

std::string set_cookie(
    std::string_view name, std::string_view value, std::chrono::seconds max_age, SameSite same_site
) {
    std::string out(name);
    out += "=";
    out += value;
    out += "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; Secure; HttpOnly; SameSite=";
    switch (same_site) {
        case SameSite::Lax:
            out += "Lax";
            break;
        case SameSite::Strict:
            out += "Strict";
            break;
        case SameSite::None:
            out += "None";
            break;
    }
    return out;
}

std::pair<std::string, Fields> split_target(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) {
        return {std::string(target), {}};
    }
    return {std::string(target.substr(0, question)), decode_form(target.substr(question + 1))};
}

}  // namespace govmail::portal
