#include "smtpd/queue/routing.hpp"

#include <algorithm>
#include <charconv>

#include "smtpd/proto/ascii.hpp"

namespace govmail::smtpd {

std::optional<Destination> parse_relay_host(std::string_view text) {
    std::string_view host = text;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        const auto rest = text.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') {
            return std::nullopt;
        }
        port = rest.empty() ? rest : rest.substr(1);
    } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    Destination out{std::string(host), 25};
    if (!port.empty()) {
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
        if (ec != std::errc{} || end != port.data() + port.size() || out.port == 0) {
            return std::nullopt;
        }
    }
    if (out.host.empty()) {
        return std::nullopt;
    }
    return out;
}

std::string recipient_domain(std::string_view address) {
    const auto at = address.rfind('@');
    std::string domain(at == std::string_view::npos ? std::string_view{} : address.substr(at + 1));
    std::transform(domain.begin(), domain.end(), domain.begin(), smtp::ascii::to_lower);
    return domain;
}

boost::asio::awaitable<Route> route_for(const QueueContext& ctx, std::string domain) {
    if (!ctx.config.queue.relay_host.empty()) {
        // Validated when the runner starts.
        co_return Route{{*parse_relay_host(ctx.config.queue.relay_host)}, std::nullopt};
    }
    const MxAnswer answer = co_await ctx.lookup_mx(domain);
    switch (answer.status) {
        case MxAnswer::Status::Found: {
            Route route;
            for (const auto& mx : answer.hosts) {
                route.hosts.push_back(Destination{mx.host, 25});
            }
            co_return route;
        }
        case MxAnswer::Status::NoSuchDomain:
            co_return Route{
                {},
                RecipientReply{
                    AttemptOutcome::Permanent, "5.1.2", "domain " + domain + " does not exist"}};
        case MxAnswer::Status::NullMx:
            co_return Route{
                {},
                RecipientReply{
                    AttemptOutcome::Permanent, "5.1.10",
                    "domain " + domain + " accepts no mail (null MX)"}};
        case MxAnswer::Status::TemporaryFailure:
            break;
    }
    co_return Route{
        {},
        RecipientReply{AttemptOutcome::Transient, "4.4.3", "MX look-up for " + domain + " failed"}};
}

}  // namespace govmail::smtpd
