// The SCEP client against a real scepserver on loopback: issuance, challenge
// passwords, fingerprint pinning, a CSR verifier that refuses, the oldest
// capabilities (GET, SHA-1, triple DES), a web server that is no SCEP CA,
// forged, replayed and tampered CertReps (a relay in front of real servers
// plays them back), a CA that is down, and polls.
#include "ca/scep/scep_client.hpp"
#include "ca/scep/scep_protocol.hpp"

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
    std::ofstream(script, std::ios::binary) << "#!/bin/sh\ncat >/dev/null\nexit 1\n";  // binary: LF line ends from Windows too
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


// Renewal (RFC 8894 section 3.3.1.2): a RenewalReq for a new key, signed with
// the certificate it renews and that certificate's key instead of a transient
// certificate and the challenge password.

// Another request for the same names with a key of its own: what a renewal sends.
const Csr& renewed_csr() {
    static const Csr csr = make_csr("RSA");
    return csr;
}

Ptr<EVP_PKEY> share(EVP_PKEY* key) {
    EVP_PKEY_up_ref(key);
    return Ptr<EVP_PKEY>(key);
}

// An installed certificate and its key, handed over as the library's callers do.
struct Installed {
    Ptr<X509> certificate;
    EVP_PKEY* key = nullptr;  // borrowed from a Csr, which lives for the suite
    RenewalOf renewal_of() const {
        EVP_PKEY* k = key;
        return RenewalOf{certificate.get(), [k] { return share(k); }};
    }
};

Installed installed(const Outcome& issued, const Csr& csr) {
    auto certs = read_pem_certificates(issued.certificates_pem);
    EXPECT_FALSE(certs.empty());
    return Installed{certs.empty() ? nullptr : std::move(certs[0]), csr.key.get()};
}

// A certificate no SCEP CA issued, for the request's names, valid from `from` to `to` days from now.
Ptr<X509> self_signed(EVP_PKEY* key, long from_days, long to_days) {
    Ptr<X509> cert(X509_new());
    X509_set_version(cert.get(), X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 4242);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("pool01.contoso.com"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), from_days * 24 * 3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), to_days * 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_sign(cert.get(), key, EVP_sha256());
    return cert;
}

// A pkiMessage as the relay saw it: one the client sent (POSTed), or the CA's answer.
struct Sent {
    Ptr<CMS_ContentInfo> cms;

    explicit Sent(const HttpRelay::Request& request) : Sent(request.body) { EXPECT_EQ(request.method, "POST"); }
    explicit Sent(const std::string& der) {
        Ptr<BIO> in(BIO_new_mem_buf(der.data(), static_cast<int>(der.size())));
        cms.reset(d2i_CMS_bio(in.get(), nullptr));
        EXPECT_TRUE(cms) << "not a CMS message";
    }
    CMS_SignerInfo* signer() const {
        STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
        EXPECT_EQ(sk_CMS_SignerInfo_num(infos), 1);
        return sk_CMS_SignerInfo_value(infos, 0);
    }
    // A PrintableString SCEP attribute (RFC 8894 section 3.2.1), e.g. "2.16.840.1.113733.1.9.2" messageType.
    std::string attribute(const char* oid) const {
        Ptr<ASN1_OBJECT> id(OBJ_txt2obj(oid, 1));
        const auto* value = static_cast<const ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(signer(), id.get(), -3, V_ASN1_PRINTABLESTRING));
        return value ? std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)), static_cast<std::size_t>(ASN1_STRING_length(value))) : "";
    }
    std::string message_type() const { return attribute("2.16.840.1.113733.1.9.2"); }
    // The signerInfo names `cert` by issuer and serial number, and the message carries it.
    bool signed_by(X509* cert) const {
        if (CMS_SignerInfo_cert_cmp(signer(), cert) != 0) return false;
        crypto::CertificateStack carried(CMS_get1_certs(cms.get()));
        for (int i = 0; carried && i < sk_X509_num(carried.get()); ++i)
            if (X509_cmp(sk_X509_value(carried.get(), i), cert) == 0) return true;
        return false;
    }
    // The request inside the envelope, opened with the CA's key from its depot.
    Ptr<X509_REQ> inner_request(const ScepServer& server) const {
        ASN1_OCTET_STRING** content = CMS_get0_content(cms.get());
        const unsigned char* at = ASN1_STRING_get0_data(*content);
        Ptr<CMS_ContentInfo> envelope(d2i_CMS_ContentInfo(nullptr, &at, ASN1_STRING_length(*content)));
        const std::string key_pem = read_file(server.ca_key_file());
        Ptr<BIO> key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
        const auto empty_password = [](char*, int, int, void*) { return 0; };
        Ptr<EVP_PKEY> ca_key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, empty_password, nullptr));
        const auto ca = read_pem_certificates(read_file(server.ca_pem_file()));
        Ptr<BIO> plain(BIO_new(BIO_s_mem()));
        EXPECT_EQ(CMS_decrypt(envelope.get(), ca_key.get(), ca.at(0).get(), nullptr, plain.get(), CMS_BINARY), 1);
        return Ptr<X509_REQ>(d2i_X509_REQ_bio(plain.get(), nullptr));
    }
};

// Whom the CertRep's envelope (the issued certificate) is encrypted to: true if to `cert`.
bool answer_encrypted_to(const std::string& cert_rep, X509* cert) {
    Ptr<BIO> in(BIO_new_mem_buf(cert_rep.data(), static_cast<int>(cert_rep.size())));
    Ptr<CMS_ContentInfo> signed_data(d2i_CMS_bio(in.get(), nullptr));
    if (!signed_data) return false;
    ASN1_OCTET_STRING** content = CMS_get0_content(signed_data.get());
    if (content == nullptr || *content == nullptr) return false;
    const unsigned char* at = ASN1_STRING_get0_data(*content);
    Ptr<CMS_ContentInfo> envelope(d2i_CMS_ContentInfo(nullptr, &at, ASN1_STRING_length(*content)));
    STACK_OF(CMS_RecipientInfo)* recipients = envelope ? CMS_get0_RecipientInfos(envelope.get()) : nullptr;
    bool found = false;
    for (int i = 0; recipients && i < sk_CMS_RecipientInfo_num(recipients); ++i)
        found |= CMS_RecipientInfo_ktri_cert_cmp(sk_CMS_RecipientInfo_value(recipients, i), cert) == 0;
    return found;
}

bool has_challenge(X509_REQ* req) { return X509_REQ_get_attr_by_NID(req, NID_pkcs9_challengePassword, -1) >= 0; }

// A relay in front of `server` that keeps the answers to PKIOperation, in order.
class Recorder {
public:
    explicit Recorder(const ScepServer& server, std::function<void(const HttpRelay::Request&, HttpRelay::Reply&)> alter = {})
        : relay_([this, &server, alter](const HttpRelay::Request& r) {
              auto reply = HttpRelay::forward(server.url(), r);
              if (alter) alter(r, reply);
              std::lock_guard<std::mutex> lock(mutex_);
              if (r.operation() == "PKIOperation") answers_.push_back(reply);
              return reply;
          }) {}
    std::string url() const { return relay_.url(); }
    std::vector<HttpRelay::Request> pki_operations() const {
        std::vector<HttpRelay::Request> out;
        for (const auto& r : relay_.requests())
            if (r.operation() == "PKIOperation") out.push_back(r);
        return out;
    }
    std::vector<HttpRelay::Reply> answers() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return answers_;
    }
    std::vector<std::string> operations() const { return relay_.operations(); }

private:
    mutable std::mutex mutex_;
    std::vector<HttpRelay::Reply> answers_;
    HttpRelay relay_;  // last: its thread stops before the rest goes
};

// A CA that asks for no challenge password renews with none: the RenewalReq is
// signed with the issued certificate, carries no password, and the CA's answer,
// encrypted to that certificate, is opened with its key and is for the new key.
TEST_F(ScepClient, ARenewalIsSignedWithTheCertificateItRenewsAndNeedsNoPassword) {
    ScepServer open_ca(ScepSettings{"", ""});
    Recorder recorder(open_ca);
    auto o = options(recorder.url());
    o.challenge_password = nullptr;
    const auto first = enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_);
    expect_issued_for(first, rsa_csr(), open_ca);
    const Installed old = installed(first, rsa_csr());
    const RenewalOf renewal = old.renewal_of();
    o.renewal_of = &renewal;

    const auto renewed = enroll(o, renewed_csr().pem, renewed_csr().key.get(), progress_);
    expect_issued_for(renewed, renewed_csr(), open_ca);
    const auto certs = read_pem_certificates(renewed.certificates_pem);
    EXPECT_NE(X509_cmp(certs.at(0).get(), old.certificate.get()), 0) << "a new certificate";

    const auto sent = recorder.pki_operations();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(Sent(sent[0]).message_type(), "19") << "the first enrolment is a PKCSReq";
    const Sent renewal_req(sent[1]);
    EXPECT_EQ(renewal_req.message_type(), "17") << "RenewalReq";
    EXPECT_TRUE(renewal_req.signed_by(old.certificate.get()));
    const auto inner = renewal_req.inner_request(open_ca);
    ASSERT_TRUE(inner);
    EXPECT_EQ(EVP_PKEY_eq(X509_REQ_get0_pubkey(inner.get()), renewed_csr().key.get()), 1) << "the request is for the new key";
    EXPECT_FALSE(has_challenge(inner.get()));
    EXPECT_TRUE(answer_encrypted_to(recorder.answers().at(1).body, old.certificate.get())) << "so only the old key opens it";
}

// Debian's scepserver 2.1.0 lists Renewal in GetCACaps but checks its challenge
// password on every request (its ChallengeMiddleware, "TODO: compare challenge
// only for PKCSReq?"): a RenewalReq without it is refused like a PKCSReq, with
// an HTTP 200 CertRep, pkiStatus FAILURE, failInfo badRequest (2), and it logs
// "invalid challenge". With the password the RenewalReq is issued.
TEST_F(ScepClient, Scepserver210WantsItsChallengePasswordForARenewalToo) {
    Recorder recorder(*server_);
    auto o = options(recorder.url());
    const auto first = enroll(o, rsa_csr().pem, rsa_csr().key.get(), progress_);
    expect_issued_for(first, rsa_csr(), *server_);
    const Installed old = installed(first, rsa_csr());
    const RenewalOf renewal = old.renewal_of();
    o.renewal_of = &renewal;
    o.challenge_password = nullptr;

    const auto refused = enroll(o, renewed_csr().pem, renewed_csr().key.get(), progress_);
    EXPECT_EQ(refused.disposition, Disposition::Denied);
    EXPECT_EQ(refused.reason, "BadRequest");
    EXPECT_NE(refused.detail.find("renewal (RenewalReq) signed with the certificate"), std::string::npos) << refused.detail;
    EXPECT_NE(refused.detail.find("which this CA issued; if the CA wants a challenge password for renewals too, give it."), std::string::npos)
        << refused.detail;
    auto sent = recorder.pki_operations();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(Sent(sent[1]).message_type(), "17");
    EXPECT_TRUE(Sent(sent[1]).signed_by(old.certificate.get()));
    const auto answer = recorder.answers().at(1);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.content_type, "application/x-pki-message");
    const Sent cert_rep(answer.body);
    EXPECT_EQ(cert_rep.message_type(), "3") << "CertRep";
    EXPECT_EQ(cert_rep.attribute("2.16.840.1.113733.1.9.3"), "2") << "pkiStatus FAILURE";
    EXPECT_EQ(cert_rep.attribute("2.16.840.1.113733.1.9.4"), "2") << "failInfo badRequest";
    EXPECT_NE(server_->log().find("caller=service.go:88 msg=\"failed to sign CSR\" err=\"invalid challenge\""), std::string::npos)
        << server_->log();

    o.challenge_password = &password_;
    const auto renewed = enroll(o, renewed_csr().pem, renewed_csr().key.get(), progress_);
    expect_issued_for(renewed, renewed_csr(), *server_);
    sent = recorder.pki_operations();
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(Sent(sent[2]).message_type(), "17");
    EXPECT_TRUE(Sent(sent[2]).signed_by(old.certificate.get()));
    EXPECT_TRUE(has_challenge(Sent(sent[2]).inner_request(*server_).get()));
    EXPECT_TRUE(answer_encrypted_to(recorder.answers().at(2).body, old.certificate.get()));
}

// A RenewalReq signed with a certificate the CA did not issue: the CA's refusal
// says so. (scepserver 2.1.0 refuses it only for want of its challenge password.)
TEST_F(ScepClient, ARenewalSignedWithACertificateTheCaDidNotIssueIsDeniedAndSaysSo) {
    Recorder recorder(*server_);
    auto o = options(recorder.url());
    o.challenge_password = nullptr;
    const Installed foreign{self_signed(rsa_csr().key.get(), -1, 30), rsa_csr().key.get()};
    const RenewalOf renewal = foreign.renewal_of();
    o.renewal_of = &renewal;
    const auto outcome = enroll(o, renewed_csr().pem, renewed_csr().key.get(), progress_);
    EXPECT_EQ(outcome.disposition, Disposition::Denied);
    EXPECT_EQ(outcome.reason, "BadRequest");
    EXPECT_TRUE(outcome.certificates_pem.empty());
    EXPECT_NE(outcome.detail.find("did not issue, issuer 'CN=pool01.contoso.com': a CA renews only certificates it issued"), std::string::npos)
        << outcome.detail;
    const auto sent = recorder.pki_operations();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(Sent(sent[0]).message_type(), "17");
    EXPECT_TRUE(Sent(sent[0]).signed_by(foreign.certificate.get()));
}

// What scepserver 2.1.0 does not do: check who signed a RenewalReq. Without a
// challenge password configured it issues for one signed by any certificate, its
// own or not (it only verifies the signature against the certificate the message
// carries). A real CA (NDES) must be relied on for that check, not this one.
TEST_F(ScepClient, Scepserver210DoesNotCheckWhoSignedARenewal) {
    ScepServer open_ca(ScepSettings{"", ""});
    auto o = options(open_ca.url());
    o.challenge_password = nullptr;
    const Installed foreign{self_signed(rsa_csr().key.get(), -1, 30), rsa_csr().key.get()};
    const RenewalOf renewal = foreign.renewal_of();
    o.renewal_of = &renewal;
    expect_issued_for(enroll(o, renewed_csr().pem, renewed_csr().key.get(), progress_), renewed_csr(), open_ca);
}

// Without Renewal in GetCACaps, or with a certificate that cannot sign a renewal
// (not RSA, so it could not open the answer; expired), the request goes as an
// ordinary PKCSReq with the challenge password, signed by a transient certificate.
TEST_F(ScepClient, WhenARenewalCannotBeSignedItIsAnOrdinaryRequest) {
    const auto first = enroll(options(), rsa_csr().pem, rsa_csr().key.get(), progress_);
    ASSERT_EQ(first.disposition, Disposition::Issued);
    const Installed issued = installed(first, rsa_csr());
    const Installed ecdsa{self_signed(ec_csr().key.get(), -1, 30), ec_csr().key.get()};
    const Installed expired{self_signed(rsa_csr().key.get(), -30, -1), rsa_csr().key.get()};

    const auto expect_pkcs_req = [&](const Installed& old, bool without_renewal_cap) {
        Recorder recorder(*server_, [without_renewal_cap](const HttpRelay::Request& r, HttpRelay::Reply& reply) {
            if (without_renewal_cap && r.operation() == "GetCACaps") {
                const auto at = reply.body.find("Renewal\n");
                ASSERT_NE(at, std::string::npos) << reply.body;
                reply.body.erase(at, 8);
            }
        });
        auto o = options(recorder.url());
        bool key_read = false;
        EVP_PKEY* k = old.key;
        const RenewalOf renewal{old.certificate.get(), [&key_read, k] {
                                    key_read = true;
                                    return share(k);
                                }};
        o.renewal_of = &renewal;
        expect_issued_for(enroll(o, renewed_csr().pem, renewed_csr().key.get(), progress_), renewed_csr(), *server_);
        const auto sent = recorder.pki_operations();
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(Sent(sent[0]).message_type(), "19");
        EXPECT_FALSE(Sent(sent[0]).signed_by(old.certificate.get()));
        EXPECT_FALSE(key_read) << "the old key is read only to sign a renewal";
    };
    expect_pkcs_req(issued, true);
    expect_pkcs_req(ecdsa, false);
    expect_pkcs_req(expired, false);
}

// Through the CA-protocol interface: a CaRequest's renewal_of is what signs the RenewalReq.
TEST_F(ScepClient, TheProtocolRenewsWithTheCertificateTheRequestRenews) {
    ScepServer open_ca(ScepSettings{"", ""});
    Recorder recorder(open_ca);
    Exchange exchange;
    exchange.url = recorder.url();
    exchange.http.timeout = std::chrono::seconds(10);
    exchange.progress = &progress_;
    const auto request_for = [](const Csr& csr) {
        CaRequest r;
        r.names = csr.names;
        r.request_pem = csr.pem;
        EVP_PKEY* k = csr.key.get();
        r.private_key = [k] { return share(k); };
        return r;
    };
    const auto first = protocol().submit(exchange, request_for(rsa_csr()));
    ASSERT_EQ(first.disposition, Disposition::Issued) << first.detail;
    const Installed old = installed(first, rsa_csr());
    const RenewalOf renewal = old.renewal_of();
    auto renewing = request_for(renewed_csr());
    renewing.renewal_of = &renewal;
    expect_issued_for(protocol().submit(exchange, renewing), renewed_csr(), open_ca);
    const auto sent = recorder.pki_operations();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(Sent(sent[1]).message_type(), "17");
    EXPECT_TRUE(Sent(sent[1]).signed_by(old.certificate.get()));
}

TEST_F(ScepClient, TheRenewedCertificateMustBeForTheKeyGivenWithIt) {
    HttpRelay relay([](const HttpRelay::Request& r) { return HttpRelay::forward(server_->url(), r); });
    auto o = options(relay.url());
    const Installed mismatched{self_signed(rsa_csr().key.get(), -1, 30), renewed_csr().key.get()};
    const RenewalOf renewal = mismatched.renewal_of();
    o.renewal_of = &renewal;
    const auto e = expect_error([&] { enroll(o, renewed_csr().pem, renewed_csr().key.get(), progress_); });
    EXPECT_EQ(e.code(), OCSCERT_E_INVALID_ARGUMENT);
    EXPECT_EQ(e.reason(), "KeyMismatch");
    EXPECT_EQ(e.field(), "renewalOf");
    EXPECT_EQ(relay.operations(), (std::vector<std::string>{"GetCACaps", "GetCACert"})) << "no PKIOperation";
}

// A renewal is polled signed as it was sent, with the certificate it renews (the
// CA answers to that certificate only); poll_state names it, no secret. scepserver
// does not implement CertPoll, so what is checked is the message it is sent.
TEST_F(ScepClient, ARenewalIsPolledSignedWithTheCertificateItRenews) {
    const auto first = enroll(options(), rsa_csr().pem, rsa_csr().key.get(), progress_);
    ASSERT_EQ(first.disposition, Disposition::Issued);
    const Installed old = installed(first, rsa_csr());
    const RenewalOf renewal = old.renewal_of();
    const std::string old_der = crypto::to_der(old.certificate.get(), i2d_X509, "Encoding the certificate");
    const std::string old_fingerprint = crypto::hex_digest(EVP_sha256(), reinterpret_cast<const unsigned char*>(old_der.data()), old_der.size(), false);
    const json state = {{"transactionId", crypto::public_key_sha256(renewed_csr().key.get())},
                        {"caFingerprint", plain_hex(ca_fingerprint(*server_, EVP_sha256()))},
                        {"renewalOf", old_fingerprint}};

    Recorder recorder(*server_);
    auto o = options(recorder.url());
    o.challenge_password = nullptr;
    o.renewal_of = &renewal;
    const auto e = expect_error([&] { poll(o, state, renewed_csr().pem, renewed_csr().key.get(), progress_); });
    EXPECT_NE(std::string(e.what()).find("HTTP 500"), std::string::npos) << e.what();
    const auto sent = recorder.pki_operations();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(Sent(sent[0]).message_type(), "20") << "CertPoll";
    EXPECT_TRUE(Sent(sent[0]).signed_by(old.certificate.get()));

    // Without that certificate, or with another, nothing is sent.
    for (const bool given : {false, true}) {
        Recorder quiet(*server_);
        auto other = options(quiet.url());
        const Installed foreign{self_signed(rsa_csr().key.get(), -1, 30), rsa_csr().key.get()};
        const RenewalOf wrong = foreign.renewal_of();
        other.renewal_of = given ? &wrong : nullptr;
        const auto refused = expect_error([&] { poll(other, state, renewed_csr().pem, renewed_csr().key.get(), progress_); });
        EXPECT_EQ(refused.code(), OCSCERT_E_INVALID_ARGUMENT);
        EXPECT_EQ(refused.reason(), "RenewalCertificateMismatch");
        EXPECT_EQ(refused.field(), "renewalOf");
        EXPECT_NE(std::string(refused.what()).find(old_fingerprint), std::string::npos) << refused.what();
        EXPECT_TRUE(quiet.operations().empty());
    }
}

}  // namespace
}  // namespace ocscert::ca::scep
