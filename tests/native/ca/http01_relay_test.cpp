// The standing http-01 listener of a pool-wide request: it answers its own
// tokens, asks its peers for the others (so the CA's check for the pool name
// passes on whichever member it lands), never relays a relayed question, and
// relays only what looks like a key authorization for that token.
#include "ca/acme/http01_listener.hpp"

#include <gtest/gtest.h>

#include "../child_process.hpp"
#include "core/error.hpp"
#include "transport/http_client.hpp"

namespace ocscert::ca {
namespace {

using ocscert::testing::free_port;

std::string address(int port) { return "127.0.0.1:" + std::to_string(port); }

transport::HttpResponse fetch(int port, const std::string& token) {
    transport::HttpOptions options;
    options.timeout = std::chrono::seconds(5);
    return transport::HttpClient(options).get("http://" + address(port) + "/.well-known/acme-challenge/" + token);
}

TEST(Http01Relay, AMemberAnswersForItsPeersTokens) {
    const int a_port = free_port(), b_port = free_port();
    Http01Listener a(address(a_port), "listen", {HostPort{"127.0.0.1", std::to_string(b_port)}});
    Http01Listener b(address(b_port), "listen", {HostPort{"127.0.0.1", std::to_string(a_port)}});
    a.serve("tokenA", "tokenA.thumbprint-of-a");
    b.serve("tokenB", "tokenB.thumbprint-of-b");

    EXPECT_EQ(fetch(a_port, "tokenA").body, "tokenA.thumbprint-of-a");
    const auto relayed = fetch(a_port, "tokenB");  // the CA reached member a for member b's order
    EXPECT_EQ(relayed.status, 200);
    EXPECT_EQ(relayed.body, "tokenB.thumbprint-of-b");
    EXPECT_EQ(a.relayed(), 1);
    EXPECT_EQ(fetch(b_port, "tokenA").body, "tokenA.thumbprint-of-a");

    // Nobody has it: 404 from both, and no loop between the two (each relays a question once at most).
    EXPECT_EQ(fetch(a_port, "tokenC").status, 404);
    EXPECT_EQ(fetch(a_port, "tokenB?relayed").status, 404);
    // Withdrawn answers are gone everywhere.
    b.withdraw("tokenB");
    EXPECT_EQ(fetch(a_port, "tokenB").status, 404);
}

TEST(Http01Relay, OnlyKeyAuthorizationsForThatTokenAreRelayed) {
    const int a_port = free_port(), b_port = free_port();
    Http01Listener a(address(a_port), "listen", {HostPort{"127.0.0.1", std::to_string(b_port)}});
    Http01Listener b(address(b_port), "listen");
    b.serve("tokenB", "something else entirely");
    EXPECT_EQ(fetch(a_port, "tokenB").status, 404);
    // A path that is not a token is never put into a request to a peer.
    EXPECT_EQ(fetch(a_port, "..%2Fetc").status, 404);
}

TEST(Http01Relay, AStandingListenerServesOrdersOnItsAddressUntilClosed) {
    const int port = free_port();
    open_standing_listener(address(port), {}, std::chrono::seconds(60));
    const auto listener = standing_listener(address(port));
    ASSERT_NE(listener, nullptr);
    listener->serve("tok", "tok.key");
    EXPECT_EQ(fetch(port, "tok").body, "tok.key");
    EXPECT_EQ(standing_listener(address(port + 1)), nullptr);
    EXPECT_EQ(close_standing_listener(address(port)), 0);
    EXPECT_EQ(standing_listener(address(port)), nullptr);
    EXPECT_EQ(close_standing_listener(address(port)), -1);
}

TEST(Http01Relay, AStandingListenerStopsAnsweringAtItsDeadline) {
    const int port = free_port();
    open_standing_listener(address(port), {}, std::chrono::seconds(1));
    standing_listener(address(port))->serve("tok", "tok.key");
    EXPECT_EQ(fetch(port, "tok").status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    EXPECT_EQ(standing_listener(address(port)), nullptr);  // expired: orders open their own
    EXPECT_THROW(fetch(port, "tok"), Error);              // and it answers nobody
}

}  // namespace
}  // namespace ocscert::ca
