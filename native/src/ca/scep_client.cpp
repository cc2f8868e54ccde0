#include "ca/scep_client.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include <algorithm>
#include <vector>

#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"

namespace ocscert::ca::scep {

using nlohmann::json;
using crypto::Ptr;

namespace {

// SCEP's signed attributes (RFC 8894 section 3.2.1).
constexpr const char* oid_message_type = "2.16.840.1.113733.1.9.2";
constexpr const char* oid_pki_status = "2.16.840.1.113733.1.9.3";
constexpr const char* oid_fail_info = "2.16.840.1.113733.1.9.4";
constexpr const char* oid_sender_nonce = "2.16.840.1.113733.1.9.5";
constexpr const char* oid_recipient_nonce = "2.16.840.1.113733.1.9.6";
constexpr const char* oid_transaction_id = "2.16.840.1.113733.1.9.7";
constexpr const char* message_pkcs_req = "19";
constexpr const char* message_cert_poll = "20";

[[noreturn]] void bad_response(const std::string& what) {
    ERR_clear_error();
    throw Error(OCSCERT_E_NETWORK, "InvalidScepResponse", "ca", "The SCEP server's answer was not usable: " + what + ". Nothing was installed.");
}

Ptr<ASN1_OBJECT> oid(const char* text) { return Ptr<ASN1_OBJECT>(crypto::check(OBJ_txt2obj(text, 1), "Reading a SCEP attribute id")); }

std::string der_of(X509* cert) {
    unsigned char* der = nullptr;
    const int size = crypto::check(i2d_X509(cert, &der), "Encoding a certificate");
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    return out;
}

std::string fingerprint(X509* cert, const EVP_MD* md) {
    const std::string der = der_of(cert);
    return crypto::hex_digest(md, reinterpret_cast<const unsigned char*>(der.data()), der.size(), false);
}

// The library context for opening the CA's envelope: the default algorithms and
// the legacy ones (single DES), kept apart from the rest of the process.
OSSL_LIB_CTX* answer_context() {
    static OSSL_LIB_CTX* const context = [] {
        OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
        if (c != nullptr) {
            OSSL_PROVIDER_load(c, "default");
            OSSL_PROVIDER_load(c, "legacy");  // absent in some builds: then only DES answers fail
        }
        ERR_clear_error();
        return c;
    }();
    return context;
}

std::string bio_bytes(BIO* bio) { return crypto::bio_contents(bio); }

std::string url_encode(const std::string& in) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : in) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string with_query(const std::string& url, const std::string& query) { return url + (url.find('?') == std::string::npos ? "?" : "&") + query; }

struct Capabilities {
    bool sha256 = false, aes = false, post = false;
};

// What the CA may be asked, and with which algorithms (RFC 8894 section 3.5.2).
Capabilities get_caps(const transport::HttpClient& http, const std::string& url) {
    const auto response = http.get(with_query(url, "operation=GetCACaps"));
    if (response.status != 200) bad_response("GetCACaps answered HTTP " + std::to_string(response.status));
    Capabilities caps;
    std::string line;
    for (char c : response.body + "\n") {
        if (c != '\n' && c != '\r') {
            line += c;
            continue;
        }
        const std::string cap = text::ascii_lower(line);
        caps.sha256 |= cap == "sha-256";
        caps.aes |= cap == "aes";
        caps.post |= cap == "postpkioperation";
        line.clear();
    }
    return caps;
}

struct CaCertificates {
    std::vector<Ptr<X509>> all;
    X509* ca = nullptr;         // the CA itself: what the fingerprint pins
    X509* recipient = nullptr;  // who our envelope is encrypted to: the RA if there is one, else the CA
};

bool is_ca(X509* cert) { return X509_check_ca(cert) != 0; }

CaCertificates get_ca_certs(const transport::HttpClient& http, const std::string& url) {
    const auto response = http.get(with_query(url, "operation=GetCACert"));
    if (response.status != 200) bad_response("GetCACert answered HTTP " + std::to_string(response.status));
    const std::string type = response.content_type();
    if (type != "application/x-x509-ca-cert" && type != "application/x-x509-ca-ra-cert")
        bad_response("GetCACert answered with " + text::quote(type) + ", not a CA certificate");
    CaCertificates certs;
    try {
        certs.all = certificate::parse_ca_response(response.body, "ca");
    } catch (const Error&) {
        bad_response("GetCACert's certificates could not be read");
    }
    for (const auto& c : certs.all)
        if (is_ca(c.get()) && (certs.ca == nullptr || X509_check_issued(c.get(), c.get()) == X509_V_OK)) certs.ca = c.get();
    if (certs.ca == nullptr) certs.ca = certs.all.front().get();
    for (const auto& c : certs.all)
        if (!is_ca(c.get()) && (X509_get_key_usage(c.get()) & KU_KEY_ENCIPHERMENT)) certs.recipient = c.get();
    if (certs.recipient == nullptr) certs.recipient = certs.ca;
    return certs;
}

std::string normalized_fingerprint(const std::string& given) {
    std::string out;
    for (char c : given) {
        if (c == ':' || c == ' ' || c == '-') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            invalid("caFingerprint", "InvalidFingerprint", "The CA fingerprint must be hex digits (SHA-256: 64, or SHA-1: 40), colons allowed.");
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (out.size() != 64 && out.size() != 40)
        invalid("caFingerprint", "InvalidFingerprint",
                "The CA fingerprint has " + std::to_string(out.size()) + " hex digits; a SHA-256 one has 64 and a SHA-1 one (as NDES shows it) 40.");
    return out;
}

void check_pin(X509* ca, const std::string& pin) {
    if (pin.empty()) return;
    const std::string wanted = normalized_fingerprint(pin);
    const std::string sha256 = fingerprint(ca, EVP_sha256());
    if (wanted == sha256 || wanted == fingerprint(ca, EVP_sha1())) return;
    throw Error(OCSCERT_E_CRYPTO, "CaFingerprintMismatch", "caFingerprint",
                "The CA certificate " + certificate::describe(ca)["subject"].get<std::string>() + " has the SHA-256 fingerprint " + sha256 +
                    ", not " + wanted + "; nothing was sent. Compare with the fingerprint your CA's administrator reads out.");
}

Ptr<X509_REQ> read_request(const std::string& pem) {
    Ptr<BIO> bio(crypto::check(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "Reading the request"));
    return Ptr<X509_REQ>(crypto::check(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr), "Reading the request"));
}

// A short-lived self-signed certificate for our key: SCEP's way of saying who
// signs the message and whom the CA encrypts its answer to.
Ptr<X509> signer_certificate(X509_REQ* req, EVP_PKEY* key, const EVP_MD* md) {
    Ptr<X509> cert(crypto::check(X509_new(), "Making the SCEP signer certificate"));
    crypto::check(X509_set_version(cert.get(), X509_VERSION_3), "Making the SCEP signer certificate");
    unsigned char serial[16];
    crypto::check(RAND_bytes(serial, sizeof serial), "Making the SCEP signer certificate");
    serial[0] &= 0x7f;
    Ptr<BIGNUM> bn(crypto::check(BN_bin2bn(serial, sizeof serial, nullptr), "Making the SCEP signer certificate"));
    crypto::check(BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) != nullptr, "Making the SCEP signer certificate");
    crypto::check(X509_set_subject_name(cert.get(), X509_REQ_get_subject_name(req)), "Making the SCEP signer certificate");
    crypto::check(X509_set_issuer_name(cert.get(), X509_REQ_get_subject_name(req)), "Making the SCEP signer certificate");
    crypto::check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "Making the SCEP signer certificate");
    crypto::check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7 * 24 * 3600) != nullptr, "Making the SCEP signer certificate");
    crypto::check(X509_set_pubkey(cert.get(), key), "Making the SCEP signer certificate");
    crypto::check(X509_sign(cert.get(), key, md), "Signing the SCEP signer certificate");
    return cert;
}

std::string der_of(CMS_ContentInfo* cms) {
    Ptr<BIO> out(crypto::check(BIO_new(BIO_s_mem()), "Encoding a SCEP message"));
    crypto::check(i2d_CMS_bio(out.get(), cms), "Encoding a SCEP message");
    return bio_bytes(out.get());
}

// The pkcsPKIEnvelope: `content` encrypted to the CA (or its RA).
std::string envelope(const std::string& content, X509* recipient, bool aes) {
    crypto::CertificateStack recipients(sk_X509_new_null());
    crypto::check(sk_X509_push(recipients.get(), X509_dup(recipient)), "Addressing the SCEP envelope");
    Ptr<BIO> in(crypto::check(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())), "Making the SCEP envelope"));
    // RFC 8894 section 3.5.2: "AES" means AES-128-CBC; without it, triple DES is what every CA takes.
    Ptr<CMS_ContentInfo> cms(
        crypto::check(CMS_encrypt(recipients.get(), in.get(), aes ? EVP_aes_128_cbc() : EVP_des_ede3_cbc(), CMS_BINARY), "Making the SCEP envelope"));
    return der_of(cms.get());
}

struct Message {
    std::string der;
    std::string transaction_id;
    std::string nonce;
};

// The signed pkiMessage carrying `envelope_der`, with SCEP's attributes.
Message signed_message(const std::string& envelope_der, const char* message_type, const std::string& transaction_id, X509* signer, EVP_PKEY* key,
                       const EVP_MD* md) {
    Message m{{}, transaction_id, std::string(16, '\0')};
    crypto::check(RAND_bytes(reinterpret_cast<unsigned char*>(m.nonce.data()), 16), "Making a SCEP nonce");
    Ptr<CMS_ContentInfo> cms(crypto::check(CMS_sign(nullptr, nullptr, nullptr, nullptr, CMS_PARTIAL | CMS_BINARY), "Making the SCEP message"));
    CMS_SignerInfo* si = crypto::check(CMS_add1_signer(cms.get(), signer, key, md, CMS_PARTIAL | CMS_BINARY | CMS_NOSMIMECAP), "Signing the SCEP message");
    auto add = [&](const char* id, int type, const std::string& value) {
        crypto::check(CMS_signed_add1_attr_by_OBJ(si, oid(id).get(), type, value.data(), static_cast<int>(value.size())), "Adding a SCEP attribute");
    };
    add(oid_message_type, V_ASN1_PRINTABLESTRING, message_type);
    add(oid_transaction_id, V_ASN1_PRINTABLESTRING, transaction_id);
    add(oid_sender_nonce, V_ASN1_OCTET_STRING, m.nonce);
    Ptr<BIO> content(crypto::check(BIO_new_mem_buf(envelope_der.data(), static_cast<int>(envelope_der.size())), "Signing the SCEP message"));
    crypto::check(CMS_final(cms.get(), content.get(), nullptr, CMS_BINARY), "Signing the SCEP message");
    m.der = der_of(cms.get());
    return m;
}

std::string signed_text(CMS_SignerInfo* si, const char* id, int type) {
    const auto* value = static_cast<const ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(si, oid(id).get(), -3, type));
    if (value == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)), static_cast<std::size_t>(ASN1_STRING_length(value)));
}

std::string fail_info_text(const std::string& code, std::string& reason) {
    if (code == "0") return reason = "BadAlgorithm", "the CA does not accept the algorithms used";
    if (code == "1") return reason = "BadMessageCheck", "the CA could not verify the message's signature";
    if (code == "3") return reason = "BadTime", "the CA says the message's time is wrong; check this server's clock";
    if (code == "4") return reason = "BadCertId", "the CA does not know the certificate asked about";
    reason = "BadRequest";
    return "the CA refused the request: a wrong, used or expired challenge password, or the CA's policy";
}

// Sends one pkiMessage and reads the CertRep (RFC 8894 section 3.3.2).
Outcome exchange(const transport::HttpClient& http, const std::string& url, const Capabilities& caps, const CaCertificates& ca, const Message& message,
                 X509* signer, EVP_PKEY* key) {
    transport::HttpResponse response;
    if (caps.post) {
        response = http.post(with_query(url, "operation=PKIOperation"), message.der, "application/x-pki-message");
    } else {
        Ptr<BIO> b64(crypto::check(BIO_new(BIO_f_base64()), "Encoding the SCEP message"));
        BIO* mem = crypto::check(BIO_new(BIO_s_mem()), "Encoding the SCEP message");
        BIO_set_flags(b64.get(), BIO_FLAGS_BASE64_NO_NL);
        BIO_push(b64.get(), mem);
        crypto::check(BIO_write(b64.get(), message.der.data(), static_cast<int>(message.der.size())), "Encoding the SCEP message");
        crypto::check(BIO_flush(b64.get()), "Encoding the SCEP message");
        response = http.get(with_query(url, "operation=PKIOperation&message=" + url_encode(bio_bytes(mem))));
    }
    if (response.status != 200) bad_response("PKIOperation answered HTTP " + std::to_string(response.status));
    if (response.content_type() != "application/x-pki-message")
        bad_response("PKIOperation answered with " + text::quote(response.content_type()) + ", not a SCEP message");

    Ptr<BIO> in(crypto::check(BIO_new_mem_buf(response.body.data(), static_cast<int>(response.body.size())), "Reading the SCEP answer"));
    Ptr<CMS_ContentInfo> reply(d2i_CMS_bio(in.get(), nullptr));
    if (!reply) bad_response("the CertRep is not a CMS message");
    // Only the CA's (or RA's) own certificates may have signed it, never one the message brings along.
    crypto::CertificateStack signers(sk_X509_new_null());
    for (const auto& c : ca.all) crypto::check(sk_X509_push(signers.get(), X509_dup(c.get())), "Checking the SCEP answer");
    Ptr<X509_STORE> no_store(crypto::check(X509_STORE_new(), "Checking the SCEP answer"));
    Ptr<BIO> content(crypto::check(BIO_new(BIO_s_mem()), "Checking the SCEP answer"));
    if (CMS_verify(reply.get(), signers.get(), no_store.get(), nullptr, content.get(), CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN | CMS_BINARY) != 1)
        bad_response("the CertRep is not signed by the CA");
    STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(reply.get());
    if (sk_CMS_SignerInfo_num(infos) != 1) bad_response("the CertRep has no single signer");
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);

    if (signed_text(si, oid_message_type, V_ASN1_PRINTABLESTRING) != "3") bad_response("the answer is not a CertRep");
    if (signed_text(si, oid_transaction_id, V_ASN1_PRINTABLESTRING) != message.transaction_id) bad_response("the CertRep is for another transaction");
    if (signed_text(si, oid_recipient_nonce, V_ASN1_OCTET_STRING) != message.nonce) bad_response("the CertRep does not answer our nonce (a replay?)");

    Outcome outcome;
    const std::string status = signed_text(si, oid_pki_status, V_ASN1_PRINTABLESTRING);
    if (status == "3") {
        outcome.disposition = Disposition::Pending;
        outcome.ca_request_id = message.transaction_id;
        outcome.poll_state = {{"transactionId", message.transaction_id}, {"caFingerprint", fingerprint(ca.ca, EVP_sha256())}};
        return outcome;
    }
    if (status == "2") {
        outcome.disposition = Disposition::Denied;
        outcome.detail = fail_info_text(signed_text(si, oid_fail_info, V_ASN1_PRINTABLESTRING), outcome.reason) + ".";
        return outcome;
    }
    if (status != "0") bad_response("the CertRep's status " + text::quote(status) + " is not one SCEP defines");

    // SUCCESS: the envelope holds a certificates-only PKCS#7, encrypted to our signer certificate.
    const std::string envelope_der = bio_bytes(content.get());
    Ptr<BIO> env_in(crypto::check(BIO_new_mem_buf(envelope_der.data(), static_cast<int>(envelope_der.size())), "Opening the SCEP answer"));
    // Parsed in a library context that can also read single DES, which some CAs
    // (scepserver among them) still answer with whatever the request used.
    CMS_ContentInfo* parsed = CMS_ContentInfo_new_ex(answer_context(), nullptr);
    Ptr<CMS_ContentInfo> env(parsed ? d2i_CMS_bio(env_in.get(), &parsed) : nullptr);
    Ptr<BIO> plain(crypto::check(BIO_new(BIO_s_mem()), "Opening the SCEP answer"));
    if (!env || CMS_decrypt(env.get(), key, signer, nullptr, plain.get(), CMS_BINARY) != 1) bad_response("the issued certificate could not be decrypted");
    std::vector<Ptr<X509>> issued;
    try {
        issued = certificate::parse_ca_response(bio_bytes(plain.get()), "ca");
    } catch (const Error&) {
        bad_response("the issued certificates could not be read");
    }
    // Ours first (the one with our key), then the rest, then the CA's certificates the client already holds.
    std::stable_partition(issued.begin(), issued.end(), [&](const Ptr<X509>& c) { return EVP_PKEY_eq(X509_get0_pubkey(c.get()), key) == 1; });
    for (const auto& c : issued) outcome.certificates_pem += certificate::to_pem(c.get());
    for (const auto& c : ca.all)
        if (is_ca(c.get())) outcome.certificates_pem += certificate::to_pem(c.get());
    outcome.disposition = Disposition::Issued;
    return outcome;
}

struct Session {
    transport::HttpClient http;
    Capabilities caps;
    CaCertificates ca;
    const EVP_MD* md;
};

Session open(const Options& options, const std::string& pin, Progress& progress) {
    Session s{transport::HttpClient(options.http), {}, {}, nullptr};
    progress.report("Contacting the SCEP CA", "GetCACaps at " + transport::url_host(options.url), 10);
    s.caps = get_caps(s.http, options.url);
    s.md = s.caps.sha256 ? EVP_sha256() : EVP_sha1();
    progress.report("Contacting the SCEP CA", "GetCACert", 25);
    s.ca = get_ca_certs(s.http, options.url);
    check_pin(s.ca.ca, pin);
    return s;
}

std::string der_of(X509_REQ* req) {
    unsigned char* der = nullptr;
    const int size = crypto::check(i2d_X509_REQ(req, &der), "Encoding the request");
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    return out;
}

std::string der_of(const X509_NAME* name) {
    unsigned char* der = nullptr;
    const int size = crypto::check(i2d_X509_NAME(name, &der), "Encoding a name");
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    return out;
}

}  // namespace

Outcome enroll(const Options& options, const std::string& request_pem, EVP_PKEY* key, Progress& progress) {
    if (options.ca_fingerprint.size()) normalized_fingerprint(options.ca_fingerprint);  // a typo is refused before anything is sent
    Session s = open(options, options.ca_fingerprint, progress);
    auto req = read_request(request_pem);
    if (options.challenge_password) {
        const auto& password = options.challenge_password->bytes();
        crypto::check(X509_REQ_add1_attr_by_NID(req.get(), NID_pkcs9_challengePassword, MBSTRING_UTF8,
                                                reinterpret_cast<const unsigned char*>(password.data()), static_cast<int>(password.size())),
                      "Adding the challenge password");
        crypto::check(X509_REQ_sign(req.get(), key, s.md) > 0, "Signing the request");
    }
    const auto signer = signer_certificate(req.get(), key, s.md);
    progress.report("Sending the request", "PKCSReq to " + transport::url_host(options.url), 50);
    const std::string transaction_id = crypto::public_key_sha256(key);
    auto message = signed_message(envelope(der_of(req.get()), s.ca.recipient, s.caps.aes), message_pkcs_req, transaction_id, signer.get(), key, s.md);
    auto outcome = exchange(s.http, options.url, s.caps, s.ca, message, signer.get(), key);
    progress.report("Sending the request", "The CA answered", 90);
    return outcome;
}

Outcome poll(const Options& options, const json& poll_state, const std::string& request_pem, EVP_PKEY* key, Progress& progress) {
    const std::string transaction_id = poll_state.value("transactionId", "");
    if (transaction_id.empty()) invalid("id", "NothingToPoll", "The request has no SCEP transaction to ask about.");
    // The CA asked about later must be the one the request went to.
    Session s = open(options, options.ca_fingerprint.empty() ? poll_state.value("caFingerprint", "") : options.ca_fingerprint, progress);
    auto req = read_request(request_pem);
    const auto signer = signer_certificate(req.get(), key, s.md);
    // IssuerAndSubject (RFC 8894 section 3.3.3): SEQUENCE { issuer Name, subject Name }.
    const std::string body = der_of(X509_get_subject_name(s.ca.ca)) + der_of(X509_REQ_get_subject_name(req.get()));
    std::string sequence(1, '\x30');
    if (body.size() < 128) sequence += static_cast<char>(body.size());
    else if (body.size() < 256) sequence += std::string("\x81") + static_cast<char>(body.size());
    else sequence += std::string("\x82") + static_cast<char>(body.size() >> 8) + static_cast<char>(body.size() & 0xff);
    progress.report("Asking the CA again", "CertPoll to " + transport::url_host(options.url), 50);
    auto message = signed_message(envelope(sequence + body, s.ca.recipient, s.caps.aes), message_cert_poll, transaction_id, signer.get(), key, s.md);
    return exchange(s.http, options.url, s.caps, s.ca, message, signer.get(), key);
}

}  // namespace ocscert::ca::scep
