// Completing a pending request with what an offline CA (the openssl CLI) sends back,
// in every form CAs use, and refusing what does not belong.
#include "ocscert/ocscert.h"

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../child_process.hpp"
#include "../test_support.hpp"

namespace {

using nlohmann::json;
using ocscert::testing::openssl_cli;
using ocscert::testing::sh;
using ocscert::testing::TempDir;
namespace fs = std::filesystem;

class Complete : public ::testing::Test, public ocscert::testing::ApiCalls {
public:
    void SetUp() override {
        const std::string options = json{{"storePath", (dir.path() / "store").string()}}.dump();
        ASSERT_EQ(ocscert_context_new(&ctx, options.c_str(), nullptr), OCSCERT_OK);
        ASSERT_EQ(sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Test-Root -days 30 -keyout " +
                      file("ca.key") + " -out " + file("ca.pem")),
                  0);
        request = call(ocscert_request_new, profile(file("pool01.req")));
        ASSERT_TRUE(request.contains("id"));
    }
    void TearDown() override { ocscert_context_free(ctx); }

    std::string file(const std::string& name) const { return (dir.path() / name).string(); }

    static json profile(const std::string& out_file) {
        return {{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"sipDomain", {"contoso.com"}}, {"automaticSignIn", true},
                {"organization", "Contoso"}, {"country", "US"}, {"state", "Washington"}, {"city", "Redmond"},
                {"keyAlgorithm", "ECDSA_P256"}, {"outFile", out_file}};
    }

    // Signs `csr` with the test CA; extra openssl x509 arguments may override the extensions.
    std::string sign(const std::string& csr, const std::string& out, const std::string& extra = "-copy_extensions copy") {
        EXPECT_EQ(sh(openssl_cli + " x509 -req -in " + file(csr) + " -CA " + file("ca.pem") + " -CAkey " + file("ca.key") +
                      " -CAcreateserial -days 10 " + extra + " -out " + file(out)),
                  0);
        return file(out);
    }

    json complete(const std::string& path) { return call(ocscert_request_complete, json{{"path", path}}); }
    std::size_t pending() { return call(ocscert_request_list, json::object())["requests"].size(); }
    std::size_t installed() { return call(ocscert_certificate_list, json::object())["certificates"].size(); }

    // Returns the refusal's message.
    std::string expect_refused(const std::string& path, const std::string& want_reason) {
        SCOPED_TRACE(path);
        complete(path);
        EXPECT_LT(status, 0);
        EXPECT_EQ(reason, want_reason) << message;
        const std::string refusal = message;
        EXPECT_EQ(pending(), 1u);
        EXPECT_EQ(installed(), 0u);
        return refusal;
    }

    TempDir dir;
    json request;
};

// Signs the current request and writes the answer in every form a CA may use.
void make_responses(Complete& t) {
    const std::string cert = t.sign("pool01.req", "pool01.cer");
    std::ofstream(t.file("chain.pem")) << std::ifstream(cert).rdbuf() << std::ifstream(t.file("ca.pem")).rdbuf();
    ASSERT_EQ(sh(openssl_cli + " x509 -in " + cert + " -outform DER -out " + t.file("pool01.der")), 0);
    ASSERT_EQ(sh(openssl_cli + " crl2pkcs7 -nocrl -certfile " + cert + " -certfile " + t.file("ca.pem") + " -out " + t.file("pool01.p7b")), 0);
    ASSERT_EQ(sh(openssl_cli + " crl2pkcs7 -nocrl -certfile " + cert + " -outform DER -out " + t.file("pool01-der.p7b")), 0);
}

TEST_F(Complete, EveryResponseFormatInstallsCertificateChainAndKey) {
    for (const char* name : {"pool01.cer", "pool01.der", "chain.pem", "pool01.p7b", "pool01-der.p7b"}) {
        SCOPED_TRACE(name);
        make_responses(*this);
        auto result = complete(file(name));
        ASSERT_EQ(status, OCSCERT_OK) << message;
        EXPECT_EQ(result["requestId"], request["id"]);
        EXPECT_EQ(result["thumbprint"].get<std::string>().size(), 40u);
        EXPECT_EQ(result["enhancedKeyUsage"], json({"ServerAuthentication", "ClientAuthentication"}));
        EXPECT_EQ(result["dnsNames"], json({"pool01.contoso.com", "sip.contoso.com"}));
        EXPECT_EQ(result["chainLength"], std::string(name) == "pool01.cer" || std::string(name) == "pool01.der" || std::string(name) == "pool01-der.p7b" ? 0 : 1);
        EXPECT_EQ(pending(), 0u);
        ASSERT_EQ(installed(), 1u);
        const fs::path folder = dir.path() / "store" / "certificates" / result["thumbprint"].get<std::string>();
        // The installed key is the request's key: openssl agrees that it matches the certificate.
        EXPECT_EQ(sh(openssl_cli + " x509 -in " + (folder / "cert.pem").string() + " -noout -pubkey -out " + file("a.pub") + " && " + openssl_cli +
                      " pkey -in " + (folder / "key.pem").string() + " -pubout -out " + file("b.pub")),
                  0);
        EXPECT_EQ(ocscert::testing::read_file(file("a.pub")), ocscert::testing::read_file(file("b.pub")));
        // A fresh store and request for the next form.
        fs::remove_all(dir.path() / "store");
        json again = profile(file("pool01.req"));
        again["force"] = true;
        request = call(ocscert_request_new, again);
        ASSERT_EQ(status, OCSCERT_OK) << message;
    }
}

TEST_F(Complete, TheSameAnswerTwiceIsAlreadyInstalled) {
    const std::string cert = sign("pool01.req", "pool01.cer");
    complete(cert);
    ASSERT_EQ(status, OCSCERT_OK);
    complete(cert);
    EXPECT_EQ(status, OCSCERT_E_ALREADY_EXISTS);
    EXPECT_EQ(reason, "AlreadyInstalled");
}

TEST_F(Complete, AnswerForAnotherKeyIsRefused) {
    ASSERT_EQ(sh(openssl_cli + " req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pool01.contoso.com -keyout " +
                  file("other.key") + " -out " + file("other.req")),
              0);
    expect_refused(sign("other.req", "other.cer"), "NoMatchingRequest");
}

TEST_F(Complete, CertificateMissingARequestedNameIsRefused) {
    std::ofstream(file("ext.cnf")) << "subjectAltName=DNS:pool01.contoso.com\nextendedKeyUsage=serverAuth,clientAuth\n";
    const auto refusal = expect_refused(sign("pool01.req", "fewer.cer", "-extfile " + file("ext.cnf")), "NamesDiffer");
    EXPECT_NE(refusal.find("sip.contoso.com"), std::string::npos) << refusal;
}

TEST_F(Complete, AChainThatDoesNotLinkIsRefused) {
    // The leaf is signed by the real CA, but the "issuer" sent with it is a forgery
    // with the same name and another key: a hostile or broken answer.
    const std::string cert = sign("pool01.req", "pool01.cer");
    ASSERT_EQ(sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Test-Root -days 30 -keyout " +
                 file("forged.key") + " -out " + file("forged.pem")),
              0);
    std::ofstream bundle(file("forged-chain.pem"));
    for (const auto& part : {cert, file("forged.pem")}) {
        std::ifstream in(part);
        bundle << in.rdbuf();
    }
    bundle.close();
    const auto refusal = expect_refused(file("forged-chain.pem"), "ChainBroken");
    EXPECT_NE(refusal.find("not signed by the issuer CN=Test-Root"), std::string::npos) << refusal;
}

TEST_F(Complete, DamagedOrEmptyAnswersAreRefused) {
    const std::string cert = sign("pool01.req", "pool01.cer");
    std::ifstream in(cert);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(file("truncated.cer")) << text.substr(0, text.size() / 2);
    expect_refused(file("truncated.cer"), "InvalidResponse");
    std::ofstream(file("garbage.cer")) << "\x30\x82\x01\x00 not DER at all";
    expect_refused(file("garbage.cer"), "InvalidResponse");
    std::ofstream(file("empty.cer")).flush();
    expect_refused(file("empty.cer"), "InvalidResponse");
    ASSERT_EQ(sh(openssl_cli + " crl2pkcs7 -nocrl -out " + file("none.p7b")), 0);
    expect_refused(file("none.p7b"), "NoCertificate");
    std::ofstream(file("chain-cut.pem")) << std::ifstream(cert).rdbuf() << "-----BEGIN CERTIFICATE-----\nMIIB\n";
    expect_refused(file("chain-cut.pem"), "InvalidResponse");
    expect_refused(file("missing.cer"), "InvalidPath");
}

// A kill before the certificate folder is renamed into place leaves the request
// pending; a kill just after leaves the certificate installed and the request gone.
TEST_F(Complete, KillDuringCompleteLeavesBeforeOrAfter) {
    const std::string cert = sign("pool01.req", "pool01.cer");
    for (const char* point : {"complete.before-commit", "complete.after-commit"}) {
        SCOPED_TRACE(point);
        EXPECT_EQ(ocscert::testing::run_until_crash(point, "c_api",
                                                    {(dir.path() / "store").string(), "ocscert_request_complete", json::array({json{{"path", cert}}}).dump()}),
                  86);
        const bool after = std::string(point) == "complete.after-commit";
        EXPECT_EQ(pending(), after ? 0u : 1u);
        EXPECT_EQ(installed(), after ? 1u : 0u);
    }
    // The next writer sweeps the completed request's folder away.
    call(ocscert_request_new, json(profile(file("second.req"))));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    std::size_t folders = 0;
    for (const auto& entry : fs::directory_iterator(dir.path() / "store" / "requests")) {
        ++folders;
        EXPECT_NE(entry.path().filename().string()[0], '.');
    }
    EXPECT_EQ(folders, 1u);
}

}  // namespace
