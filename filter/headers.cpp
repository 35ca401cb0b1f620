// Authentication-Results and the spam fields (filter/headers.hpp).

#include "filter/headers.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "common/ascii.hpp"
#include "mime/header.hpp"

namespace govmail::filter {
namespace {

struct ResultSymbol {
    std::string_view symbol;
    std::string_view result;  // RFC 8601 2.7 result keyword
};

// rspamd's symbols for each method's result (its spf, dkim and dmarc modules).
constexpr std::array<ResultSymbol, 7> kSpf{{
    {"R_SPF_ALLOW", "pass"},
    {"R_SPF_FAIL", "fail"},
    {"R_SPF_SOFTFAIL", "softfail"},
    {"R_SPF_NEUTRAL", "neutral"},
    {"R_SPF_DNSFAIL", "temperror"},
    {"R_SPF_PERMFAIL", "permerror"},
    {"R_SPF_NA", "none"},
}};
constexpr std::array<ResultSymbol, 5> kDkim{{
    {"R_DKIM_ALLOW", "pass"},
    {"R_DKIM_REJECT", "fail"},
    {"R_DKIM_TEMPFAIL", "temperror"},
    {"R_DKIM_PERMFAIL", "permerror"},
    {"R_DKIM_NA", "none"},
}};
constexpr std::array<ResultSymbol, 8> kDmarc{{
    {"DMARC_POLICY_ALLOW", "pass"},
    {"DMARC_POLICY_ALLOW_WITH_FAILURES", "pass"},
    {"DMARC_POLICY_REJECT", "fail"},
    {"DMARC_POLICY_QUARANTINE", "fail"},
    {"DMARC_POLICY_SOFTFAIL", "fail"},
    {"DMARC_DNSFAIL", "temperror"},
    {"DMARC_BAD_POLICY", "permerror"},
    {"DMARC_NA", "none"},
}};

// The first of TABLE's symbols in VERDICT.
template <std::size_t N>
std::optional<std::pair<std::string_view, const Symbol*>> find_result(
    const Verdict& verdict, const std::array<ResultSymbol, N>& table
) {
    for (const auto& entry : table) {
        if (const auto* found = verdict.symbol(entry.symbol)) {
            return std::pair{entry.result, found};
        }
    }
    return std::nullopt;
}

// The domain in a symbol option: "example.org:s=sel" or "example.org : query timed out".
std::string option_domain(const Symbol& symbol) {
    if (symbol.options.empty()) {
        return "";
    }
    const auto& option = symbol.options.front();
    std::string out;
    for (const char c : option) {
        if (c == ':' || c == ' ') {
            break;
        }
        out += c;
    }
    return out;
}

// A value as an RFC 8601 "value": the characters a domain or address may have, else dropped,
// so that no result can smuggle a ';' or a line end into the field.
std::string property_value(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || c == '.' || c == '-' || c == '_' || c == '@' || c == '+') {
            out += c;
        }
    }
    return out;
}

std::string domain_of(std::string_view address) {
    const auto at = address.rfind('@');
    return std::string(at == std::string_view::npos ? address : address.substr(at + 1));
}

// The authserv-id a field's value starts with (RFC 8601 2.2), comments and blanks skipped.
std::string_view claimed_id(std::string_view value) {
    std::size_t i = 0;
    int depth = 0;
    while (i < value.size()) {
        const char c = value[i];
        if (c == '(') {
            ++depth;
        } else if (c == ')' && depth > 0) {
            --depth;
        } else if (depth == 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            break;
        }
        ++i;
    }
    const auto end = value.find_first_of("; \t\r\n(", i);
    return value.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
}

bool is_spam_field(std::string_view name) {
    return ascii::iequals(name, "X-Spam-Status") || ascii::iequals(name, "X-Spam-Flag");
}

}  // namespace

std::string authentication_results(const ResultContext& context, const Verdict* verdict) {
    std::string results;
    const auto add = [&results](std::string_view result) {
        results += ";\r\n\t";
        results += result;
    };
    if (!context.user.empty()) {
        add("auth=pass smtp.auth=" + property_value(context.user));
    }
    if (verdict != nullptr) {
        if (const auto spf = find_result(*verdict, kSpf)) {
            const auto domain = context.mail_from.empty() ? std::string(context.helo)
                                                          : domain_of(context.mail_from);
            add("spf=" + std::string(spf->first) +
                (context.mail_from.empty() ? " smtp.helo=" : " smtp.mailfrom=") +
                property_value(domain));
        }
        if (const auto dkim = find_result(*verdict, kDkim)) {
            const auto domain = property_value(option_domain(*dkim->second));
            add("dkim=" + std::string(dkim->first) + (domain.empty() ? "" : " header.d=" + domain));
        }
        if (const auto dmarc = find_result(*verdict, kDmarc)) {
            const auto domain = property_value(option_domain(*dmarc->second));
            add("dmarc=" + std::string(dmarc->first) +
                (domain.empty() ? "" : " header.from=" + domain));
        }
    }
    if (results.empty()) {
        results = "; none";
    }
    return "Authentication-Results: " + property_value(context.authserv_id) + results + "\r\n";
}

std::string remove_claimed_fields(std::string_view message, std::string_view authserv_id) {
    const auto header = mime::scan_header(message);
    std::string out;
    out.reserve(message.size());
    std::size_t kept_from = 0;
    for (const auto& field : header.fields) {
        const bool claimed = ascii::iequals(field.name, "Authentication-Results") &&
                             ascii::iequals(claimed_id(field.value), authserv_id);
        if (!claimed && !is_spam_field(field.name)) {
            continue;
        }
        const auto begin = static_cast<std::size_t>(field.lines.data() - message.data());
        out.append(message.substr(kept_from, begin - kept_from));
        kept_from = begin + field.lines.size();
    }
    out.append(message.substr(kept_from));
    return out;
}

std::string replace_subject(std::string_view message, std::string_view subject_field) {
    const auto header = mime::scan_header(message);
    std::string out;
    out.reserve(message.size() + subject_field.size());
    std::size_t kept_from = 0;
    bool placed = false;
    for (const auto& field : header.fields) {
        if (!ascii::iequals(field.name, "Subject")) {
            continue;
        }
        const auto begin = static_cast<std::size_t>(field.lines.data() - message.data());
        out.append(message.substr(kept_from, begin - kept_from));
        if (!placed) {
            out.append(subject_field);
            placed = true;
        }
        kept_from = begin + field.lines.size();
    }
    out.append(message.substr(kept_from));
    return placed ? out : std::string(subject_field) + out;
}

std::string spam_fields(const Verdict& verdict, bool spam) {
    return fmt::format(
        "{}X-Spam-Status: {}, score={:.2f} required={:.2f} action={}\r\n",
        spam ? "X-Spam-Flag: YES\r\n" : "", spam ? "Yes" : "No", verdict.score,
        verdict.required_score, action_name(verdict.action)
    );
}

}  // namespace govmail::filter
