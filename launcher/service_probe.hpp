#pragma once

// Whether a listener of the suite answers as its service should: a TCP connection and, for the
// plain-text protocols, their greeting (SMTP "220", IMAP "* OK", ManageSieve's capability
// list). TLS listeners (submissions, imaps, the portal) are checked for accepting connections.
// Used by `govmail status`; talks only to the suite's own listeners.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/config.hpp"

namespace govmail::launcher {

enum class Greeting { Smtp, Imap, ManageSieve, None };

struct ServiceListener {
    std::string part;     // the program serving it: "smtpd", "imapd", "portal"
    std::string service;  // "smtp", "submission", "submissions", "imap", "imaps" ...
    std::string address;
    std::uint16_t port = 0;
    Greeting greeting = Greeting::None;
};

struct Health {
    bool ok = false;
    std::string detail;  // the greeting line (up to 100 characters), or what went wrong
};

// The enabled listeners of CONFIG, in the order status shows them.
std::vector<ServiceListener> configured_listeners(const Config& config);

// Connects to LISTENER (a wildcard address is reached on loopback) and reads its greeting,
// within TIMEOUT in all.
Health probe(const ServiceListener& listener, std::chrono::milliseconds timeout);

}  // namespace govmail::launcher
