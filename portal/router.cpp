#include "portal/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace govmail::portal {

void Router::add(std::string method, std::string path, Access access, Handler handler) {
    if (find(method, path) != nullptr) {
        throw std::logic_error("portal route added twice: " + method + " " + path);
    }
    routes_.push_back(Route{std::move(method), std::move(path), access, handler});
}

const Route* Router::find(std::string_view method, std::string_view path) const {
    const auto it = std::find_if(routes_.begin(), routes_.end(), [&](const Route& r) {
        return r.method == method && r.path == path;
    });
    return it == routes_.end() ? nullptr : &*it;
}

bool Router::has_path(std::string_view path) const {
    return std::any_of(routes_.begin(), routes_.end(), [&](const Route& r) {
        return r.path == path;
    });
}

}  // namespace govmail::portal
