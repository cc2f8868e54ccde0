// Assigning certificates to roles, through the C interface, with an offline CA
// made by the openssl CLI: the checks, the live folders, roll-back, and kills
// and concurrent writers in the middle of a switch.
#include "ocscert/ocscert.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "../child_process.hpp"
#include "../test_support.hpp"
#include "platform/platform.hpp"

namespace {

using nlohmann::json;
using ocscert::testing::openssl_cli;
using ocscert::testing::sh;
using ocscert::testing::TempDir;
namespace fs = std::filesystem;

class Binding : public ::testing::Test, public ocscert::testing::ApiCalls {
public:
    void SetUp() override {
        const std::string options = json{{"storePath", store().string()}}.dump();
        ASSERT_EQ(ocscert_context_new(&ctx, options.c_str(), nullptr), OCSCERT_OK);
        // Root -> intermediate -> server certificates, as an enterprise PKI would have.
        ASSERT_EQ(sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Test-Root -days 30 -keyout " + f("root.key") +
                     " -out " + f("root.pem")), 0);
        std::ofstream(f("ca.cnf")) << "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n";
        ASSERT_EQ(sh(openssl_cli + " req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Test-Issuing -keyout " + f("issuing.key") +
                     " -out " + f("issuing.req")), 0);
        ASSERT_EQ(sh(openssl_cli + " x509 -req -in " + f("issuing.req") + " -CA " + f("root.pem") + " -CAkey " + f("root.key") +
                     " -CAcreateserial -days 30 -extfile " + f("ca.cnf") + " -out " + f("issuing.pem")), 0);
    }
    void TearDown() override { ocscert_context_free(ctx); }

    fs::path store() const { return dir.path() / "store"; }
    std::string f(const std::string& name) const { return (dir.path() / name).string(); }

    // Requests, has the issuing CA sign (with `extra` openssl x509 options), completes; returns the thumbprint.
    std::string issue(const std::string& name, const std::string& extra = "-days 10 -copy_extensions copy", bool with_chain = true) {
        const json profile = {{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"organization", "Contoso"}, {"country", "US"},
                              {"state", "Washington"}, {"city", "Redmond"}, {"keyAlgorithm", "ECDSA_P256"}, {"outFile", f(name + ".req")}};
        call(ocscert_request_new, profile);
        EXPECT_EQ(status, OCSCERT_OK) << message;
        EXPECT_EQ(sh(openssl_cli + " x509 -req -in " + f(name + ".req") + " -CA " + f("issuing.pem") + " -CAkey " + f("issuing.key") +
                     " -CAcreateserial " + extra + " -out " + f(name + ".cer")), 0);
        if (with_chain) std::ofstream(f(name + ".chain")) << std::ifstream(f(name + ".cer")).rdbuf() << std::ifstream(f("issuing.pem")).rdbuf();
        else fs::copy_file(f(name + ".cer"), f(name + ".chain"));
        const json installed = call(ocscert_request_complete, {{"path", f(name + ".chain")}});
        EXPECT_EQ(status, OCSCERT_OK) << message;
        return installed.value("thumbprint", "");
    }

    // An existing certificate (made outside the store, brought in as a PFX), for what a CA answer
    // cannot be: Complete refuses an expired certificate or one without the usages the request asked
    // for, but one can expire after it was installed, and an imported one asked for nothing.
    std::string import_existing(const std::string& name, const std::string& extra) {
        EXPECT_EQ(sh(openssl_cli + " req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pool01.contoso.com -addext " +
                     "subjectAltName=DNS:pool01.contoso.com -addext extendedKeyUsage=serverAuth,clientAuth -keyout " + f(name + ".key") +
                     " -out " + f(name + ".req")), 0);
        EXPECT_EQ(sh(openssl_cli + " x509 -req -in " + f(name + ".req") + " -CA " + f("issuing.pem") + " -CAkey " + f("issuing.key") +
                     " -CAcreateserial " + extra + " -out " + f(name + ".cer")), 0);
        EXPECT_EQ(sh(openssl_cli + " pkcs12 -export -inkey " + f(name + ".key") + " -in " + f(name + ".cer") + " -certfile " + f("issuing.pem") +
                     " -passout pass:import -out " + f(name + ".pfx")), 0);
        const json installed = call(ocscert_certificate_import, {{"path", f(name + ".pfx")}, {"password", "import"}});
        EXPECT_EQ(status, OCSCERT_OK) << message;
        return installed.value("thumbprint", "");
    }

    json bind(const json& roles, const std::string& thumbprint) { return call(ocscert_binding_set, bind_input(roles, thumbprint)); }
    json bind_input(const json& roles, const std::string& thumbprint) const {
        return {{"role", roles}, {"thumbprint", thumbprint}, {"trustAnchorPath", {f("root.pem")}}, {"systemTrust", false}};
    }

    json bindings() { return call(ocscert_binding_list, json::object())["bindings"]; }

    std::string bound(const std::string& role) {
        for (const auto& b : bindings())
            if (b["role"] == role) return b["thumbprint"];
        return "";
    }

    TempDir dir;
};

TEST_F(Binding, AssignsAllThreeRolesAndServicesFindThemInLive) {
    const std::string tp = issue("pool01");
    const json result = bind({"FrontEnd", "WebConferencing", "AudioVideo"}, tp);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    for (const char* role : {"FrontEnd", "WebConferencing", "AudioVideo"}) {
        SCOPED_TRACE(role);
        const auto& entry = result["roles"][role];
        EXPECT_EQ(entry["thumbprint"], tp);
        EXPECT_EQ(entry["issuer"], "CN=Test-Issuing");
        EXPECT_FALSE(entry["serialNumber"].get<std::string>().empty());
        EXPECT_TRUE(entry["previous"].is_null());
        const fs::path live = ocscert::testing::live_folder(store()) / role;
        OCSCERT_EXPECT_OWNER_ONLY(live / "key.pem");
        // What a service would do: the live certificate and key make a TLS identity openssl accepts.
        EXPECT_EQ(sh(openssl_cli + " x509 -in " + (live / "cert.pem").string() + " -noout -pubkey -out " + f("a.pub") + " && " + openssl_cli + " pkey -in " +
                     (live / "key.pem").string() + " -pubout -out " + f("b.pub")), 0);
        EXPECT_EQ(ocscert::testing::read_file(f("a.pub")), ocscert::testing::read_file(f("b.pub")));
        EXPECT_EQ(sh(openssl_cli + " verify -CAfile " + f("root.pem") + " -untrusted " + (live / "chain.pem").string() + " " + (live / "cert.pem").string()), 0);
    }
    EXPECT_EQ(bindings().size(), 3u);
}

TEST_F(Binding, EachFailedCheckIsNamedAndNothingChanges) {
    const std::string good = issue("good");
    bind({"FrontEnd"}, good);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    std::ofstream(f("server-only.cnf")) << "subjectAltName=DNS:pool01.contoso.com\nextendedKeyUsage=serverAuth\n";
    std::ofstream(f("client-only.cnf")) << "subjectAltName=DNS:pool01.contoso.com\nextendedKeyUsage=clientAuth\n";
    struct Case {
        const char* name;
        std::string extra;
        bool chain;
        const char* reason;
        const char* words;
    };
    const Case cases[] = {
        {"expired", "-days -1 -copy_extensions copy", true, "ValidityCheckFailed", "Expired"},
        {"no-server-auth", "-days 10 -extfile " + f("client-only.cnf"), true, "ServerAuthenticationCheckFailed", "lacks ServerAuthentication"},
        {"no-client-auth", "-days 10 -extfile " + f("server-only.cnf"), true, "ClientAuthenticationCheckFailed", "mutual TLS"},
        {"no-chain", "-days 10 -copy_extensions copy", false, "ChainCheckFailed", "CN=Test-Issuing"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string tp = c.chain ? import_existing(c.name, c.extra) : issue(c.name, c.extra, c.chain);
        bind({"FrontEnd"}, tp);
        EXPECT_EQ(status, OCSCERT_E_INVALID_ARGUMENT);
        EXPECT_EQ(reason, c.reason) << message;
        EXPECT_NE(message.find(c.words), std::string::npos) << message;
        EXPECT_EQ(bound("FrontEnd"), good);
    }
    // Not trusted at all: without the root as an anchor the chain ends nowhere.
    call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"thumbprint", good}, {"systemTrust", false}});
    EXPECT_EQ(reason, "ChainCheckFailed");
    EXPECT_NE(message.find("CN=Test-Root"), std::string::npos) << message;
    // Names the pool needs but the certificate lacks.
    call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"thumbprint", good}, {"trustAnchorPath", {f("root.pem")}}, {"systemTrust", false},
                               {"poolFqdn", "pool02.contoso.com"}});
    EXPECT_EQ(reason, "NamesCheckFailed");
    EXPECT_NE(message.find("pool02.contoso.com"), std::string::npos) << message;
    // An unknown thumbprint, and the Web Components role.
    bind({"FrontEnd"}, std::string(40, 'A'));
    EXPECT_EQ(reason, "CertificateNotFound");
    bind({"WebComponents"}, good);
    EXPECT_EQ(reason, "WebComponentsNotSupported");
    EXPECT_EQ(bound("FrontEnd"), good);
}

TEST_F(Binding, PreviousRollsBackAndRecordsWhatItReplaced) {
    const std::string first = issue("first");
    const std::string second = issue("second");
    bind({"FrontEnd", "AudioVideo"}, first);
    const json after = bind({"FrontEnd"}, second);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(after["roles"]["FrontEnd"]["previous"]["thumbprint"], first);
    EXPECT_EQ(after["roles"]["AudioVideo"]["thumbprint"], first);  // untouched role kept
    call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"previous", true}, {"trustAnchorPath", {f("root.pem")}}, {"systemTrust", false}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(bound("FrontEnd"), first);
    call(ocscert_binding_set, {{"role", {"WebConferencing"}}, {"previous", true}});
    EXPECT_EQ(reason, "NoPreviousBinding");
}

TEST_F(Binding, AScheduledRollOverWaitsForItsTime) {
    const std::string first = issue("first");
    const std::string second = issue("second");
    bind({"FrontEnd"}, first);
    const std::time_t at = std::time(nullptr) + 2;
    char effective[32];
    std::strftime(effective, sizeof effective, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&at));
    const json scheduled = call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"thumbprint", second}, {"effectiveDate", effective},
                                                      {"trustAnchorPath", {f("root.pem")}}, {"systemTrust", false}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(scheduled["roles"]["FrontEnd"]["scheduled"]["thumbprint"], second);
    EXPECT_EQ(bound("FrontEnd"), first);
    EXPECT_TRUE(call(ocscert_binding_apply, json::object())["applied"].empty());
    // The certificate a role will roll over to is in use: it cannot be removed.
    call(ocscert_certificate_remove, {{"thumbprint", second}});
    EXPECT_EQ(reason, "CertificateInUse");
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    EXPECT_EQ(call(ocscert_binding_apply, json::object())["applied"], json({"FrontEnd"}));
    EXPECT_EQ(bound("FrontEnd"), second);
    for (const auto& b : bindings()) EXPECT_FALSE(b.contains("scheduled")) << b.dump();

    call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"thumbprint", first}, {"effectiveDate", "2020-01-01T00:00:00Z"}});
    EXPECT_EQ(reason, "EffectiveDateInPast");
    call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"thumbprint", first}, {"effectiveDate", "tomorrow"}});
    EXPECT_EQ(reason, "InvalidDate");
    call(ocscert_binding_set, {{"role", {"AudioVideo"}}, {"thumbprint", first}, {"effectiveDate", "2099-01-01T00:00:00Z"}});
    EXPECT_EQ(reason, "EffectiveDateAfterExpiry");  // the certificate is valid now; the switch would come too late
    EXPECT_EQ(field, "effectiveDate");
    EXPECT_NE(message.find("is after the certificate " + first + " expires"), std::string::npos) << message;
}

TEST_F(Binding, KillDuringASwitchLeavesBeforeOrAfter) {
    const std::string first = issue("first");
    const std::string second = issue("second");
    bind({"FrontEnd"}, first);
    for (const char* point : {"bind.before-commit", "bind.before-switch", "bind.after-switch"}) {
        SCOPED_TRACE(point);
        const std::string before = bound("FrontEnd");
        const std::string target = before == first ? second : first;
        EXPECT_EQ(ocscert::testing::run_until_crash(point, "c_api",
                                                    {store().string(), "ocscert_binding_set", json::array({bind_input({"FrontEnd"}, target)}).dump()}),
                  86);
        EXPECT_EQ(bound("FrontEnd"), std::string(point) == "bind.after-switch" ? target : before);
        // The live folder is always whole and matches its bindings.
        const fs::path live = ocscert::testing::live_folder(store()) / "FrontEnd";
        for (const char* file : {"cert.pem", "chain.pem", "fullchain.pem", "key.pem"}) EXPECT_TRUE(fs::exists(live / file)) << file;
    }
    bind({"FrontEnd"}, first);  // the next change sweeps what the kills left
    ASSERT_EQ(status, OCSCERT_OK) << message;
    for (const auto& entry : fs::directory_iterator(store() / "generations")) EXPECT_NE(entry.path().filename().string()[0], '.');
}

TEST_F(Binding, ConcurrentWritersKeepTheBindingsWhole) {
    const std::string first = issue("first");
    const std::string second = issue("second");
    std::vector<ocscert::testing::ChildRun> children;
    for (int p = 0; p < 3; ++p) {
        json inputs = json::array();
        for (int i = 0; i < 6; ++i) inputs.push_back(bind_input({"FrontEnd", "AudioVideo"}, (i + p) % 2 ? first : second));
        children.emplace_back("c_api", std::vector<std::string>{store().string(), "ocscert_binding_set", inputs.dump()});
    }
    for (auto& child : children) EXPECT_EQ(child.wait(), 0);
    const auto list = bindings();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["thumbprint"], list[1]["thumbprint"]);  // both roles switched together every time
    std::size_t kept = 0;
    for (const auto& entry : fs::directory_iterator(store() / "generations")) kept += entry.path().filename().string()[0] != '.';
    EXPECT_LE(kept, 6u);
}

// What the README says: "the live generation and the five before it are kept".
TEST_F(Binding, TheLiveGenerationAndTheFiveBeforeItAreKept) {
    const std::string first = issue("first");
    const std::string second = issue("second");
    for (int i = 0; i < 9; ++i) {
        bind({"FrontEnd"}, i % 2 ? first : second);
        ASSERT_EQ(status, OCSCERT_OK) << message;
    }
    std::vector<std::string> kept;
    for (const auto& entry : fs::directory_iterator(store() / "generations")) kept.push_back(entry.path().filename().string());
    std::sort(kept.begin(), kept.end());
    EXPECT_EQ(kept, (std::vector<std::string>{"000004", "000005", "000006", "000007", "000008", "000009"}));
    EXPECT_EQ(ocscert::platform::read_link(store() / "live"), fs::path("generations") / "000009");
}

TEST_F(Binding, TestReportsEveryCheck) {
    const std::string tp = issue("pool01");
    const json result = call(ocscert_certificate_test, {{"thumbprint", tp}, {"trustAnchorPath", {f("root.pem")}}, {"systemTrust", false},
                                                        {"role", {"FrontEnd"}}, {"poolFqdn", "pool02.contoso.com"}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    std::vector<std::string> names;
    for (const auto& c : result["checks"]) names.push_back(c["check"]);
    EXPECT_EQ(names, (std::vector<std::string>{"PrivateKey", "Validity", "ServerAuthentication", "ClientAuthentication", "Names", "KeySize", "Chain"}));
    for (const auto& c : result["checks"]) EXPECT_EQ(c["passed"], c["check"] != "Names") << c.dump();
    call(ocscert_certificate_test, {{"role", {"FrontEnd"}}});
    EXPECT_EQ(reason, "RoleNotBound");
}

using ocscert::testing::free_port;

// The other pool member: its own store, its own certificate from the same CA,
// served by `openssl s_server` demanding and verifying a client certificate.
class MutualTls : public Binding {
public:
    void TearDown() override {
        server.reset();
        Binding::TearDown();
    }

    std::string start_peer(const fs::path& live) {
        const int port = free_port();
        const std::string accept = "127.0.0.1:" + std::to_string(port);
        const std::string cert = (live / "cert.pem").string(), key = (live / "key.pem").string(), chain = (live / "chain.pem").string();
        server = std::make_unique<ocscert::testing::ChildProcess>(
            std::vector<std::string>{openssl_cli, "s_server", "-accept", accept, "-cert", cert, "-key", key, "-cert_chain", chain, "-CAfile", f("root.pem"),
                                     "-Verify", "2", "-verify_return_error", "-quiet"},
            ocscert::testing::Environment{}, dir.path() / "s_server.log");
        server->wait_for_port(port, std::chrono::seconds(5));
        return accept;
    }

    json probe(const std::string& thumbprint, const std::string& address, const std::string& name = "pool01.contoso.com") {
        return call(ocscert_certificate_test, {{"thumbprint", thumbprint}, {"peer", address}, {"peerName", name},
                                               {"trustAnchorPath", {f("root.pem")}}, {"systemTrust", false}});
    }

    static const json* find(const json& result, const std::string& check) {
        for (const auto& c : result["checks"])
            if (c["check"] == check) return &c;
        return nullptr;
    }

    std::unique_ptr<ocscert::testing::ChildProcess> server;
};

TEST_F(MutualTls, TwoPoolMembersAuthenticateEachOther) {
    // fe02: a second store with its own key and certificate, bound to FrontEnd.
    ocscert_context* fe01 = ctx;
    ASSERT_EQ(ocscert_context_new(&ctx, json{{"storePath", (dir.path() / "fe02").string()}}.dump().c_str(), nullptr), OCSCERT_OK);
    const std::string fe02_cert = issue("fe02");
    bind({"FrontEnd"}, fe02_cert);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    ocscert_context_free(ctx);
    ctx = fe01;
    const std::string address = start_peer(ocscert::testing::live_folder(dir.path() / "fe02") / "FrontEnd");

    const std::string fe01_cert = issue("fe01");
    const json result = probe(fe01_cert, address);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    for (const char* check : {"PeerConnect", "PeerHandshake", "PeerCertificateTrusted", "PeerName"}) {
        const json* c = find(result, check);
        ASSERT_NE(c, nullptr) << check;
        EXPECT_TRUE((*c)["passed"].get<bool>()) << c->dump();
    }
    // The wrong name is a name mismatch, not a handshake failure.
    const json wrong = probe(fe01_cert, address, "pool99.contoso.com");
    EXPECT_FALSE((*find(wrong, "PeerName"))["passed"].get<bool>());
}

// The checks and the handshake trust the same roots: a folder of trust anchors
// makes the peer's certificate trusted as it makes our chain pass.
TEST_F(MutualTls, ATrustAnchorFolderIsTrustedForThePeerToo) {
    const std::string peer_cert = issue("peer");
    bind({"FrontEnd"}, peer_cert);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const std::string address = start_peer(ocscert::testing::live_folder(store()) / "FrontEnd");
    const fs::path anchors = dir.path() / "anchors";
    fs::create_directories(anchors);
    fs::copy_file(f("root.pem"), anchors / "root.pem");
    const json result = call(ocscert_certificate_test, {{"thumbprint", issue("fe01")}, {"peer", address}, {"peerName", "pool01.contoso.com"},
                                                        {"trustAnchorPath", {anchors.string()}}, {"systemTrust", false}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    for (const char* check : {"Chain", "PeerHandshake", "PeerCertificateTrusted"}) {
        const json* c = find(result, check);
        ASSERT_NE(c, nullptr) << check;
        EXPECT_TRUE((*c)["passed"].get<bool>()) << c->dump();
    }
}

TEST_F(MutualTls, ACertificateWithoutClientAuthenticationIsRefusedByThePeer) {
    const std::string peer_cert = issue("peer");
    bind({"FrontEnd"}, peer_cert);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const std::string address = start_peer(ocscert::testing::live_folder(store()) / "FrontEnd");
    std::ofstream(f("server-only.cnf")) << "subjectAltName=DNS:pool01.contoso.com\nextendedKeyUsage=serverAuth\n";
    const std::string server_only = import_existing("server-only", "-days 10 -extfile " + f("server-only.cnf"));
    const json result = probe(server_only, address);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_FALSE((*find(result, "ClientAuthentication"))["passed"].get<bool>());
    const json* handshake = find(result, "PeerHandshake");
    ASSERT_NE(handshake, nullptr);
    EXPECT_FALSE((*handshake)["passed"].get<bool>());
    EXPECT_NE((*handshake)["detail"].get<std::string>().find("client authentication"), std::string::npos) << handshake->dump();
}

TEST_F(MutualTls, APeerThatIsDownIsAFailedConnectCheck) {
    const std::string tp = issue("pool01");
    const json result = probe(tp, "127.0.0.1:" + std::to_string(free_port()));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_FALSE((*find(result, "PeerConnect"))["passed"].get<bool>());
    for (const char* bad : {"no-port", ":5061", "host:", "host:99999", "host:5o61"}) {
        call(ocscert_certificate_test, {{"thumbprint", tp}, {"peer", bad}});
        EXPECT_EQ(reason, "InvalidPeer") << bad;
        EXPECT_EQ(field, "peer") << bad;
    }
}

// The pool test's own responder (ocscert_tls_responder_open) is a real mutual-TLS server: a member with a
// certificate from the pool's CA passes, and a responder that trusts another root refuses it, saying why.
TEST_F(MutualTls, ThePoolResponderAcceptsAMemberAndRefusesAnUntrustedOne) {
    const std::string fe02 = issue("fe02");
    bind({"FrontEnd"}, fe02);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const std::string listen = "127.0.0.1:" + std::to_string(free_port());
    const json opened = call(ocscert_tls_responder_open, {{"listen", listen}, {"role", {"FrontEnd"}}, {"trustAnchorPath", {f("root.pem")}}, {"seconds", 60}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(opened["thumbprint"], fe02);
    const std::string fe01 = issue("fe01");
    const json result = probe(fe01, listen);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    for (const char* check : {"PeerConnect", "PeerHandshake", "PeerCertificateTrusted", "PeerName"}) {
        const json* c = find(result, check);
        ASSERT_NE(c, nullptr) << check;
        EXPECT_TRUE((*c)["passed"].get<bool>()) << c->dump();
    }

    // The same responder, now trusting only another root: fe01's certificate is refused in the handshake.
    ASSERT_EQ(sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Other-Root -days 30 -keyout " +
                 f("other.key") + " -out " + f("other.pem")),
              0);
    // (Reopening at an address replaces what listened there; a new port keeps other tests' listeners out of the way.)
    call(ocscert_tls_responder_close, {{"listen", listen}});
    const std::string other = "127.0.0.1:" + std::to_string(free_port());
    call(ocscert_tls_responder_open, {{"listen", other}, {"thumbprint", fe02}, {"trustAnchorPath", {f("other.pem")}}, {"seconds", 60}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const json refused = probe(fe01, other);
    const json* handshake = find(refused, "PeerHandshake");
    ASSERT_NE(handshake, nullptr);
    EXPECT_FALSE((*handshake)["passed"].get<bool>()) << handshake->dump();
    const json closed = call(ocscert_tls_responder_close, {{"listen", other}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_TRUE(closed["closed"].get<bool>());
    ASSERT_EQ(closed["connections"].size(), 1u) << closed.dump();
    EXPECT_FALSE(closed["connections"][0]["accepted"].get<bool>());
    EXPECT_EQ(closed["connections"][0]["thumbprint"], fe01);
    EXPECT_NE(closed["connections"][0]["detail"].get<std::string>().find("not trusted"), std::string::npos) << closed.dump();
    // Closing again says there is nothing open there.
    EXPECT_FALSE(call(ocscert_tls_responder_close, {{"listen", other}})["closed"].get<bool>());
}

}  // namespace
