#pragma once

// What the rspamd fixture (test_rspamd_main.cpp) adds for the sender authentication tests
// (tests/integration/test_sender_auth.py): the DNS server of the `dns` fixture
// (test_dns.py) to ask, and a test-only rule that scores mail from greylist.test into
// rspamd's greylist band, so that its greylist module greylists it.

#include <filesystem>
#include <string>

namespace govmail::test {

// "127.0.0.1:PORT" from $GOVMAIL_TEST_DNS_ROOT/address; without the fixture (a run by hand),
// a port nothing listens on, which refuses at once so that no scan waits on DNS.
std::string fixture_nameserver();

// Writes the rule into RSPAMD_DIR/local.d (multimap.conf and its map).
void write_test_rules(const std::filesystem::path& rspamd_dir);

}  // namespace govmail::test
