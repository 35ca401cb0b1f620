// The [queue] configuration keys: defaults and values.

#include <gtest/gtest.h>

#include "common/config.hpp"

namespace govmail {
namespace {

TEST(QueueConfig, DefaultsAreSafe) {
    const QueueConfig queue = interpret_config({}).queue;
    EXPECT_EQ(queue.relay_host, "");
    EXPECT_EQ(queue.tls, OutboundTls::Opportunistic);
    EXPECT_EQ(queue.retry_initial, std::chrono::minutes(1));
    EXPECT_EQ(queue.retry_max, std::chrono::hours(1));
    EXPECT_EQ(queue.give_up, std::chrono::hours(5 * 24));
    EXPECT_EQ(queue.concurrency, 4u);
    EXPECT_EQ(queue.timeout_percent, 100u);
}

TEST(QueueConfig, EveryKeyIsRead) {
    const QueueConfig queue =
        interpret_config(parse_config_text("[queue]\nrelay_host = relay.example:587\n"
                                           "tls = Verify\nretry_initial_s = 1\n"
                                           "retry_max_s = 2\ngive_up_s = 3\n"
                                           "concurrency = 0\npoll_interval_s = 4\n"
                                           "lease_s = 5\ntimeout_percent = 6\n"
                                           "connect_timeout_s = 7\n"))
            .queue;
    EXPECT_EQ(queue.relay_host, "relay.example:587");
    EXPECT_EQ(queue.tls, OutboundTls::Verify);
    EXPECT_EQ(queue.retry_initial.count(), 1);
    EXPECT_EQ(queue.retry_max.count(), 2);
    EXPECT_EQ(queue.give_up.count(), 3);
    EXPECT_EQ(queue.concurrency, 0u);
    EXPECT_EQ(queue.poll_interval.count(), 4);
    EXPECT_EQ(queue.lease.count(), 5);
    EXPECT_EQ(queue.timeout_percent, 6u);
    EXPECT_EQ(queue.connect_timeout.count(), 7);
}

TEST(QueueConfig, BadValuesStopTheStart) {
    EXPECT_THROW(interpret_config(parse_config_text("[queue]\ntls = maybe\n")), std::runtime_error);
    EXPECT_THROW(
        interpret_config(parse_config_text("[queue]\nlease_s = soon\n")), std::runtime_error
    );
    EXPECT_THROW(interpret_config(parse_config_text("[queue]\nbogus = 1\n")), std::runtime_error);
}

}  // namespace
}  // namespace govmail
