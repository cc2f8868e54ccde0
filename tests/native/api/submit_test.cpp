// Submitting through the C interface: inputs are checked before anything is
// sent, and a hostile or broken CA answer (served here by a real HTTPS server,
// openssl s_server -WWW) is refused with a clear error while the request is
// kept, with the reason, and nothing is installed.
#include "ocscert/ocscert.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "../child_process.hpp"
#include "../ca/pebble_server.hpp"
#include "../test_support.hpp"

namespace {

using nlohmann::json;
using ocscert::testing::openssl_cli;
using ocscert::testing::sh;
using ocscert::testing::TempDir;

class Submit : public ::testing::Test, public ocscert::testing::ApiCalls {
public:
    void SetUp() override {
        const std::string options = json{{"storePath", (dir.path() / "store").string()}}.dump();
        ASSERT_EQ(ocscert_context_new(&ctx, options.c_str(), nullptr), OCSCERT_OK);
        request = call(ocscert_request_new, {{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"organization", "Contoso"},
                                             {"country", "US"}, {"state", "Washington"}, {"city", "Redmond"}, {"keyAlgorithm", "ECDSA_P256"}});
        ASSERT_TRUE(request.contains("id"));
    }
    void TearDown() override { ocscert_context_free(ctx); }

    // A real HTTPS server whose /dir is `directory`, exactly as given.
    void serve_directory(const std::string& directory) {
        const auto web = dir.path() / "web";
        std::filesystem::create_directories(web);
        std::ofstream(web / "dir", std::ios::binary) << directory;
        tls_cert = (dir.path() / "tls.pem").string();
        const std::string key = (dir.path() / "tls.key").string();
        ASSERT_EQ(sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost" +
                     " -addext subjectAltName=IP:127.0.0.1 -keyout " + key + " -out " + tls_cert),
                  0);
        port = ocscert::testing::free_port();
        server = std::make_unique<ocscert::testing::ChildProcess>(
            std::vector<std::string>{openssl_cli, "s_server", "-WWW", "-accept", "127.0.0.1:" + std::to_string(port), "-cert", tls_cert, "-key", key},
            std::vector<std::pair<std::string, std::string>>{}, dir.path() / "s_server.log", web);
        server->wait_for_port(port);
    }

    json submit(json extra = json::object()) {
        json input = {{"id", request["id"]}, {"ca", "acme:https://127.0.0.1:" + std::to_string(port) + "/dir"}, {"caBundle", tls_cert},
                      {"httpListener", "127.0.0.1:" + std::to_string(ocscert::testing::free_port())}, {"timeoutSeconds", 5}};
        for (auto& [k, v] : extra.items()) input[k] = v;
        return call(ocscert_request_submit, input);
    }
    json stored() { return call(ocscert_request_list, {{"id", request["id"]}})["requests"][0]; }
    std::size_t installed() { return call(ocscert_certificate_list, json::object())["certificates"].size(); }

    void expect_refused_and_kept(const std::string& want) {
        submit();
        EXPECT_EQ(status, OCSCERT_E_NETWORK);
        EXPECT_EQ(reason, "InvalidAcmeResponse");
        EXPECT_EQ(field, "ca");
        EXPECT_NE(message.find(want), std::string::npos) << message;
        const json kept = stored();
        EXPECT_EQ(kept["state"], "Pending");
        EXPECT_EQ(kept["lastError"]["reason"], "InvalidAcmeResponse");
        EXPECT_EQ(installed(), 0u);
    }

    TempDir dir;
    json request;
    std::string tls_cert;
    int port = 0;
    std::unique_ptr<ocscert::testing::ChildProcess> server;
};

TEST_F(Submit, MalformedJsonFromTheCaIsRefusedAndTheRequestKept) {
    serve_directory("{\"newNonce\": \"https://127.0.0.1/nonce\", \"newAcc");
    expect_refused_and_kept("not valid JSON");
}

TEST_F(Submit, AnHtmlPageInsteadOfADirectoryIsRefused) {
    serve_directory("<html><body>Service Unavailable</body></html>");
    expect_refused_and_kept("not valid JSON");
}

TEST_F(Submit, JsonThatIsNotADirectoryIsRefused) {
    serve_directory("[\"newNonce\", \"newAccount\"]");
    expect_refused_and_kept("not a JSON object");
}

TEST_F(Submit, ADirectoryWithoutItsEndpointsIsRefused) {
    serve_directory(R"({"newNonce": "https://127.0.0.1:1/nonce", "newAccount": 17})");
    expect_refused_and_kept("\"newAccount\"");
}

TEST_F(Submit, ADirectoryPointingAtNonUrlsIsRefused) {
    serve_directory(R"({"newNonce": "file:///etc/passwd", "newAccount": "x", "newOrder": "y"})");
    expect_refused_and_kept("is not a URL");
}

TEST_F(Submit, InputsAreCheckedBeforeAnythingIsSent) {
    struct Case {
        json input;
        const char* field;
        const char* reason;
    };
    const std::vector<Case> cases = {
        {{{"id", request["id"]}}, "ca", "RequiredField"},
        {{{"id", request["id"]}, {"ca", "acme:https://ca.contoso.com/dir"}, {"colour", "blue"}}, "colour", "UnknownField"},
        {{{"id", request["id"]}, {"ca", "acme:https://ca.contoso.com/dir"}, {"timeoutSeconds", 0}}, "timeoutSeconds", "OutOfRange"},
        {{{"id", request["id"]}, {"ca", "acme:https://ca.contoso.com/dir"}, {"caBundle", "/no/such/bundle.pem"}}, "caBundle", "InvalidPath"},
        {{{"id", request["id"]}, {"ca", "acme:https://ca.contoso.com/dir"}, {"httpListener", "127.0.0.1:80"}, {"dnsHook", "/bin/true"}},
         "httpListener", "ChallengeMethod"},
        {{{"id", request["id"]}, {"ca", "acme:https://ca.contoso.com/dir"}, {"httpListener", "localhost"}}, "httpListener", "InvalidListener"},
        {{{"id", "00000000"}, {"ca", "acme:https://ca.contoso.com/dir"}}, "id", "RequestNotFound"},
        {{{"id", request["id"]}, {"ca", "ca01.contoso.com\\Contoso CA"}}, "ca", "EnterpriseCaUnavailable"},
        {{{"id", request["id"]}, {"ca", "acme:https://ca.contoso.com/dir"}, {"credential", {{"password", "c2VjcmV0"}}}}, "credential", "RequiredField"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.input.dump());
        call(ocscert_request_submit, c.input);
        EXPECT_LT(status, 0);
        EXPECT_EQ(field, c.field);
        EXPECT_EQ(reason, c.reason) << message;
        EXPECT_EQ(message.find("c2VjcmV0"), std::string::npos);
    }
    const json kept = stored();
    EXPECT_EQ(kept["state"], "Pending");
    EXPECT_FALSE(kept.contains("lastError")) << "a refused input is not an attempt";
}

TEST_F(Submit, ACaAddressIsCheckedWithTheRequestsInputsBeforeAnyKeyIsMade) {
    json profile = {{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"organization", "Contoso"}, {"country", "US"},
                    {"state", "Washington"}, {"city", "Redmond"}, {"validateOnly", true}, {"ca", "https://ca.contoso.com/dir"}};
    call(ocscert_request_new, profile);
    EXPECT_EQ(reason, "InvalidCaAddress");
    EXPECT_EQ(field, "ca");
    profile.erase("validateOnly");
    call(ocscert_request_new, profile);
    EXPECT_EQ(field, "ca") << "a request does not carry a CA: submitting does";
    EXPECT_EQ(reason, "UnknownField") << message;
    EXPECT_EQ(call(ocscert_request_list, json::object())["requests"].size(), 1u) << "only the fixture's request";
}

TEST_F(Submit, CancellingBeforeTheCaAnswersChangesNothing) {
    serve_directory("{}");
    ocscert_context_cancel(ctx);
    submit();
    EXPECT_EQ(status, OCSCERT_E_CANCELLED);
    ocscert_context_reset_cancel(ctx);
    EXPECT_FALSE(stored().contains("lastAttempt"));
}

}  // namespace

namespace {

// Through a real ACME CA: an answer that does not fit the request (here the
// request's record is made to expect another key, as if the CA had certified
// someone else's) is refused, recorded on the request, and nothing is installed.
TEST(SubmitToPebble, AnIssuedCertificateThatDoesNotFitIsRefusedAndRecorded) {
    ocscert::testing::PebbleServer pebble;
    TempDir dir;
    ocscert::testing::ApiCalls api;
    const std::string options = json{{"storePath", (dir.path() / "store").string()}}.dump();
    ASSERT_EQ(ocscert_context_new(&api.ctx, options.c_str(), nullptr), OCSCERT_OK);
    const json request = api.call(ocscert_request_new, {{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"organization", "Contoso"},
                                                        {"country", "US"}, {"state", "Washington"}, {"city", "Redmond"}, {"keyAlgorithm", "ECDSA_P256"}});
    const std::string id = request["id"];
    const auto record_path = dir.path() / "store" / "requests" / id / "request.json";
    json record = json::parse(std::ifstream(record_path));
    record["publicKeySha256"] = std::string(64, '0');
    std::ofstream(record_path, std::ios::trunc) << record.dump(2);

    api.call(ocscert_request_submit, {{"id", id}, {"ca", "acme:" + pebble.directory_url()}, {"caBundle", pebble.ca_bundle},
                                      {"httpListener", pebble.http_listener()}});
    EXPECT_EQ(api.status, OCSCERT_E_INVALID_ARGUMENT);
    EXPECT_EQ(api.reason, "WrongKey");
    EXPECT_EQ(api.field, "ca");
    EXPECT_NE(api.message.find("not installed"), std::string::npos) << api.message;
    const json kept = api.call(ocscert_request_list, {{"id", id}})["requests"][0];
    EXPECT_EQ(kept["state"], "Pending");
    EXPECT_EQ(kept["lastError"]["reason"], "WrongKey");
    EXPECT_EQ(kept["ca"], "acme:" + pebble.directory_url());
    EXPECT_EQ(api.call(ocscert_certificate_list, json::object())["certificates"].size(), 0u);
    ocscert_context_free(api.ctx);
}

}  // namespace
