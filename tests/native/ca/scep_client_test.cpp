// The SCEP client against a real scepserver on loopback (Debian package scep):
// issuance with the right challenge, refusal with a wrong one, fingerprint
// pinning, a denial by the CA's CSR verifier, a CA that is down, and a server
// that answers something other than SCEP.
#include "ca/scep_client.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "../child_process.hpp"
#include "../test_support.hpp"
#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"
#include "names/san_resolver.hpp"
#include "request/csr_builder.hpp"
#include "request/profile.hpp"

namespace ocscert::ca::scep {
namespace {

using nlohmann::json;
using testing::ChildProcess;
using testing::TempDir;
using testing::TestProgress;
namespace fs = std::filesystem;

const std::string challenge = "Secret-Challenge-17";

// One CA for the suite (a 2048-bit RSA key takes a moment); a server per test, so each can differ.
class Scep : public ::testing::Test {
public:
    static void SetUpTestSuite() {
        folder_ = new TempDir();
        depot_ = folder_->path() / "depot";
        if (testing::sh(std::string(OCSCERT_SCEPSERVER) + " ca -init -depot " + depot_.string() + " -organization Contoso -country US -keySize 2048") != 0)
            throw std::runtime_error("scepserver could not make its CA");
    }
    static void TearDownTestSuite() { delete folder_; }

    void start(const std::vector<std::string>& extra = {}) {
        port_ = testing::free_port();
        std::vector<std::string> args = {OCSCERT_SCEPSERVER, "-depot", depot_.string(), "-port", std::to_string(port_), "-challenge", challenge,
                                         "-allowrenew", "0"};
        args.insert(args.end(), extra.begin(), extra.end());
        server_ = std::make_unique<ChildProcess>(args, std::vector<std::pair<std::string, std::string>>{}, scratch_.path() / "scepserver.log");
        server_->wait_for_port(port_);
    }

    Options options(const crypto::Secret* password) const {
        Options o;
        o.url = "http://127.0.0.1:" + std::to_string(port_) + "/scep";
        o.http.timeout = std::chrono::seconds(10);
        o.challenge_password = password;
        return o;
    }

    struct Request {
        std::string pem;
        crypto::Ptr<EVP_PKEY> key;
        std::vector<std::string> names;
    };
    static Request make_request(const std::string& algorithm) {
        const auto profile = request::parse_profile({{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"sipDomain", {"contoso.com"}},
                                                     {"automaticSignIn", true}, {"organization", "Contoso"}, {"country", "US"},
                                                     {"state", "Washington"}, {"city", "Redmond"}, {"keyAlgorithm", algorithm}},
                                                    [] { return std::string(); });
        TestProgress progress;
        auto built = request::build_request(profile, names::resolve(profile.names), progress);
        crypto::Ptr<BIO> bio(BIO_new_mem_buf(built.private_key_pem.bytes().data(), static_cast<int>(built.private_key_pem.bytes().size())));
        Request r{built.request_pem, crypto::Ptr<EVP_PKEY>(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)), {}};
        for (const auto& n : names::resolve(profile.names).names) r.names.push_back(n.name);
        return r;
    }

    static std::string ca_fingerprint(const EVP_MD* md) {
        std::ifstream in(depot_ / "ca.pem");
        const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto certs = certificate::parse_ca_response(pem, "ca");
        unsigned char* der = nullptr;
        const int size = i2d_X509(certs.front().get(), &der);
        const auto hex = crypto::hex_digest(md, der, static_cast<std::size_t>(size), true);
        OPENSSL_free(der);
        return hex;
    }

    static TempDir* folder_;
    static fs::path depot_;
    TempDir scratch_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> server_;
};
TempDir* Scep::folder_ = nullptr;
fs::path Scep::depot_;

TEST_F(Scep, IssuesWithTheRightChallenge) {
    start();
    {
        const auto request = make_request("RSA");
        const crypto::Secret password(challenge);
        TestProgress progress;
        const auto outcome = enroll(options(&password), request.pem, request.key.get(), progress);
        ASSERT_EQ(outcome.disposition, Disposition::Issued) << outcome.reason << outcome.detail << server_->log();
        const auto certs = certificate::parse_ca_response(outcome.certificates_pem, "ca");
        ASSERT_GE(certs.size(), 2u) << "the certificate, then the CA";
        EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(certs[0].get()), request.key.get()), 1) << "ours comes first";
        const auto described = certificate::describe(certs[0].get());
        for (const auto& name : request.names) EXPECT_NE(described["dnsNames"].dump().find(name), std::string::npos) << name;
        EXPECT_GT(progress.reports, 2);
    }
    // This scepserver signs with its CA key using the request's signature algorithm,
    // so an ECDSA request to its RSA CA fails on its side ("requested SignatureAlgorithm
    // does not match private key type"); that must come back as a plain denial.
    const auto ec = make_request("ECDSA_P256");
    const crypto::Secret password(challenge);
    TestProgress progress;
    EXPECT_EQ(enroll(options(&password), ec.pem, ec.key.get(), progress).disposition, Disposition::Denied);
}

TEST_F(Scep, AWrongChallengeIsADenialThatNeverShowsThePassword) {
    start();
    const auto request = make_request("RSA");
    const crypto::Secret wrong("Not-The-Challenge-42");
    TestProgress progress;
    const auto outcome = enroll(options(&wrong), request.pem, request.key.get(), progress);
    EXPECT_EQ(outcome.disposition, Disposition::Denied);
    EXPECT_EQ(outcome.reason, "BadRequest");
    EXPECT_NE(outcome.detail.find("challenge password"), std::string::npos) << outcome.detail;
    EXPECT_EQ(outcome.detail.find(wrong.bytes()), std::string::npos);
    EXPECT_EQ(enroll(options(nullptr), request.pem, request.key.get(), progress).disposition, Disposition::Denied) << "no challenge at all";
}

TEST_F(Scep, PinsTheCaCertificateBySha256OrSha1Fingerprint) {
    start();
    const auto request = make_request("RSA");
    const crypto::Secret password(challenge);
    TestProgress progress;
    for (const auto* md : {EVP_sha256(), EVP_sha1()}) {
        auto o = options(&password);
        std::string pin = ca_fingerprint(md);
        for (std::size_t i = 2; i < pin.size(); i += 3) pin.insert(i, ":");  // as certutil and browsers show it
        o.ca_fingerprint = pin;
        EXPECT_EQ(enroll(o, request.pem, request.key.get(), progress).disposition, Disposition::Issued) << pin;
    }
    auto o = options(&password);
    o.ca_fingerprint = std::string(64, 'a');
    const auto e = testing::catch_error([&] { enroll(o, request.pem, request.key.get(), progress); });
    EXPECT_EQ(e.reason(), "CaFingerprintMismatch");
    EXPECT_EQ(e.field(), "caFingerprint");
    EXPECT_NE(std::string(e.what()).find(text::ascii_lower(ca_fingerprint(EVP_sha256()))), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find(challenge), std::string::npos);
    o.ca_fingerprint = "not-hex";
    EXPECT_EQ(testing::catch_error([&] { enroll(o, request.pem, request.key.get(), progress); }).reason(), "InvalidFingerprint");
}

TEST_F(Scep, ADenialByTheCasVerifierIsKeptAsADenial) {
    const auto verifier = scratch_.path() / "deny.sh";
    std::ofstream(verifier) << "#!/bin/sh\nexit 1\n";
    fs::permissions(verifier, fs::perms::owner_all);
    start({"-csrverifierexec", verifier.string()});
    const auto request = make_request("RSA");
    const crypto::Secret password(challenge);
    TestProgress progress;
    const auto outcome = enroll(options(&password), request.pem, request.key.get(), progress);
    EXPECT_EQ(outcome.disposition, Disposition::Denied);
    EXPECT_FALSE(outcome.reason.empty());
}

TEST_F(Scep, ACaThatIsDownIsANetworkError) {
    port_ = testing::free_port();
    const auto request = make_request("ECDSA_P256");
    TestProgress progress;
    const auto e = testing::catch_error([&] { enroll(options(nullptr), request.pem, request.key.get(), progress); });
    EXPECT_EQ(e.code(), OCSCERT_E_NETWORK);
    EXPECT_EQ(e.reason(), "CaUnreachable");
}

TEST_F(Scep, AnAnswerThatIsNotScepIsRefused) {
    start();
    auto o = options(nullptr);
    o.url = "http://127.0.0.1:" + std::to_string(port_) + "/not-scep";  // the real server, the wrong path
    const auto request = make_request("ECDSA_P256");
    TestProgress progress;
    const auto e = testing::catch_error([&] { enroll(o, request.pem, request.key.get(), progress); });
    EXPECT_EQ(e.reason(), "InvalidScepResponse") << e.what();
}

TEST_F(Scep, PollingATransactionTheCaDoesNotHoldIsAClearAnswer) {
    // scepserver decides at once and keeps no pending requests, so a CertPoll can
    // only be about a transaction it never held: it must come back as a refusal or a
    // clear error, never as an installed certificate.
    start();
    const auto request = make_request("ECDSA_P256");
    TestProgress progress;
    try {
        const auto outcome = poll(options(nullptr), {{"transactionId", "0123456789abcdef"}}, request.pem, request.key.get(), progress);
        EXPECT_NE(outcome.disposition, Disposition::Issued);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), OCSCERT_E_NETWORK) << e.what();
    }
}

}  // namespace
}  // namespace ocscert::ca::scep
