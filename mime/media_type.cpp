#include "mime/media_type.hpp"

#include <algorithm>

#include "mime/ascii.hpp"
#include "mime/lexer.hpp"

namespace govmail::mime {
namespace {

// RFC 2045 tspecials, which end a token.
constexpr std::string_view kTspecials = "()<>@,;:\\\"/[]?=";
// Unquoted values end only at ';': real mail writes boundary=----=_Part_0 without quotes.
constexpr std::string_view kValueEnd = ";";
// Bounds the work on a value with thousands of parameters.
constexpr std::size_t kMaxParams = 64;

std::vector<Param> parse_params(Lexer& lexer) {
    std::vector<Param> params;
    while (params.size() < kMaxParams) {
        lexer.skip_past(';');
        lexer.skip_cfws();
        if (lexer.at_end()) {
            break;
        }
        const std::string_view name = lexer.atom(kTspecials);
        lexer.skip_cfws();
        if (name.empty() || lexer.peek() != '=') {
            continue;
        }
        lexer.advance();
        lexer.skip_cfws();
        std::string value =
            lexer.peek() == '"' ? lexer.quoted_string() : std::string(lexer.atom(kValueEnd));
        params.push_back({std::string(name), std::move(value)});
    }
    return params;
}

}  // namespace

std::optional<MediaType> parse_content_type(std::string_view value) {
    Lexer lexer(value);
    lexer.skip_cfws();
    const std::string_view type = lexer.atom(kTspecials);
    lexer.skip_cfws();
    if (type.empty() || lexer.peek() != '/') {
        return std::nullopt;
    }
    lexer.advance();
    lexer.skip_cfws();
    const std::string_view subtype = lexer.atom(kTspecials);
    if (subtype.empty()) {
        return std::nullopt;
    }
    return MediaType{lower(type), lower(subtype), parse_params(lexer)};
}

std::optional<Disposition> parse_disposition(std::string_view value) {
    Lexer lexer(value);
    lexer.skip_cfws();
    const std::string_view type = lexer.atom(kTspecials);
    if (type.empty()) {
        return std::nullopt;
    }
    return Disposition{std::string(type), parse_params(lexer)};
}

const std::string* find_param(const std::vector<Param>& params, std::string_view name) {
    const auto found = std::find_if(params.begin(), params.end(), [name](const Param& p) {
        return iequals(p.name, name);
    });
    return found == params.end() ? nullptr : &found->value;
}

}  // namespace govmail::mime
