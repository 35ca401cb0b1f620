#include "portal/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace govmail::portal {
namespace {

boost::asio::awaitable<Response> first(Portal&, const Request&, const Visit&) {
    co_return Response{};
}

boost::asio::awaitable<Response> second(Portal&, const Request&, const Visit&) {
    co_return Response{};
}

TEST(Router, FindsByMethodAndExactPath) {
    Router r;
    r.add("GET", "/signin", Access::Public, first);
    r.add("POST", "/signin", Access::Public, second);
    r.add("GET", "/", Access::SignedIn, second);
    ASSERT_NE(r.find("GET", "/signin"), nullptr);
    EXPECT_EQ(r.find("GET", "/signin")->handler, &first);
    EXPECT_EQ(r.find("POST", "/signin")->handler, &second);
    EXPECT_EQ(r.find("GET", "/")->access, Access::SignedIn);
    EXPECT_EQ(r.find("GET", "/signin/"), nullptr);
    EXPECT_EQ(r.find("PUT", "/signin"), nullptr);
    EXPECT_TRUE(r.has_path("/signin"));
    EXPECT_FALSE(r.has_path("/nowhere"));
}

TEST(Router, RefusesTheSameRouteTwice) {
    Router r;
    r.add("GET", "/", Access::SignedIn, first);
    EXPECT_THROW(r.add("GET", "/", Access::Public, second), std::logic_error);
}

}  // namespace
}  // namespace govmail::portal
