// Completing a pending request with what an offline CA (the openssl CLI) sends back,
// in every form CAs use, and refusing what does not belong.
#include "ocscert/ocscert.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

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
    // The chain as Windows PowerShell 5.1's > and Out-File save it: UTF-16LE with a byte order mark.
    std::string utf16 = "\xFF\xFE";
    for (const char c : ocscert::testing::read_file(t.file("chain.pem"))) (utf16 += c) += '\0';
    std::ofstream(t.file("chain-utf16.pem"), std::ios::binary) << utf16;
}

TEST_F(Complete, EveryResponseFormatInstallsCertificateChainAndKey) {
    for (const char* name : {"pool01.cer", "pool01.der", "chain.pem", "chain-utf16.pem", "pool01.p7b", "pool01-der.p7b"}) {
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

// The CA's own certificate sent instead of the one it issued (a common mix-up at a web enrollment
// page) is said to be that, not "for another key".
TEST_F(Complete, AnAnswerOfCaCertificatesOnlyIsSaidToBeThat) {
    std::ofstream(file("ca.cnf")) << "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n";
    ASSERT_EQ(sh(openssl_cli + " x509 -in " + file("ca.pem") + " -signkey " + file("ca.key") + " -days 30 -extfile " + file("ca.cnf") + " -out " +
                 file("ca-v3.pem")),
              0);
    const auto refusal = expect_refused(file("ca-v3.pem"), "NoLeafCertificate");
    EXPECT_NE(refusal.find("only CA certificates (the first is CN=Test-Root)"), std::string::npos) << refusal;
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

// A CA that used another template: the certificate carries the key and the names but not the
// usages the request asked for. Refused before anything is written, so the request stays pending
// and the CA's corrected answer for the same key still installs.
TEST_F(Complete, CertificateWithoutTheRequestedUsagesIsRefusedAndTheRequestKept) {
    const std::string names = "subjectAltName=DNS:pool01.contoso.com,DNS:sip.contoso.com\n";
    std::ofstream(file("web-server.cnf")) << names << "extendedKeyUsage=serverAuth\n";
    std::ofstream(file("client-only.cnf")) << names << "extendedKeyUsage=clientAuth\n";
    std::ofstream(file("ca-leaf.cnf")) << names << "basicConstraints=critical,CA:TRUE\n";
    std::ofstream(file("sign-only.cnf")) << names << "keyUsage=critical,keyCertSign\n";
    auto refusal = expect_refused(sign("pool01.req", "web-server.cer", "-extfile " + file("web-server.cnf")), "UsageDiffers");
    EXPECT_NE(refusal.find("lacks ClientAuthentication in its enhanced key usage (it has: ServerAuthentication)"), std::string::npos) << refusal;
    EXPECT_NE(refusal.find("stays pending"), std::string::npos) << refusal;
    refusal = expect_refused(sign("pool01.req", "client-only.cer", "-extfile " + file("client-only.cnf")), "UsageDiffers");
    EXPECT_NE(refusal.find("lacks ServerAuthentication"), std::string::npos) << refusal;
    refusal = expect_refused(sign("pool01.req", "ca-leaf.cer", "-extfile " + file("ca-leaf.cnf")), "UsageDiffers");
    EXPECT_NE(refusal.find("CA:TRUE"), std::string::npos) << refusal;
    refusal = expect_refused(sign("pool01.req", "sign-only.cer", "-extfile " + file("sign-only.cnf")), "UsageDiffers");
    EXPECT_NE(refusal.find("key usage"), std::string::npos) << refusal;

    const json good = complete(sign("pool01.req", "pool01.cer"));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(good["requestId"], request["id"]);
    EXPECT_EQ(pending(), 0u);
}

// A certificate without any enhanced key usage is valid for every purpose (RFC 5280), and a
// request for server authentication only takes a certificate with server authentication only.
TEST_F(Complete, UsagesAreCheckedAgainstWhatTheRequestAskedFor) {
    const std::string names = "subjectAltName=DNS:pool01.contoso.com,DNS:sip.contoso.com\n";
    std::ofstream(file("no-eku.cnf")) << names;
    complete(sign("pool01.req", "no-eku.cer", "-extfile " + file("no-eku.cnf")));
    EXPECT_EQ(status, OCSCERT_OK) << message;

    json server_only = profile(file("server-only.req"));
    server_only["serverAuthenticationOnly"] = true;
    call(ocscert_request_new, server_only);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    std::ofstream(file("web-server.cnf")) << names << "extendedKeyUsage=serverAuth\n";
    complete(sign("server-only.req", "server-only.cer", "-extfile " + file("web-server.cnf")));
    EXPECT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(installed(), 2u);
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

// --- Hostile or sloppy answers -------------------------------------------------------------------

// Root -> Test-Issuing -> the request's certificate, as an enterprise PKI signs it.
void make_issuing_ca(Complete& t) {
    std::ofstream(t.file("ca.cnf")) << "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n";
    ASSERT_EQ(sh(openssl_cli + " req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Test-Issuing -keyout " +
                 t.file("issuing.key") + " -out " + t.file("issuing.req")),
              0);
    ASSERT_EQ(sh(openssl_cli + " x509 -req -in " + t.file("issuing.req") + " -CA " + t.file("ca.pem") + " -CAkey " + t.file("ca.key") +
                 " -CAcreateserial -days 30 -extfile " + t.file("ca.cnf") + " -out " + t.file("issuing.pem")),
              0);
}

std::string signed_by_issuing(Complete& t, const std::string& csr, const std::string& out) {
    EXPECT_EQ(sh(openssl_cli + " x509 -req -in " + t.file(csr) + " -CA " + t.file("issuing.pem") + " -CAkey " + t.file("issuing.key") +
                 " -CAcreateserial -days 10 -copy_extensions copy -out " + t.file(out)),
              0);
    return t.file(out);
}

std::size_t pem_blocks(const fs::path& path) {
    std::ifstream in(path);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line == "-----BEGIN CERTIFICATE-----";
    return n;
}

void concatenate(const std::string& out, const std::vector<std::string>& parts) {
    std::ofstream bundle(out);
    for (const auto& part : parts) bundle << std::ifstream(part).rdbuf();
}

// The finding: a PKCS#7 with the certificate, its issuers and unrelated certificates
// from the same CA installed them all, and the live full chain then broke mutual TLS.
TEST_F(Complete, OnlyThePathFromTheCertificateToItsRootIsKept) {
    make_issuing_ca(*this);
    const std::string cert = signed_by_issuing(*this, "pool01.req", "pool01.cer");
    // Other servers' certificates from the same issuing CA, and an unrelated root.
    ASSERT_EQ(sh(openssl_cli + " req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=other.contoso.com -keyout " +
                 file("other.key") + " -out " + file("other.req")),
              0);
    std::vector<std::string> parts;
    for (int i = 0; i < 12; ++i) parts.push_back(signed_by_issuing(*this, "other.req", "other" + std::to_string(i) + ".cer"));
    ASSERT_EQ(sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Unrelated-Root -days 30 -keyout " +
                 file("unrelated.key") + " -out " + file("unrelated.pem")),
              0);
    parts.insert(parts.begin() + 5, file("unrelated.pem"));
    parts.insert(parts.begin() + 3, file("ca.pem"));
    parts.insert(parts.begin() + 9, cert);
    parts.push_back(file("issuing.pem"));
    concatenate(file("mixed.pem"), parts);
    ASSERT_EQ(sh(openssl_cli + " crl2pkcs7 -nocrl -certfile " + file("mixed.pem") + " -out " + file("mixed.p7b")), 0);

    const json result = complete(file("mixed.p7b"));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(result["chainLength"], 2);
    const fs::path folder = dir.path() / "store" / "certificates" / result["thumbprint"].get<std::string>();
    EXPECT_EQ(pem_blocks(folder / "chain.pem"), 2u);
    // The issuing CA, then the root: openssl verifies the certificate with exactly that chain.
    ASSERT_EQ(sh(openssl_cli + " x509 -in " + (folder / "chain.pem").string() + " -noout -subject -out " + file("first.txt")), 0);
    EXPECT_NE(ocscert::testing::read_file(file("first.txt")).find("Test-Issuing"), std::string::npos);
    EXPECT_EQ(sh(openssl_cli + " verify -CAfile " + file("ca.pem") + " -untrusted " + (folder / "chain.pem").string() + " " +
                 (folder / "cert.pem").string()),
              0);
}

TEST_F(Complete, AnAnswerWithTooManyCertificatesIsRefused) {
    const std::string cert = sign("pool01.req", "pool01.cer");
    std::vector<std::string> parts{cert};
    for (int i = 0; i < 32; ++i) parts.push_back(file("ca.pem"));
    concatenate(file("many.pem"), parts);
    auto refusal = expect_refused(file("many.pem"), "TooManyCertificates");
    EXPECT_NE(refusal.find("33 certificates; at most 32"), std::string::npos) << refusal;
    ASSERT_EQ(sh(openssl_cli + " crl2pkcs7 -nocrl -certfile " + file("many.pem") + " -out " + file("many.p7b")), 0);
    expect_refused(file("many.p7b"), "TooManyCertificates");
    // 32 are still an answer (the duplicates of the root are not installed).
    parts.pop_back();
    concatenate(file("enough.pem"), parts);
    const json result = complete(file("enough.pem"));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(result["chainLength"], 1);
}

TEST_F(Complete, AnAnswerOverTheSizeLimitIsRefused) {
    const std::string cert = sign("pool01.req", "pool01.cer");
    {
        std::ofstream big(file("big.pem"));
        big << std::ifstream(cert).rdbuf();
        for (int i = 0; i < 4200; ++i) big << "padding text that is not a certificate, as some CA web pages add..........\n";
    }
    ASSERT_GT(fs::file_size(file("big.pem")), 256u * 1024);
    const auto refusal = expect_refused(file("big.pem"), "ResponseTooLarge");
    EXPECT_NE(refusal.find("at most 262144"), std::string::npos) << refusal;
    // Over 1 MiB the file is not read at all.
    fs::resize_file(file("big.pem"), 1024 * 1024 + 1);
    expect_refused(file("big.pem"), "FileTooLarge");
}

TEST_F(Complete, ACertificateWithThousandsOfNamesIsRefused) {
    std::string names = "subjectAltName=DNS:pool01.contoso.com,DNS:sip.contoso.com";
    for (int i = 0; i < 999; ++i) names += ",DNS:host" + std::to_string(i) + ".contoso.com";
    std::ofstream(file("names.cnf")) << names << "\nextendedKeyUsage=serverAuth,clientAuth\n";
    const auto refusal = expect_refused(sign("pool01.req", "many-names.cer", "-extfile " + file("names.cnf")), "TooManyNames");
    EXPECT_NE(refusal.find("1001 alternative names; at most 1000"), std::string::npos) << refusal;
}

TEST_F(Complete, AnExpiredCertificateIsRefused) {
    const auto refusal = expect_refused(sign("pool01.req", "expired.cer", "-days -1 -copy_extensions copy"), "CertificateExpired");
    EXPECT_NE(refusal.find("expired on "), std::string::npos) << refusal;
}

// `openssl ca` sets the start date (openssl x509 cannot in OpenSSL 3.0).
std::string sign_from(Complete& t, const std::string& start, const std::string& out) {
    // Paths with forward slashes: a backslash escapes the next character in an openssl configuration.
    const auto in_config = [&](const std::string& path) { return fs::path(path).generic_string(); };
    std::ofstream(t.file("openssl-ca.cnf")) << "[ca]\ndefault_ca=test\n[test]\ndatabase=" << in_config(t.file("index.txt"))
                                           << "\nserial=" << in_config(t.file("serial")) << "\nnew_certs_dir=" << t.dir.path().generic_string()
                                           << "\ndefault_md=sha256\npolicy=any\ncopy_extensions=copy\nunique_subject=no\n[any]\ncommonName=supplied\n";
    std::ofstream(t.file("index.txt"), std::ios::app).flush();
    if (!fs::exists(t.file("serial"))) std::ofstream(t.file("serial")) << "1000\n";
    EXPECT_EQ(sh(openssl_cli + " ca -batch -notext -preserveDN -config " + t.file("openssl-ca.cnf") + " -cert " + t.file("ca.pem") + " -keyfile " +
                 t.file("ca.key") + " -in " + t.file("pool01.req") + " -startdate " + start + " -enddate 20991231000000Z -out " + t.file(out)),
              0);
    return t.file(out);
}

// `seconds` from now as openssl ca's -startdate takes it (20261125093000Z).
std::string utc_in(int seconds) {
    std::string text = ocscert::platform::utc_text(std::time(nullptr) + seconds);  // 2026-11-25T09:30:00Z
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '-' || c == ':' || c == 'T'; }), text.end());
    return text;
}

TEST_F(Complete, ACertificateNotYetValidIsRefusedBeyondAFewMinutesOfClockSkew) {
    const auto refusal = expect_refused(sign_from(*this, utc_in(3600), "future.cer"), "CertificateNotYetValid");
    EXPECT_NE(refusal.find("valid only from "), std::string::npos) << refusal;
    EXPECT_NE(refusal.find("clock"), std::string::npos) << refusal;
    // A CA whose clock runs two minutes ahead: tolerated.
    complete(sign_from(*this, utc_in(120), "skewed.cer"));
    EXPECT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(installed(), 1u);
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


// The finding: a killed removal left requests/.removing-<id> until the next new request,
// however many other writes came. Every writer sweeps what a killed writer left now.
TEST_F(Complete, EveryWriterSweepsWhatAKilledWriterLeft) {
    // A writer in a child process (the C interface on this store) killed at `point`.
    auto killed_at = [&](const char* point, const char* function, const json& input) {
        EXPECT_EQ(ocscert::testing::run_until_crash(point, "c_api", {(dir.path() / "store").string(), function, json::array({input}).dump()}), 86)
            << point;
    };
    auto leftovers = [&](const char* folder) {
        std::size_t n = 0;
        for (const auto& entry : fs::directory_iterator(dir.path() / "store" / folder)) n += entry.path().filename().string()[0] == '.';
        return n;
    };
    const json second = call(ocscert_request_new, profile(file("second.req")));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    killed_at("request.remove.after-rename", "ocscert_request_remove", {{"id", second["id"]}});
    EXPECT_EQ(leftovers("requests"), 1u);
    // Installing a certificate is a writer too.
    const json installed_now = complete(sign("pool01.req", "pool01.cer"));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(leftovers("requests"), 0u);

    const json third = call(ocscert_request_new, profile(file("third.req")));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    killed_at("certificate.remove.after-rename", "ocscert_certificate_remove", {{"thumbprint", installed_now["thumbprint"]}});
    EXPECT_EQ(leftovers("certificates"), 1u);
    // So is removing a request.
    call(ocscert_request_remove, {{"id", third["id"]}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(leftovers("certificates"), 0u);
    EXPECT_EQ(installed(), 0u);
    EXPECT_EQ(pending(), 0u);
}

// A certificate whose record is damaged is left out of the list with a warning naming it, the
// others are still listed, and asked for by its thumbprint it is an error that says why.
TEST_F(Complete, AnUnreadableCertificateIsLeftOutWithAWarningAndTheOthersListed) {
    const std::string damaged = complete(sign("pool01.req", "pool01.cer"))["thumbprint"];
    ASSERT_EQ(status, OCSCERT_OK) << message;
    json second = profile(file("pool02.req"));
    second["poolFqdn"] = "pool02.contoso.com";
    ASSERT_EQ(call(ocscert_request_new, second).contains("id"), true) << message;
    const std::string intact = complete(sign("pool02.req", "pool02.cer"))["thumbprint"];
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const fs::path record = dir.path() / "store" / "certificates" / damaged / "certificate.json";
    std::ofstream(record, std::ios::trunc) << "{\"thumbprint\": 42";

    const auto listed = call(ocscert_certificate_list, json::object());
    ASSERT_EQ(status, OCSCERT_OK) << message;
    ASSERT_EQ(listed["certificates"].size(), 1u);
    EXPECT_EQ(listed["certificates"][0]["thumbprint"], intact);
    ASSERT_EQ(listed["warnings"].size(), 1u);
    const std::string warning = listed["warnings"][0];
    EXPECT_EQ(warning.rfind("certificates/" + damaged + "/certificate.json cannot be read: it is not JSON (", 0), 0u) << warning;
    EXPECT_NE(warning.find("; the certificate is left out of this list"), std::string::npos) << warning;

    call(ocscert_certificate_list, json{{"thumbprint", damaged}});
    EXPECT_EQ(status, OCSCERT_E_IO);
    EXPECT_EQ(reason, "CertificateUnreadable");
    EXPECT_EQ(field, "thumbprint");
    EXPECT_NE(message.find("certificates/" + damaged + "/certificate.json cannot be read"), std::string::npos) << message;
    // The same for an operation that loads it.
    call(ocscert_certificate_test, json{{"thumbprint", damaged}});
    EXPECT_EQ(reason, "CertificateUnreadable");

    // A record that is JSON but not a certificate's says so.
    std::ofstream(record, std::ios::trunc) << "{}";
    const std::string other = call(ocscert_certificate_list, json::object())["warnings"][0];
    EXPECT_EQ(other.rfind("certificates/" + damaged + "/certificate.json cannot be read: it is not a record of this store (", 0), 0u) << other;
    // Nothing was repaired or removed.
    EXPECT_EQ(ocscert::testing::read_file(record), "{}");
    EXPECT_TRUE(fs::exists(record.parent_path() / "key.pem"));
}

}  // namespace
