// The SCEP client against a real scepserver on loopback: issuance, challenge
// passwords, fingerprint pinning, a CSR verifier that refuses, the oldest
// capabilities (GET, SHA-1, triple DES), a web server that is no SCEP CA,
// forged, replayed and tampered CertReps (a relay in front of real servers
// plays them back), a CA that is down, and polls.
#include "ca/scep/scep_client.hpp"

#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "crypto/openssl_ptr.hpp"
#include "names/san_resolver.hpp"
#include "request/csr_builder.hpp"
#include "request/profile.hpp"
#include "scep_server.hpp"

namespace ocscert::ca::scep {
namespace {

using crypto::Ptr;
using nlohmann::json;
using testing::catch_error;
using testing::HttpRelay;
using testing::ScepServer;
using testing::ScepSettings;
using testing::TempDir;
using testing::TestProgress;

const std::string challenge = "Sesame-7f3a9c21";

struct Csr {
    std::string pem;
    Ptr<EVP_PKEY> key;
    std::vector<std::string> names;
};

Csr make_csr(const std::string& key_algorithm) {
    const auto profile = request::parse_profile({{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"sipDomain", {"contoso.com"}},
                                                 {"automaticSignIn", true}, {"organization", "Contoso"}, {"country", "US"},
                                                 {"state", "Washington"}, {"city", "Redmond"}, {"keyAlgorithm", key_algorithm}},
                                                [] { return std::string(); });
    const auto resolved = names::resolve(profile.names);
    TestProgress progress;
    const auto built = request::build_request(profile, resolved, progress);
    Csr csr;
    csr.pem = built.request_pem;
    Ptr<BIO> bio(BIO_new_mem_buf(built.private_key_pem.bytes().data(), static_cast<int>(built.private_key_pem.bytes().size())));
    csr.key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    for (const auto& n : resolved.names) csr.names.push_back(n.name);
    std::sort(csr.names.begin(), csr.names.end());
    return csr;
}

// Keys are made once: RSA key generation would dominate the suite otherwise.
const Csr& rsa_csr() {
    static const Csr csr = make_csr("RSA");
    return csr;
}
const Csr& ec_csr() {
    static const Csr csr = make_csr("ECDSA_P256");
    return csr;
}

std::vector<Ptr<X509>> read_pem_certificates(const std::string& pem) {
    Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    std::vector<Ptr<X509>> out;
    while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(c);
    return out;
}

std::vector<std::string> dns_names(X509* cert) {
    Ptr<GENERAL_NAMES> sans(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    std::vector<std::string> out;
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
        const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans.get(), i);
        if (n->type == GEN_DNS) out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A fingerprint of the server's CA certificate as openssl x509 -fingerprint prints it: upper case, colons.
std::string ca_fingerprint(const ScepServer& server, const EVP_MD* md) {
    const auto certs = read_pem_certificates(read_file(server.ca_pem_file()));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    X509_digest(certs.at(0).get(), md, digest, &size);
    std::string out;
    char hex[4];
    for (unsigned int i = 0; i < size; ++i) {
        std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", digest[i]);
        out += hex;
    }
    return out;
}

std::string plain_hex(std::string fingerprint) {
    fingerprint.erase(std::remove(fingerprint.begin(), fingerprint.end(), ':'), fingerprint.end());
    for (auto& c : fingerprint) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return fingerprint;
}

// One scepserver for the suite; tests that need another kind start their own.
class ScepClient : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new ScepServer(ScepSettings{challenge, ""}); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }

    Options options(const std::string& url) const {
        Options o;
        o.url = url;
        o.http.timeout = std::chrono::seconds(10);
        o.challenge_password = &password_;
        return o;
    }
    Options options() const { return options(server_->url()); }

    // The error f throws, checked for the challenge password on the way.
    static Error expect_error(const std::function<void()>& f) {
        const Error e = catch_error(f);
        EXPECT_EQ(std::string(e.what()).find(challenge), std::string::npos) << e.what();
        return e;
    }

    static ScepServer* server_;
    crypto::Secret password_{challenge};
    TestProgress progress_;
};

ScepServer* ScepClient::server_ = nullptr;

void expect_issued_for(const Outcome& outcome, const Csr& csr, const ScepServer& server) {
    ASSERT_EQ(outcome.disposition, Disposition::Issued) << outcome.reason << " " << outcome.detail << server.log();
    const auto certs = read_pem_certificates(outcome.certificates_pem);
    ASSERT_EQ(certs.size(), 2u) << "our certificate, then the CA's";
    EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(certs[0].get()), csr.key.get()), 1);
    EXPECT_EQ(dns_names(certs[0].get()), csr.names);
    const auto ca = read_pem_certificates(read_file(server.ca_pem_file()));
    EXPECT_EQ(X509_cmp(certs[1].get(), ca.at(0).get()), 0);
    EXPECT_EQ(X509_check_issued(certs[1].get(), certs[0].get()), X509_V_OK);
}

TEST_F(ScepClient, IssuesWithTheRightChallenge) {
    const auto outcome = enroll(options(), rsa_csr().pem, rsa_csr().key.get(), progress_);
    expect_issued_for(outcome, rsa_csr(), *server_);
    EXPECT_GE(progress_.reports, 4) << "GetCACaps, GetCACert, PKCSReq, the answer";
}

TEST_F(ScepClient, AWrongOrMissingChallengeIsABadRequestDenial) {
    const crypto::Secret wrong("not-the-challenge");
    auto o = options();
    o.challenge_password = &wrong;
    const auto outcome = enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_);
    EXPECT_EQ(outcome.disposition, Disposition::Denied);
    EXPECT_EQ(outcome.reason, "BadRequest");
    EXPECT_NE(outcome.detail.find("challenge password"), std::string::npos) << outcome.detail;
    EXPECT_EQ(outcome.detail.find("not-the-challenge"), std::string::npos);
    EXPECT_TRUE(outcome.certificates_pem.empty());

    o.challenge_password = nullptr;
    const auto none = enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_);
    EXPECT_EQ(none.disposition, Disposition::Denied);
    EXPECT_EQ(none.reason, "BadRequest");
}

TEST_F(ScepClient, APinnedFingerprintIsAcceptedAsSha256OrAsNdesShowsSha1) {
    auto o = options();
    o.ca_fingerprint = ca_fingerprint(*server_, EVP_sha256());  // upper case with colons
    EXPECT_EQ(enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_).disposition, Disposition::Issued);
    std::string sha1 = plain_hex(ca_fingerprint(*server_, EVP_sha1()));
    for (std::size_t at = 4; at < sha1.size(); at += 5) sha1.insert(at, " ");  // grouped: "a1b2 c3d4 ..."
    o.ca_fingerprint = sha1;
    EXPECT_EQ(enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_).disposition, Disposition::Issued);
}

TEST_F(ScepClient, AWrongPinStopsAfterGetCACertAndShowsBothFingerprints) {
    HttpRelay relay([](const HttpRelay::Request& r) { return HttpRelay::forward(server_->url(), r); });
    auto o = options(relay.url());
    const std::string wrong(64, 'a');
    o.ca_fingerprint = wrong;
    const auto e = expect_error([&] { enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_); });
    EXPECT_EQ(e.code(), OCSCERT_E_CRYPTO);
    EXPECT_EQ(e.reason(), "CaFingerprintMismatch");
    EXPECT_EQ(e.field(), "caFingerprint");
    const std::string message = e.what();
    EXPECT_NE(message.find(wrong), std::string::npos) << message;
    EXPECT_NE(message.find(plain_hex(ca_fingerprint(*server_, EVP_sha256()))), std::string::npos) << message;
    EXPECT_EQ(relay.operations(), (std::vector<std::string>{"GetCACaps", "GetCACert"})) << "nothing sent after GetCACert";

    o.ca_fingerprint = std::string(40, 'b');  // a wrong SHA-1 too
    EXPECT_EQ(expect_error([&] { enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_); }).reason(), "CaFingerprintMismatch");
}

TEST_F(ScepClient, AMalformedPinIsRefusedBeforeAnythingIsSent) {
    HttpRelay relay([](const HttpRelay::Request& r) { return HttpRelay::forward(server_->url(), r); });
    auto o = options(relay.url());
    for (const std::string& pin : std::vector<std::string>{"12:34", std::string(63, 'a') + "g", std::string(50, 'a')}) {
        o.ca_fingerprint = pin;
        const auto e = expect_error([&] { enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_); });
        EXPECT_EQ(e.code(), OCSCERT_E_INVALID_ARGUMENT);
        EXPECT_EQ(e.reason(), "InvalidFingerprint");
        EXPECT_EQ(e.field(), "caFingerprint");
    }
    EXPECT_TRUE(relay.requests().empty());
}

TEST_F(ScepClient, ARequestTheCsrVerifierRefusesIsDenied) {
    TempDir dir;
    const auto script = dir.path() / "refuse.sh";
    std::ofstream(script) << "#!/bin/sh\ncat >/dev/null\nexit 1\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    ScepServer strict(ScepSettings{challenge, script.string()});
    const auto outcome = enroll(options(strict.url()), rsa_csr().pem, rsa_csr().key.get(), progress_);
    EXPECT_EQ(outcome.disposition, Disposition::Denied) << strict.log();
    EXPECT_EQ(outcome.reason, "BadRequest");
}

// RFC 8894: a CA that answers GetCACaps with an error supports nothing optional,
// so the client falls back to GET, SHA-1 and triple DES, which scepserver still takes.
TEST_F(ScepClient, WithoutCapabilitiesTheOldestAlgorithmsAndGetAreUsed) {
    HttpRelay relay([](const HttpRelay::Request& r) {
        if (r.operation() == "GetCACaps") return HttpRelay::Reply{404, "text/plain", "not here"};
        return HttpRelay::forward(server_->url(), r);
    });
    const auto outcome = enroll(options(relay.url()), rsa_csr().pem, rsa_csr().key.get(), progress_);
    expect_issued_for(outcome, rsa_csr(), *server_);
    const auto requests = relay.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[2].method, "GET");
    EXPECT_NE(requests[2].target.find("&message="), std::string::npos);
}

TEST_F(ScepClient, ACaThatIsDownIsUnreachable) {
    const auto e = expect_error([&] {
        enroll(options("http://127.0.0.1:" + std::to_string(testing::free_port()) + "/scep"), rsa_csr().pem, rsa_csr().key.get(), progress_);
    });
    EXPECT_EQ(e.code(), OCSCERT_E_NETWORK);
    EXPECT_EQ(e.reason(), "CaUnreachable");
}

// A real web server that is no SCEP CA: openssl s_server -WWW answers every path with text/plain.
TEST_F(ScepClient, AWebServerThatIsNoScepCaIsRefused) {
    TempDir dir;
    const auto key = (dir.path() / "key.pem").string(), cert = (dir.path() / "cert.pem").string();
    ASSERT_EQ(testing::sh(testing::openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost" +
                          " -addext subjectAltName=IP:127.0.0.1 -keyout " + key + " -out " + cert),
              0);
    const int port = testing::free_port();
    testing::ChildProcess web({testing::openssl_cli, "s_server", "-WWW", "-accept", "127.0.0.1:" + std::to_string(port), "-cert", cert, "-key", key},
                              {}, dir.path() / "s_server.log", dir.path());
    web.wait_for_port(port);
    auto o = options("https://127.0.0.1:" + std::to_string(port) + "/scep");
    o.http.ca_bundle = cert;
    const auto e = expect_error([&] { enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_); });
    EXPECT_EQ(e.code(), OCSCERT_E_NETWORK);
    EXPECT_EQ(e.reason(), "InvalidScepResponse");
    EXPECT_EQ(e.field(), "ca");
    EXPECT_NE(std::string(e.what()).find("'text/plain', not a CA certificate"), std::string::npos) << e.what();
}

TEST_F(ScepClient, APathTheServerDoesNotServeIsRefused) {
    const std::string url = "http://127.0.0.1:" + std::to_string(server_->port) + "/nothing-here";
    const auto e = expect_error([&] { enroll(options(url), rsa_csr().pem, rsa_csr().key.get(), progress_); });
    EXPECT_EQ(e.code(), OCSCERT_E_NETWORK);
    EXPECT_EQ(e.reason(), "InvalidScepResponse");
}

// Genuine answers recorded from real servers and played back where they do not belong.
TEST_F(ScepClient, ReplayedForgedOrTamperedCertRepsAreRefused) {
    std::mutex mutex;
    std::map<std::string, std::string> recorded;
    std::string play;  // what PKIOperation is answered with instead of the server's answer, if set
    HttpRelay relay([&](const HttpRelay::Request& r) {
        std::lock_guard<std::mutex> lock(mutex);
        if (r.operation() == "PKIOperation" && !play.empty()) return HttpRelay::Reply{200, "application/x-pki-message", recorded.at(play)};
        auto reply = HttpRelay::forward(server_->url(), r);
        if (r.operation() == "PKIOperation") recorded["earlier"] = reply.body;
        return reply;
    });
    const auto play_back = [&](const std::string& name, const std::string& body) {
        std::lock_guard<std::mutex> lock(mutex);
        recorded[name] = body;
        play = name;
    };
    const auto expect_refused = [&](const char* what) {
        const auto e = expect_error([&] { enroll(options(relay.url()), rsa_csr().pem, rsa_csr().key.get(), progress_); });
        EXPECT_EQ(e.code(), OCSCERT_E_NETWORK);
        EXPECT_EQ(e.reason(), "InvalidScepResponse");
        EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    };

    // The CA's answer to an earlier message of the same transaction: its nonce is not this message's.
    ASSERT_EQ(enroll(options(relay.url()), rsa_csr().pem, rsa_csr().key.get(), progress_).disposition, Disposition::Issued);
    const std::string earlier = recorded.at("earlier");
    play_back("replayed", earlier);
    expect_refused("does not answer this message");

    // The same answer with its signature damaged (the signature is the message's last bytes).
    std::string tampered = earlier;
    tampered.back() = static_cast<char>(tampered.back() ^ 1);
    play_back("tampered", tampered);
    expect_refused("not signed by the CA");

    // A genuine answer from another CA.
    ScepServer other(ScepSettings{challenge, ""});
    std::string foreign;
    HttpRelay direct([&](const HttpRelay::Request& r) {
        auto reply = HttpRelay::forward(other.url(), r);
        if (r.operation() == "PKIOperation") foreign = reply.body;
        return reply;
    });
    ASSERT_EQ(enroll(options(direct.url()), rsa_csr().pem, rsa_csr().key.get(), progress_).disposition, Disposition::Issued);
    play_back("foreign", foreign);
    expect_refused("not signed by the CA");

    // No CertRep at all: the CA's certificate where the CertRep belongs.
    play_back("certificate", read_file(server_->ca_pem_file()));
    expect_refused("not a CMS signed message");
}

// scepserver never leaves a request pending and does not implement CertPoll: it
// answers HTTP 500. That must come back as a clear error, never as a certificate.
TEST_F(ScepClient, PollingATransactionTheCaDoesNotKnowIsClear) {
    const json state = {{"transactionId", crypto::public_key_sha256(rsa_csr().key.get())},
                        {"caFingerprint", plain_hex(ca_fingerprint(*server_, EVP_sha256()))}};
    const auto e = testing::catch_error([&] { poll(options(), state, rsa_csr().pem, rsa_csr().key.get(), progress_); });
    EXPECT_EQ(e.code(), OCSCERT_E_NETWORK) << e.what();
    EXPECT_EQ(e.reason(), "InvalidScepResponse") << e.what();
    EXPECT_NE(std::string(e.what()).find("HTTP 500"), std::string::npos) << e.what();
}

TEST_F(ScepClient, APollGoesOnlyToTheCaTheRequestWentTo) {
    const json state = {{"transactionId", "abc"}, {"caFingerprint", std::string(64, 'c')}};
    auto e = expect_error([&] { poll(options(), state, rsa_csr().pem, rsa_csr().key.get(), progress_); });
    EXPECT_EQ(e.reason(), "CaFingerprintMismatch");
    EXPECT_NE(std::string(e.what()).find("the request was sent to"), std::string::npos) << e.what();

    for (const json& bad : {json(), json::object(), json{{"transactionId", 7}}}) {
        e = expect_error([&] { poll(options(), bad, rsa_csr().pem, rsa_csr().key.get(), progress_); });
        EXPECT_EQ(e.code(), OCSCERT_E_INVALID_ARGUMENT);
        EXPECT_EQ(e.reason(), "NothingToPoll");
    }
}

TEST_F(ScepClient, TheRequestMustBeForTheKey) {
    const auto e = expect_error([&] { enroll(options(), rsa_csr().pem, ec_csr().key.get(), progress_); });
    EXPECT_EQ(e.reason(), "KeyMismatch");
}

TEST_F(ScepClient, CancellingBeforeStartSendsNothing) {
    HttpRelay relay([](const HttpRelay::Request& r) { return HttpRelay::forward(server_->url(), r); });
    progress_.cancel = true;
    const auto e = expect_error([&] { enroll(options(relay.url()), rsa_csr().pem, rsa_csr().key.get(), progress_); });
    EXPECT_EQ(e.code(), OCSCERT_E_CANCELLED);
    EXPECT_TRUE(relay.requests().empty());
}

// This scepserver signs with the request's own signature algorithm, which its
// RSA CA key cannot do for an ECDSA request. The message still gets through (a
// transient RSA key signs it, as an ECDSA key could not receive the answer), and
// the CA's refusal comes back as a denial.
TEST_F(ScepClient, AnEcdsaRequestReachesTheCaWhichCannotSignIt) {
    const auto outcome = enroll(options(), ec_csr().pem, ec_csr().key.get(), progress_);
    EXPECT_EQ(outcome.disposition, Disposition::Denied);
    EXPECT_EQ(outcome.reason, "BadRequest");
    EXPECT_NE(server_->log().find("requested SignatureAlgorithm does not match private key type"), std::string::npos) << server_->log();
}

}  // namespace
}  // namespace ocscert::ca::scep
