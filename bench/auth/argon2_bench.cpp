// Times one Argon2id verification of a stored PHC string three ways: Debian's libargon2
// (argon2id_verify, what govmail verified with before), libsodium's
// crypto_pwhash_argon2id_str_verify called directly, and govmail's verify_password; then
// govmail's hash_password. Rounds alternate between the three, so a busy machine slows each
// alike. Prints the median and the minimum of wall time and of the calling thread's CPU time
// (with one lane all of Argon2's work runs on the calling thread).
//
//   argon2_bench [ROUNDS [TIME_COST MEMORY_KIB PARALLELISM]]
//
// Defaults: 20 rounds at govmail's default cost (AuthConfig: t=3, 64 MiB, p=1).

#include <argon2.h>
#include <sodium.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "auth/password_hash.hpp"

namespace {

using govmail::auth::Argon2Params;

constexpr std::string_view kPassword = "correct horse battery staple";

struct Sample {
    double wall_ms;
    double cpu_ms;
};

double thread_cpu_ms() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// Runs TASK once; exits when it reports failure (a verification that should succeed).
Sample time_once(const std::function<bool()>& task) {
    const double cpu_before = thread_cpu_ms();
    const auto wall_before = std::chrono::steady_clock::now();
    const bool ok = task();
    const std::chrono::duration<double, std::milli> wall =
        std::chrono::steady_clock::now() - wall_before;
    const double cpu = thread_cpu_ms() - cpu_before;
    if (!ok) {
        std::fprintf(stderr, "argon2_bench: a verification failed\n");
        std::exit(1);
    }
    return {wall.count(), cpu};
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

void report(const char* name, const std::vector<Sample>& samples) {
    std::vector<double> wall;
    std::vector<double> cpu;
    for (const auto& sample : samples) {
        wall.push_back(sample.wall_ms);
        cpu.push_back(sample.cpu_ms);
    }
    std::printf(
        "%-34s wall median %7.1f ms  min %7.1f ms   cpu median %7.1f ms  min %7.1f ms\n", name,
        median(wall), *std::min_element(wall.begin(), wall.end()), median(cpu),
        *std::min_element(cpu.begin(), cpu.end())
    );
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 20;
    Argon2Params params;
    if (argc > 4) {
        params = Argon2Params{
            static_cast<std::uint32_t>(std::atoi(argv[2])),
            static_cast<std::uint32_t>(std::atoi(argv[3])),
            static_cast<std::uint32_t>(std::atoi(argv[4]))};
    }
    if (rounds < 1 || sodium_init() < 0) {
        std::fprintf(stderr, "usage: argon2_bench [ROUNDS [TIME_COST MEMORY_KIB PARALLELISM]]\n");
        return 2;
    }
    const std::string phc = govmail::auth::hash_password(kPassword, params);
    std::printf(
        "%s, %d rounds\n", phc.substr(0, phc.rfind('$', phc.rfind('$') - 1)).c_str(), rounds
    );

    std::vector<Sample> libargon2;
    std::vector<Sample> libsodium;
    std::vector<Sample> govmail_verify;
    std::vector<Sample> govmail_hash;
    for (int round = 0; round < rounds; ++round) {
        libargon2.push_back(time_once([&] {
            return argon2id_verify(phc.c_str(), kPassword.data(), kPassword.size()) == ARGON2_OK;
        }));
        libsodium.push_back(time_once([&] {
            return crypto_pwhash_argon2id_str_verify(
                       phc.c_str(), kPassword.data(), kPassword.size()
                   ) == 0;
        }));
        govmail_verify.push_back(time_once([&] {
            return govmail::auth::verify_password(phc, kPassword);
        }));
        govmail_hash.push_back(time_once([&] {
            return !govmail::auth::hash_password(kPassword, params).empty();
        }));
    }
    report("libargon2 argon2id_verify", libargon2);
    report("libsodium crypto_pwhash_str_verify", libsodium);
    report("govmail verify_password", govmail_verify);
    report("govmail hash_password", govmail_hash);
    return 0;
}
