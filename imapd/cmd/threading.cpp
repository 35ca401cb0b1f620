#include "imapd/cmd/threading.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace govmail::imap {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// A message or, for an identifier referred to but not among the messages, a dummy.
struct Node {
    std::optional<std::size_t> message;  // index into the input
    std::size_t parent = kNone;
    std::vector<std::size_t> children;
};

// Sent date, then mailbox order (RFC 5256: ties go by sequence number).
using DateKey = std::tuple<std::int64_t, std::size_t>;

class Forest {
public:
    explicit Forest(const std::vector<ThreadMessage>& messages) : messages_(messages) {}

    std::size_t add(std::optional<std::size_t> message) {
        nodes_.push_back(Node{message, kNone, {}});
        return nodes_.size() - 1;
    }
    Node& operator[](std::size_t node) { return nodes_[node]; }
    std::size_t size() const { return nodes_.size(); }

    void detach(std::size_t child) {
        auto& parent = nodes_[child].parent;
        if (parent != kNone) {
            std::erase(nodes_[parent].children, child);
            parent = kNone;
        }
    }
    void attach(std::size_t parent, std::size_t child) {
        detach(child);
        nodes_[child].parent = parent;
        nodes_[parent].children.push_back(child);
    }
    // Whether CHILD may go below PARENT: no loop, and PARENT is at most kMaxThreadDepth deep.
    bool may_link(std::size_t parent, std::size_t child) const {
        std::size_t depth = 0;
        for (auto n = parent; n != kNone; n = nodes_[n].parent) {
            if (n == child || ++depth > kMaxThreadDepth) {
                return false;
            }
        }
        return true;
    }

    // A message's date key; a dummy's is its earliest child's (its children are messages).
    DateKey date_key(std::size_t node) const {
        const auto& n = nodes_[node];
        if (n.message) {
            return {messages_[*n.message].date, *n.message};
        }
        DateKey earliest{std::numeric_limits<std::int64_t>::max(), kNone};
        for (const auto child : n.children) {
            earliest = std::min(earliest, date_key(child));
        }
        return earliest;
    }
    void sort_by_date(std::vector<std::size_t>& siblings) const {
        std::ranges::sort(siblings, [&](std::size_t a, std::size_t b) {
            return date_key(a) < date_key(b);
        });
    }
    void sort_all_children() {
        for (auto& node : nodes_) {
            sort_by_date(node.children);
        }
    }

    // The thread-list for ROOTS, each "(" members ")", written without recursion.
    std::string format(const std::vector<std::size_t>& roots) const {
        constexpr std::size_t kText = kNone;  // a stack entry that writes `text`
        struct Entry {
            std::size_t node;
            char text;
        };
        std::string out;
        std::vector<Entry> stack;
        for (auto root = roots.rbegin(); root != roots.rend(); ++root) {
            stack.push_back({kText, ')'});
            stack.push_back({*root, 0});
            stack.push_back({kText, '('});
        }
        while (!stack.empty()) {
            const Entry entry = stack.back();
            stack.pop_back();
            if (entry.node == kText) {
                out += entry.text;
                continue;
            }
            const auto& n = nodes_[entry.node];
            if (n.message) {
                out += std::to_string(messages_[*n.message].number);
            }
            if (n.message && n.children.size() == 1) {
                stack.push_back({n.children.front(), 0});
                stack.push_back({kText, ' '});
                continue;
            }
            for (auto child = n.children.rbegin(); child != n.children.rend(); ++child) {
                stack.push_back({kText, ')'});
                stack.push_back({*child, 0});
                stack.push_back({kText, '('});
            }
            if (n.message && !n.children.empty()) {
                stack.push_back({kText, ' '});
            }
        }
        return out;
    }

    const ThreadMessage& message(std::size_t node) const {
        return messages_[*nodes_[node].message];
    }

private:
    const std::vector<ThreadMessage>& messages_;
    std::vector<Node> nodes_;
};

// Steps 1 and 2: links messages by their identifiers; returns the roots.
std::vector<std::size_t> link_by_references(
    Forest& forest, const std::vector<ThreadMessage>& messages
) {
    std::unordered_map<std::string_view, std::size_t> by_id;
    std::unordered_set<std::string_view> message_ids_seen;
    const auto node_for = [&](std::string_view id) {
        const auto [it, added] = by_id.try_emplace(id, kNone);
        if (added) {
            it->second = forest.add(std::nullopt);
        }
        return it->second;
    };
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& m = messages[i];
        // A missing or repeated Message-ID gets a node of its own (RFC 5256 step 1).
        const auto ids = message_ids(m.message_id);
        std::size_t node = kNone;
        if (!ids.empty() && message_ids_seen.insert(ids.front()).second) {
            node = node_for(ids.front());
            forest[node].message = i;
        } else {
            node = forest.add(i);
        }
        auto references = message_ids(m.references);
        if (references.empty()) {
            references = message_ids(m.in_reply_to);
            references.resize(std::min<std::size_t>(references.size(), 1));
        }
        if (references.size() > kMaxReferences) {
            references.erase(references.begin(), references.end() - kMaxReferences);
        }
        for (std::size_t r = 1; r < references.size(); ++r) {
            const auto parent = node_for(references[r - 1]);
            const auto child = node_for(references[r]);
            if (forest[child].parent == kNone && forest.may_link(parent, child)) {
                forest.attach(parent, child);
            }
        }
        // The last reference is the parent, replacing a link a truncated References made.
        forest.detach(node);
        if (!references.empty()) {
            const auto parent = node_for(references.back());
            if (forest.may_link(parent, node)) {
                forest.attach(parent, node);
            }
        }
    }
    std::vector<std::size_t> roots;
    for (std::size_t n = 0; n < forest.size(); ++n) {
        if (forest[n].parent == kNone) {
            roots.push_back(n);
        }
    }
    return roots;
}

// Step 4: dummies without children go; below the root a dummy gives way to its children, at
// the root only when it has one child. Children are rebuilt in post-order, without recursion.
std::vector<std::size_t> prune_dummies(Forest& forest, const std::vector<std::size_t>& roots) {
    std::vector<std::size_t> post_order;
    std::vector<std::size_t> stack(roots.rbegin(), roots.rend());
    while (!stack.empty()) {
        const auto n = stack.back();
        stack.pop_back();
        post_order.push_back(n);
        for (const auto child : forest[n].children) {
            stack.push_back(child);
        }
    }
    for (auto it = post_order.rbegin(); it != post_order.rend(); ++it) {
        std::vector<std::size_t> kept;
        for (const auto child : forest[*it].children) {
            if (forest[child].message) {
                kept.push_back(child);
            } else {
                kept.insert(
                    kept.end(), forest[child].children.begin(), forest[child].children.end()
                );
            }
        }
        for (const auto child : kept) {
            forest[child].parent = *it;
        }
        forest[*it].children = std::move(kept);
    }
    std::vector<std::size_t> pruned;
    for (const auto root : roots) {
        const auto& node = forest[root];
        if (node.message || node.children.size() > 1) {
            pruned.push_back(root);
        } else if (node.children.size() == 1) {
            const auto child = node.children.front();
            forest[child].parent = kNone;
            pruned.push_back(child);
        }
    }
    return pruned;
}

// Step 5: threads whose roots share a base subject are gathered.
class SubjectGathering {
public:
    explicit SubjectGathering(Forest& forest) : forest_(forest) {}

    std::vector<std::size_t> gather(std::vector<std::size_t> roots) {
        for (const auto root : roots) {
            const auto& subject = subject_of(root).base_subject;
            if (subject.empty()) {
                continue;
            }
            const auto [it, added] = table_.try_emplace(subject, root);
            if (!added && prefer(root, it->second)) {
                it->second = root;
            }
        }
        for (std::size_t i = 0; i < roots.size(); ++i) {
            const auto root = roots[i];
            if (forest_[root].parent != kNone || gone_.contains(root)) {
                continue;
            }
            const auto& subject = subject_of(root).base_subject;
            const auto it = table_.find(subject);
            if (subject.empty() || it == table_.end() || it->second == root) {
                continue;
            }
            if (const auto merged = merge(it->second, root); merged != it->second) {
                it->second = merged;
                roots.push_back(merged);
            }
        }
        std::erase_if(roots, [&](std::size_t root) {
            return forest_[root].parent != kNone || gone_.contains(root);
        });
        std::ranges::sort(roots);
        roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
        return roots;
    }

private:
    const ThreadMessage& subject_of(std::size_t root) {
        const auto& node = forest_[root];
        return forest_.message(node.message ? root : node.children.front());
    }
    bool is_dummy(std::size_t node) { return !forest_[node].message; }
    // Step 5C: a dummy, or a root that is not a reply, takes the table's place.
    bool prefer(std::size_t root, std::size_t in_table) {
        return (is_dummy(root) && !is_dummy(in_table)) ||
               (!is_dummy(in_table) && subject_of(in_table).reply && !subject_of(root).reply);
    }
    // Step 5E: joins THIS to the thread in the table; returns the table's new entry.
    std::size_t merge(std::size_t in_table, std::size_t root) {
        if (is_dummy(in_table) && is_dummy(root)) {
            for (const auto child : std::vector(forest_[root].children)) {
                forest_.attach(in_table, child);
            }
            gone_.insert(root);
            return in_table;
        }
        if (is_dummy(in_table) || is_dummy(root)) {
            const auto dummy = is_dummy(in_table) ? in_table : root;
            forest_.attach(dummy, dummy == in_table ? root : in_table);
            return dummy;
        }
        const bool table_reply = subject_of(in_table).reply;
        const bool root_reply = subject_of(root).reply;
        if (!table_reply && root_reply) {
            forest_.attach(in_table, root);
            return in_table;
        }
        if (table_reply && !root_reply) {
            forest_.attach(root, in_table);
            return root;
        }
        const auto dummy = forest_.add(std::nullopt);
        forest_.attach(dummy, in_table);
        forest_.attach(dummy, root);
        return dummy;
    }

    Forest& forest_;
    std::unordered_map<std::string_view, std::size_t> table_;
    std::unordered_set<std::size_t> gone_;
};

}  // namespace

std::vector<std::string_view> message_ids(std::string_view value) {
    std::vector<std::string_view> ids;
    std::size_t pos = 0;
    while ((pos = value.find('<', pos)) != std::string_view::npos) {
        const auto end = value.find('>', pos + 1);
        if (end == std::string_view::npos) {
            break;
        }
        const auto begin = value.rfind('<', end) + 1;  // "<<a@x>" holds "a@x"
        if (end > begin) {
            ids.push_back(value.substr(begin, end - begin));
        }
        pos = end + 1;
    }
    return ids;
}

std::string thread_ordered_subject(const std::vector<ThreadMessage>& messages) {
    std::vector<std::size_t> order(messages.size());
    std::iota(order.begin(), order.end(), 0);
    std::ranges::sort(order, [&](std::size_t a, std::size_t b) {
        return std::tie(messages[a].base_subject, messages[a].date, a) <
               std::tie(messages[b].base_subject, messages[b].date, b);
    });
    Forest forest(messages);
    std::vector<std::size_t> roots;
    std::size_t group_root = kNone;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto node = forest.add(order[i]);
        if (i > 0 && messages[order[i]].base_subject == messages[order[i - 1]].base_subject) {
            forest.attach(group_root, node);
        } else {
            group_root = node;
            roots.push_back(node);
        }
    }
    forest.sort_by_date(roots);
    return forest.format(roots);
}

std::string thread_references(const std::vector<ThreadMessage>& messages) {
    Forest forest(messages);
    auto roots = link_by_references(forest, messages);
    roots = prune_dummies(forest, roots);
    roots = SubjectGathering(forest).gather(std::move(roots));
    forest.sort_all_children();
    forest.sort_by_date(roots);
    return forest.format(roots);
}

}  // namespace govmail::imap
