#include "mime/address.hpp"

#include "mime/lexer.hpp"

namespace govmail::mime {
namespace {

constexpr std::string_view kSpecials = "()<>@,;:\\\"[]";
constexpr std::string_view kMissingMailbox = "MISSING_MAILBOX";
constexpr std::string_view kMissingDomain = "MISSING_DOMAIN";

std::string join(const std::vector<std::string>& words, std::string_view separator) {
    std::string out;
    for (const std::string& word : words) {
        if (!out.empty()) {
            out += separator;
        }
        out += word;
    }
    return out;
}

std::optional<std::string> non_empty(std::string text) {
    if (text.empty()) {
        return std::nullopt;
    }
    return text;
}

class AddressParser {
public:
    explicit AddressParser(std::string_view value) : lexer_(value) {}

    std::vector<EnvelopeAddress> parse() {
        parse_list(false);
        return std::move(addresses_);
    }

private:
    // Addresses up to the end, or in a group up to its ';'.
    void parse_list(bool in_group) {
        while (addresses_.size() < kMaxAddresses) {
            lexer_.skip_cfws();
            if (lexer_.at_end() || (in_group && lexer_.peek() == ';')) {
                return;
            }
            if (lexer_.peek() == ',' || lexer_.peek() == ';') {
                lexer_.advance();
                continue;
            }
            parse_address(in_group);
        }
    }

    void parse_address(bool in_group) {
        std::vector<std::string> words;
        std::string comment;
        for (;;) {
            lexer_.skip_cfws();
            if (!lexer_.last_comment().empty()) {
                comment = lexer_.last_comment();
            }
            const char c = lexer_.peek();
            if (c == '"') {
                words.push_back(lexer_.quoted_string());
            } else if (c == '<') {
                lexer_.advance();
                parse_angle_address(join(words, " "));
                return;
            } else if (c == ':' && !in_group) {
                lexer_.advance();
                parse_group(join(words, " "));
                return;
            } else if (c == '@') {
                lexer_.advance();
                std::string host = domain();
                if (!lexer_.last_comment().empty()) {
                    comment = lexer_.last_comment();
                }
                add_mailbox(std::move(comment), {}, join(words, ""), std::move(host));
                return;
            } else if (lexer_.at_end() || c == ',' || c == ';') {
                if (!words.empty()) {
                    add_mailbox(std::move(comment), {}, join(words, " "), {});
                }
                return;
            } else if (std::string word = word_or_skip(); !word.empty()) {
                words.push_back(std::move(word));
            }
        }
    }

    // After '<': [route ":"] local-part ["@" domain] ">".
    void parse_angle_address(std::string&& name) {
        lexer_.skip_cfws();
        std::string route;
        if (lexer_.peek() == '@') {
            while (!lexer_.at_end() && lexer_.peek() != ':' && lexer_.peek() != '>') {
                route += lexer_.peek();
                lexer_.advance();
            }
            if (lexer_.peek() == ':') {
                lexer_.advance();
            }
        }
        std::string local;
        for (lexer_.skip_cfws(); !lexer_.at_end() && lexer_.peek() != '@' && lexer_.peek() != '>';
             lexer_.skip_cfws()) {
            local += lexer_.peek() == '"' ? lexer_.quoted_string() : word_or_skip();
        }
        std::string host;
        if (lexer_.peek() == '@') {
            lexer_.advance();
            host = domain();
        }
        lexer_.skip_past('>');
        add_mailbox(std::move(name), std::move(route), std::move(local), std::move(host));
    }

    void parse_group(std::string&& name) {
        addresses_.push_back({std::nullopt, std::nullopt, std::move(name), std::nullopt});
        parse_list(true);
        if (lexer_.peek() == ';') {
            lexer_.advance();
        }
        addresses_.push_back({});
    }

    // Dot-atoms and domain literals up to the end of the domain.
    std::string domain() {
        std::string out;
        for (lexer_.skip_cfws(); !lexer_.at_end(); lexer_.skip_cfws()) {
            const char c = lexer_.peek();
            if (c != '[' && kSpecials.find(c) != std::string_view::npos) {
                break;
            }
            out += word_or_skip();
        }
        return out;
    }

    // An atom, a domain literal, or (on a stray special) nothing after stepping over it.
    std::string word_or_skip() {
        if (lexer_.peek() == '[') {
            std::string literal;
            while (!lexer_.at_end() && lexer_.peek() != ']') {
                literal += lexer_.peek();
                lexer_.advance();
            }
            lexer_.advance();
            return literal + "]";
        }
        const std::string_view atom = lexer_.atom(kSpecials);
        if (atom.empty()) {
            lexer_.advance();
        }
        return std::string(atom);
    }

    void add_mailbox(
        std::string&& name, std::string&& route, std::string&& local, std::string&& host
    ) {
        addresses_.push_back({
            non_empty(std::move(name)),
            non_empty(std::move(route)),
            local.empty() ? std::string(kMissingMailbox) : std::move(local),
            host.empty() ? std::string(kMissingDomain) : std::move(host),
        });
    }

    Lexer lexer_;
    std::vector<EnvelopeAddress> addresses_;
};

}  // namespace

std::vector<EnvelopeAddress> parse_address_list(std::string_view value) {
    return AddressParser(value).parse();
}

}  // namespace govmail::mime
