// What the ACME client reads from a CA's JSON answers, without a CA: the fields it acts on, and
// a refusal naming the answer (InvalidAcmeResponse) for anything it cannot use, whatever the JSON
// holds. Inputs the fuzz target (tests/fuzz/acme_json.cpp) found are kept here.
#include "ca/acme/acme_messages.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace ocscert::ca::acme {
namespace {

// `read` refuses its body as an unusable ACME answer (and with nothing else).
template <typename F> void expect_refused(F&& read, const std::string& body) {
    try {
        read(body);
        ADD_FAILURE() << "accepted: " << body;
    } catch (const Error& e) {
        EXPECT_EQ(e.reason(), "InvalidAcmeResponse") << body;
        EXPECT_EQ(e.field(), "ca");
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not refused as an ACME answer but with '" << e.what() << "': " << body;
    }
}

const char* const token = "ZZjb8q6BdxyqCGzR7LsBbX0RdSmyWgwYj8s_7dfkzdo";

TEST(AcmeMessages, APendingAuthorizationGivesTheChallengeOfTheTypeAskedFor) {
    const std::string body = std::string(R"({"status":"pending","identifier":{"type":"dns","value":"pool01.contoso.com"},"challenges":[)") +
                             R"({"type":"dns-01","url":"https://ca/d","token":"r9nVzq6BdxyqCGzR7LsBbX0RdSmyWgwYj8s_7dfkzdo"},)" +
                             R"({"type":"http-01","url":"https://ca/h","token":")" + token + R"("}]})";
    const auto authz = read_authorization(body, "http-01");
    EXPECT_EQ(authz.status, "pending");
    EXPECT_EQ(authz.name, "pool01.contoso.com");
    ASSERT_TRUE(authz.challenge);
    EXPECT_EQ(authz.challenge->token, token);
    EXPECT_EQ(authz.challenge->url, "https://ca/h");
    EXPECT_FALSE(read_authorization(body, "tls-alpn-01").challenge);
}

TEST(AcmeMessages, AFailedChallengeGivesTheCasReason) {
    const auto authz = read_authorization(
        R"({"status":"invalid","challenges":[{"type":"http-01","error":{"detail":"Connection refused"}}]})", "");
    EXPECT_EQ(authz.status, "invalid");
    EXPECT_EQ(authz.failure, "Connection refused");
}

TEST(AcmeMessages, AnOrderGivesItsAuthorizationsAndUrls) {
    const auto order = read_order(R"({"status":"valid","authorizations":["https://ca/a1","https://ca/a2"],)"
                                  R"("finalize":"https://ca/f","certificate":"https://ca/c"})",
                                  "the order");
    EXPECT_EQ(order.status, "valid");
    ASSERT_TRUE(order.authorizations);
    EXPECT_EQ(order.authorizations->size(), 2u);
    EXPECT_EQ(checked_url(order.finalize, "finalize", "the order"), "https://ca/f");
    EXPECT_EQ(checked_url(order.certificate, "certificate", "the issued order"), "https://ca/c");
    EXPECT_FALSE(read_order(R"({"status":"pending"})", "the order").authorizations);
}

TEST(AcmeMessages, ADirectoryNeedsItsThreeUrls) {
    const auto directory = read_directory(R"({"newNonce":"https://ca/n","newAccount":"https://ca/a","newOrder":"https://ca/o"})");
    EXPECT_EQ(directory.new_order, "https://ca/o");
    expect_refused(read_directory, R"({"newNonce":"https://ca/n","newAccount":"https://ca/a"})");
    expect_refused(read_directory, R"({"newNonce":"https://ca/n","newAccount":"https://ca/a","newOrder":"ftp://ca/o"})");
    expect_refused(read_directory, "[]");
    expect_refused(read_directory, "{");
}

TEST(AcmeMessages, AChallengeTokenMustBeBase64url) {
    expect_refused([](const std::string& b) { return read_authorization(b, "http-01"); },
                   R"({"status":"pending","challenges":[{"type":"http-01","url":"https://ca/h","token":"../../etc/passwd-0123456789"}]})");
}

// Found by the fuzz target: a member of another type than RFC 8555 gives ({"status":4}) escaped as
// nlohmann's type_error, which the C interface reports as an internal error. Such a member reads as
// missing, so the client refuses the answer for what it lacks.
TEST(AcmeMessages, AMemberOfAnotherTypeReadsAsMissing) {
    EXPECT_EQ(read_order(R"({"status":4444444444444444444444444444444444444444444444})", "the order").status, "");
    EXPECT_EQ(read_order(R"({"status":"invalid","error":{"detail":7}})", "the order").error_detail, "");
    EXPECT_EQ(read_account_status(R"({"status":true})"), "");
    const auto authz = read_authorization(R"({"status":null,"identifier":{"value":5},"challenges":[{"error":{"detail":[]}}]})", "");
    EXPECT_EQ(authz.status, "");
    EXPECT_EQ(authz.name, "");
    EXPECT_EQ(authz.failure, "no reason given");
    EXPECT_FALSE(read_authorization(R"({"status":"pending","challenges":[{"type":1,"url":"https://ca/h"}]})", "http-01").challenge);
    const auto problem = read_problem(400, R"({"type":{},"detail":"Bad nonce"})");
    EXPECT_EQ(problem.type, "");
    EXPECT_EQ(problem.detail, "Bad nonce");
}

}  // namespace
}  // namespace ocscert::ca::acme
