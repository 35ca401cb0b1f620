// Runs every protocol transcript in tests/transcripts/imap against the real daemon library over
// loopback, with the real test PostgreSQL. A transcript is a list of lines:
//   C: text      sent by connection 1 (CRLF added); "Cn:" for connection n
//   L: text      a line of the literal announced by "{*}" at the end of the C: line before
//                (sent as a LITERAL+ literal, lines joined with CRLF, CRLF after the last;
//                "~{*}" sends a literal8; <NUL> in an L: line is a NUL byte)
//   A: text      the command goes on after that literal with TEXT (which may end in "{*}"
//                again: MULTIAPPEND, CATENATE)
//   S: text      the exact next line connection 1 must receive ("Sn:" for connection n)
//   !connect n plain|tls|other|other-plain
//                how connection n connects (default: tls to the first daemon); "other" is a
//                second daemon on the same database, as another server process would be
//   !starttls n  connection n starts TLS (after the server's OK to STARTTLS)
//   !deliver MAILBOX
//                the lines up to "." are delivered to MAILBOX of the test account
//   # comment
// In C: and S: lines $user is the test account's address; in S: lines an unknown $name matches
// one word and binds it for later lines, and $* matches the rest of the line. In C: lines
// $(N*text) is TEXT N times (nested repeats allowed; TEXT holds no other ")"), for lines too
// long to write out.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "tests/imapd/imap_harness.hpp"

namespace govmail::test {
namespace {

struct Step {
    enum class Kind { Send, Expect, Deliver, Connect, StartTls } kind = Kind::Send;
    int connection = 1;
    std::string text;
    std::string argument;  // Deliver: mailbox; Connect: mode; Send: the literal, if any
    bool has_literal = false;
    int line = 0;
};

std::vector<Step> parse_transcript(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    std::vector<Step> steps;
    static const std::regex kDirection(R"(^([CS])(\d*): ?(.*)$)");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& line = lines[i];
        const int number = static_cast<int>(i + 1);
        std::smatch m;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.rfind("!deliver ", 0) == 0) {
            Step step{Step::Kind::Deliver, 1, {}, line.substr(9), false, number};
            while (++i < lines.size() && lines[i] != ".") {
                step.text += lines[i] + "\r\n";
            }
            steps.push_back(step);
        } else if (line.rfind("!connect ", 0) == 0) {
            std::istringstream words(line.substr(9));
            Step step{Step::Kind::Connect, 1, {}, {}, false, number};
            words >> step.connection >> step.argument;
            steps.push_back(step);
        } else if (line.rfind("!starttls ", 0) == 0) {
            steps.push_back(Step{
                Step::Kind::StartTls, std::stoi(line.substr(10)), {}, {}, false, number});
        } else if (line.rfind("L:", 0) == 0) {
            if (steps.empty() || !steps.back().has_literal) {
                throw std::runtime_error(
                    file.string() + ":" + std::to_string(number) + ": stray L:"
                );
            }
            steps.back().argument += std::regex_replace(
                line.substr(line.size() > 2 && line[2] == ' ' ? 3 : 2) + "\r\n",
                std::regex("<NUL>"), std::string(1, '\0')
            );
        } else if (line.rfind("A:", 0) == 0) {
            if (steps.empty() || !steps.back().has_literal) {
                throw std::runtime_error(
                    file.string() + ":" + std::to_string(number) + ": stray A:"
                );
            }
            auto& command = steps.back();
            command.text += "{" + std::to_string(command.argument.size()) + "+}\r\n" +
                            command.argument +
                            line.substr(line.size() > 2 && line[2] == ' ' ? 3 : 2);
            command.argument.clear();
            command.has_literal = command.text.ends_with("{*}");
            if (command.has_literal) {
                command.text.resize(command.text.size() - 3);
            }
        } else if (std::regex_match(line, m, kDirection)) {
            Step step{
                m[1] == "C" ? Step::Kind::Send : Step::Kind::Expect,
                m[2].length() ? std::stoi(m[2]) : 1,
                m[3],
                {},
                false,
                number};
            if (step.kind == Step::Kind::Send && step.text.ends_with("{*}")) {
                step.text.resize(step.text.size() - 3);
                step.has_literal = true;
            }
            steps.push_back(step);
        } else {
            throw std::runtime_error(file.string() + ":" + std::to_string(number) + ": bad line");
        }
    }
    return steps;
}

std::string regex_escape(std::string_view text) {
    static const std::string kSpecial = R"(\^$.|?*+()[]{})";
    std::string out;
    for (const char c : text) {
        if (kSpecial.find(c) != std::string::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

// TEXT with each $(N*body) replaced by BODY repeated N times, innermost first.
std::string expand_repeats(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.substr(i, 2) != "$(") {
            out += text[i];
            continue;
        }
        const std::size_t star = text.find('*', i);
        std::size_t end = star;
        for (int depth = 1; depth > 0;) {
            end = text.find_first_of(")$", end + 1);
            if (end == std::string_view::npos) {
                throw std::runtime_error("unclosed $( in " + std::string(text));
            }
            if (text[end] == ')') {
                --depth;
            } else if (text.substr(end, 2) == "$(") {
                ++depth;
            }
        }
        const auto count = std::stoul(std::string(text.substr(i + 2, star - i - 2)));
        const std::string body = expand_repeats(text.substr(star + 1, end - star - 1));
        for (std::size_t n = 0; n < count; ++n) {
            out += body;
        }
        i = end;
    }
    return out;
}

class Variables {
public:
    void set(const std::string& name, const std::string& value) { values_[name] = value; }

    std::string substitute(const std::string& text) const {
        static const std::regex kVar(R"(\$([A-Za-z_][A-Za-z0-9_]*))");
        std::string out;
        auto begin = text.cbegin();
        for (std::sregex_iterator it(text.begin(), text.end(), kVar), end; it != end; ++it) {
            out.append(begin, (*it)[0].first);
            const auto found = values_.find((*it)[1]);
            out += found != values_.end() ? found->second : (*it)[0].str();
            begin = (*it)[0].second;
        }
        out.append(begin, text.cend());
        return out;
    }

    // Whether ACTUAL matches EXPECTED; binds the unknown variables it contains.
    bool match(const std::string& expected, const std::string& actual) {
        static const std::regex kVar(R"(\$(\*|[A-Za-z_][A-Za-z0-9_]*))");
        std::string pattern;
        std::vector<std::string> captured;
        auto begin = expected.cbegin();
        for (std::sregex_iterator it(expected.begin(), expected.end(), kVar), end; it != end;
             ++it) {
            pattern += regex_escape(std::string(begin, (*it)[0].first));
            const std::string name = (*it)[1];
            if (name == "*") {
                pattern += ".*";
            } else if (const auto found = values_.find(name); found != values_.end()) {
                pattern += regex_escape(found->second);
            } else {
                pattern += R"(([^ )\]]+))";
                captured.push_back(name);
            }
            begin = (*it)[0].second;
        }
        pattern += regex_escape(std::string(begin, expected.cend()));
        std::smatch m;
        if (!std::regex_match(actual, m, std::regex(pattern))) {
            return false;
        }
        for (std::size_t i = 0; i < captured.size(); ++i) {
            values_[captured[i]] = m[i + 1];
        }
        return true;
    }

private:
    std::map<std::string, std::string> values_;
};

class ImapTranscript : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(ImapTranscript, Runs) {
    const auto file = GetParam();
    const auto steps = parse_transcript(file);
    ImapHarness harness;
    const auto account = harness.create_account();
    Variables vars;
    vars.set("user", account.address);
    std::map<int, std::string> modes;
    std::map<int, std::unique_ptr<TestClient>> clients;
    auto client = [&](int n) -> TestClient& {
        auto& c = clients[n];
        if (!c) {
            const auto mode = modes.contains(n) ? modes[n] : "tls";
            const auto ports = harness.ports(mode.starts_with("other") ? 1 : 0);
            const bool tls = !mode.ends_with("plain");
            c = std::make_unique<TestClient>(tls ? ports.tls : ports.plain, tls);
        }
        return *c;
    };
    for (const auto& step : steps) {
        const auto where = file.filename().string() + ":" + std::to_string(step.line);
        switch (step.kind) {
            case Step::Kind::Connect:
                modes[step.connection] = step.argument;
                break;
            case Step::Kind::StartTls:
                client(step.connection).start_tls();
                break;
            case Step::Kind::Deliver:
                harness.deliver(account.id, step.argument, step.text);
                break;
            case Step::Kind::Send: {
                auto text = expand_repeats(vars.substitute(step.text));
                if (step.has_literal) {
                    text += "{" + std::to_string(step.argument.size()) + "+}\r\n" + step.argument;
                }
                client(step.connection).send(text + "\r\n");
                break;
            }
            case Step::Kind::Expect: {
                const auto expected = vars.substitute(step.text);
                auto& c = client(step.connection);
                const auto actual = c.read_line();
                ASSERT_TRUE(actual) << where << ": no line, expected: " << expected;
                if (!vars.match(expected, *actual)) {
                    std::string rest;
                    while (auto more = c.read_line(std::chrono::milliseconds(300))) {
                        rest += "\n  " + *more;
                    }
                    FAIL() << where << "\n  expected: " << expected << "\n  actual:   " << *actual
                           << "\n  then:" << rest;
                }
                break;
            }
        }
    }
}

std::vector<std::filesystem::path> transcripts() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(GOVMAIL_IMAP_TRANSCRIPTS)) {
        if (entry.path().extension() == ".txt") {
            files.push_back(entry.path());
        }
    }
    std::ranges::sort(files);
    return files;
}

INSTANTIATE_TEST_SUITE_P(
    Imap,
    ImapTranscript,
    ::testing::ValuesIn(transcripts()),
    [](const ::testing::TestParamInfo<std::filesystem::path>& param) {
        auto name = param.param.stem().string();
        for (auto& ch : name) {
            if (std::isalnum(static_cast<unsigned char>(ch)) == 0) {
                ch = '_';
            }
        }
        return name;
    }
);

}  // namespace
}  // namespace govmail::test
