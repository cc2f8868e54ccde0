#include "ca/scep/scep_client.hpp"
#include "ca/scep/scep_messages.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string_view>
#include <vector>

#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/legacy_algorithms.hpp"
#include "crypto/openssl_ptr.hpp"

namespace ocscert::ca::scep {

using crypto::Ptr;
using nlohmann::json;

namespace {

// SCEP's signed attributes and message types (RFC 8894 section 3.2.1).
constexpr const char* oid_message_type = "2.16.840.1.113733.1.9.2";
constexpr const char* oid_pki_status = "2.16.840.1.113733.1.9.3";
constexpr const char* oid_fail_info = "2.16.840.1.113733.1.9.4";
constexpr const char* oid_sender_nonce = "2.16.840.1.113733.1.9.5";
constexpr const char* oid_recipient_nonce = "2.16.840.1.113733.1.9.6";
constexpr const char* oid_transaction_id = "2.16.840.1.113733.1.9.7";
constexpr const char* type_cert_rep = "3";
constexpr const char* type_renewal_req = "17";
constexpr const char* type_pkcs_req = "19";
constexpr const char* type_cert_poll = "20";

[[noreturn]] void bad_response(const std::string& what) {
    ERR_clear_error();
    throw Error(OCSCERT_E_NETWORK, "InvalidScepResponse", "ca", "The SCEP server's answer was not usable: " + what + ". Nothing was installed.");
}

// A read-only BIO over `bytes`, which must outlive it (hence no temporaries).
Ptr<BIO> memory(const std::string& bytes, const char* what) {
    return Ptr<BIO>(crypto::check(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), what));
}
Ptr<BIO> memory(std::string&&, const char*) = delete;

Ptr<BIO> memory_sink(const char* what) { return Ptr<BIO>(crypto::check(BIO_new(BIO_s_mem()), what)); }

Ptr<ASN1_OBJECT> oid(const char* text) { return Ptr<ASN1_OBJECT>(crypto::check(OBJ_txt2obj(text, 1), "Reading a SCEP attribute id")); }

std::string fingerprint(X509* cert, const EVP_MD* md) {
    const std::string der = crypto::to_der(cert, i2d_X509, "Encoding a certificate");
    return crypto::hex_digest(md, reinterpret_cast<const unsigned char*>(der.data()), der.size(), false);
}

std::string subject_of(X509* cert) { return text::quote(certificate::name_text(X509_get_subject_name(cert))); }

bool succeeded(const transport::HttpResponse& response) { return response.status >= 200 && response.status < 300; }

std::string with_query(const std::string& url, const std::string& query) { return url + (url.find('?') == std::string::npos ? "?" : "&") + query; }

std::string url_encode(const std::string& in) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : in) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// The pin as 40 or 64 lower-case hex digits; refused before anything is sent.
std::string normalized_fingerprint(const std::string& given) {
    std::string out;
    for (const char c : given) {
        if (c == ':' || c == ' ') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            invalid("caFingerprint", "InvalidFingerprint",
                    "The CA fingerprint " + text::quote(given) + " is not hex: give the SHA-256 (64 hex digits) or SHA-1 (40) of the CA certificate, colons or spaces allowed.");
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (out.size() != 64 && out.size() != 40)
        invalid("caFingerprint", "InvalidFingerprint",
                "The CA fingerprint has " + std::to_string(out.size()) + " hex digits; a SHA-256 one has 64 and a SHA-1 one (as NDES shows it) 40.");
    return out;
}

}  // namespace

// RFC 8894 section 3.5.2: an empty answer means none; "SCEPStandard" implies AES, SHA-256 and POST
// (not Renewal, which a CA lists on its own).
Capabilities read_capabilities(const std::string& body) {
    Capabilities caps;
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
        line.erase(std::remove_if(line.begin(), line.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }), line.end());
        const std::string cap = text::ascii_lower(line);
        const bool standard = cap == "scepstandard";
        caps.sha256 |= standard || cap == "sha-256";
        caps.aes |= standard || cap == "aes";
        caps.post |= standard || cap == "postpkioperation";
        caps.renewal |= cap == "renewal";
    }
    return caps;
}

namespace {

// An HTTP error means no capabilities too.
Capabilities get_capabilities(const transport::HttpClient& http, const std::string& url) {
    const auto response = http.get(with_query(url, "operation=GetCACaps"));
    return succeeded(response) ? read_capabilities(response.body) : Capabilities{};
}

bool issued_by(X509* subject, X509* issuer) {
    const bool yes = X509_check_issued(issuer, subject) == X509_V_OK && X509_verify(subject, X509_get0_pubkey(issuer)) == 1;
    ERR_clear_error();
    return yes;
}

void add_signer(CaCertificates& certs, X509* cert) {
    if (X509_add_cert(certs.signers.get(), cert, X509_ADD_FLAG_UP_REF) != 1) crypto::fail("Keeping the SCEP CA certificates");
}

}  // namespace

// GetCACert (RFC 8894 section 4.2): the CA alone, or its RA certificates with it.
CaCertificates read_ca_certificates(const std::string& body) {
    CaCertificates certs;
    try {
        certs.all = certificate::parse_ca_response(body, "ca");
    } catch (const Error&) {
        bad_response("GetCACert's certificates could not be read");
    }
    certs.signers.reset(crypto::check(sk_X509_new_null(), "Keeping the SCEP CA certificates"));
    std::vector<X509*> ras;
    for (const auto& c : certs.all)
        if (X509_check_ca(c.get()) == 0) ras.push_back(c.get());
    if (ras.empty()) {
        // An issuing CA may come with its parents: it is the one that issued none of the others.
        for (const auto& c : certs.all)
            if (std::none_of(certs.all.begin(), certs.all.end(), [&](const Ptr<X509>& o) { return o != c && issued_by(o.get(), c.get()); })) {
                certs.ca = c.get();
                break;
            }
        if (certs.ca == nullptr) bad_response("GetCACert's certificates have no issuing CA");
        certs.recipient = certs.ca;
        add_signer(certs, certs.ca);
        return certs;
    }
    // RA mode (NDES): one RA certificate for encryption, others (or the same) for signing, all issued by the CA.
    for (X509* ra : ras)
        if (X509_get_key_usage(ra) & KU_KEY_ENCIPHERMENT) {
            certs.recipient = ra;
            break;
        }
    if (certs.recipient == nullptr) bad_response("GetCACert gave no RA certificate for encryption (key usage keyEncipherment)");
    for (const auto& c : certs.all)
        if (X509_check_ca(c.get()) != 0 && issued_by(certs.recipient, c.get())) certs.ca = c.get();
    if (certs.ca == nullptr) bad_response("the CA that issued the RA certificate " + subject_of(certs.recipient) + " is not among GetCACert's certificates");
    add_signer(certs, certs.ca);
    for (X509* ra : ras)
        if ((X509_get_key_usage(ra) & KU_DIGITAL_SIGNATURE) && issued_by(ra, certs.ca)) add_signer(certs, ra);
    return certs;
}

namespace {

CaCertificates get_ca_certificates(const transport::HttpClient& http, const std::string& url) {
    const auto response = http.get(with_query(url, "operation=GetCACert"));
    if (!succeeded(response)) bad_response("GetCACert answered HTTP " + std::to_string(response.status));
    const std::string type = response.content_type();
    if (type != "application/x-x509-ca-cert" && type != "application/x-x509-ca-ra-cert")
        bad_response("GetCACert answered " + text::quote(type) + ", not a CA certificate");
    return read_ca_certificates(response.body);
}

bool matches(X509* cert, const std::string& pin) {
    return pin == fingerprint(cert, pin.size() == 64 ? EVP_sha256() : EVP_sha1());
}

// The pin names the CA or one of its parents in GetCACert's answer: a certificate
// the server made up cannot chain to it.
void check_pin(const CaCertificates& certs, const std::string& pin, const std::string& whose) {
    X509* at = certs.ca;
    for (std::size_t hops = 0; at != nullptr && hops <= certs.all.size(); ++hops) {
        if (matches(at, pin)) return;
        X509* parent = nullptr;
        for (const auto& c : certs.all)
            if (c.get() != at && issued_by(at, c.get())) parent = c.get();
        at = parent;
    }
    throw Error(OCSCERT_E_CRYPTO, "CaFingerprintMismatch", "caFingerprint",
                "The SCEP CA's certificate " + subject_of(certs.ca) + " has the SHA-256 fingerprint " + fingerprint(certs.ca, EVP_sha256()) +
                    " (SHA-1 " + fingerprint(certs.ca, EVP_sha1()) + "), not " + whose + " " + pin +
                    "; nothing was sent. Compare with the fingerprint the CA's administrator reads out.");
}

struct Session {
    transport::HttpClient http;
    Capabilities caps;
    CaCertificates ca;
    const EVP_MD* md = nullptr;
};

Session open(const Options& options, Progress& progress) {
    Session s{transport::HttpClient(options.http), {}, {}, nullptr};
    progress.throw_if_cancelled();
    progress.report("Contacting the SCEP CA", "GetCACaps at " + transport::url_host(options.url), 10);
    s.caps = get_capabilities(s.http, options.url);
    s.md = s.caps.sha256 ? EVP_sha256() : EVP_sha1();
    progress.throw_if_cancelled();
    progress.report("Contacting the SCEP CA", "GetCACert", 25);
    s.ca = get_ca_certificates(s.http, options.url);
    return s;
}

Ptr<X509_REQ> read_request(const std::string& pem, EVP_PKEY* key) {
    auto bio = memory(pem, "Reading the request");
    Ptr<X509_REQ> req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (!req) invalid("requestPem", "InvalidRequest", "The stored request is not a PEM certificate request.");
    if (EVP_PKEY_eq(X509_REQ_get0_pubkey(req.get()), key) != 1) invalid("requestPem", "KeyMismatch", "The stored request is not for the stored key.");
    return req;
}

// RFC 8894 section 3.3.1: the challenge travels as the request's PKCS#9
// challengePassword, so the request is signed again. PrintableString when the
// password allows it (what older servers parse), else UTF8String.
void add_challenge(X509_REQ* req, const crypto::Secret& password, EVP_PKEY* key) {
    for (int at; (at = X509_REQ_get_attr_by_NID(req, NID_pkcs9_challengePassword, -1)) >= 0;) X509_ATTRIBUTE_free(X509_REQ_delete_attr(req, at));
    const std::string& p = password.bytes();
    const bool printable = std::all_of(p.begin(), p.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(" '()+,-./:=?").find(c) != std::string_view::npos;
    });
    crypto::check(X509_REQ_add1_attr_by_NID(req, NID_pkcs9_challengePassword, printable ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING,
                                            reinterpret_cast<const unsigned char*>(p.data()), static_cast<int>(p.size())),
                  "Adding the challenge password");
    crypto::check(X509_REQ_sign(req, key, EVP_sha256()), "Signing the request");
}

// Who signs our messages and receives the CA's encrypted answer (RFC 8894
// section 2.3): for a PKCSReq a transient self-signed certificate for a key
// that can decrypt, the request key if it is RSA, else a transient RSA key (an
// ECDSA key cannot receive the answer); for a RenewalReq the certificate it renews.
Signer make_signer(X509_REQ* req, EVP_PKEY* request_key, const EVP_MD* md) {
    constexpr const char* what = "Making the SCEP signer certificate";
    Signer s;
    s.key = request_key;
    if (EVP_PKEY_get_base_id(request_key) != EVP_PKEY_RSA) {
        s.own_key.reset(crypto::check(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048)), what));
        s.key = s.own_key.get();
    }
    s.cert.reset(crypto::check(X509_new(), what));
    X509* cert = s.cert.get();
    crypto::check(X509_set_version(cert, X509_VERSION_3), what);
    Ptr<BIGNUM> serial(crypto::check(BN_new(), what));
    crypto::check(BN_rand(serial.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), what);
    crypto::check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)), what);
    crypto::check(X509_set_subject_name(cert, X509_REQ_get_subject_name(req)), what);
    crypto::check(X509_set_issuer_name(cert, X509_REQ_get_subject_name(req)), what);
    // An hour back for clock skew; a day is more than one exchange needs.
    crypto::check(X509_gmtime_adj(X509_getm_notBefore(cert), -3600), what);
    crypto::check(X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600), what);
    crypto::check(X509_set_pubkey(cert, s.key), what);
    crypto::check(X509_sign(cert, s.key, md), what);
    return s;
}

// RFC 8894 section 3.3.1.2: a RenewalReq is signed with the certificate it
// renews and that certificate's key (its signerInfo names the certificate by
// issuer and serial number, and the certificate travels in the SignedData), so
// the CA knows the requester without a challenge password; the CA's answer is
// encrypted to that certificate, whose key opens it.
Signer renewal_signer(const RenewalOf& renewal) {
    Signer s;
    s.own_key = renewal.private_key ? renewal.private_key() : nullptr;
    if (!s.own_key)
        invalid("renewalOf", "NoRenewalKey",
                "The key of the certificate being renewed, " + subject_of(renewal.certificate) + ", could not be read; it signs the renewal.");
    if (EVP_PKEY_eq(X509_get0_pubkey(renewal.certificate), s.own_key.get()) != 1) {
        ERR_clear_error();
        invalid("renewalOf", "KeyMismatch",
                "The certificate being renewed, " + subject_of(renewal.certificate) + ", is not for the key given with it.");
    }
    s.key = s.own_key.get();
    crypto::check(X509_up_ref(renewal.certificate), "Keeping the certificate being renewed");
    s.cert.reset(renewal.certificate);
    return s;
}

// Why the request cannot go as a RenewalReq signed with `renewed`, or "" if it can.
std::string no_renewal_because(const Capabilities& caps, X509* renewed) {
    if (!caps.renewal) return "the CA's GetCACaps does not list Renewal";
    // SCEP encrypts the answer to the signer by key transport, which only an RSA key can open.
    if (EVP_PKEY_get_base_id(X509_get0_pubkey(renewed)) != EVP_PKEY_RSA)
        return "the certificate being renewed is not for an RSA key, which could not open the CA's answer";
    // A CA accepts no signature from a certificate that has expired (or is not valid yet).
    const bool current = X509_cmp_current_time(X509_get0_notAfter(renewed)) > 0 && X509_cmp_current_time(X509_get0_notBefore(renewed)) < 0;
    ERR_clear_error();
    if (!current) return "the certificate being renewed is not valid now";
    return {};
}

// The pkcsPKIEnvelope: `content` encrypted to the CA (or its RA), addressed by issuer and serial number.
std::string envelope(const std::string& content, X509* recipient, bool aes) {
    constexpr const char* what = "Making the SCEP envelope";
    crypto::CertificateStack recipients(crypto::check(sk_X509_new_null(), what));
    crypto::check(X509_add_cert(recipients.get(), recipient, X509_ADD_FLAG_UP_REF), what);
    auto in = memory(content, what);
    // RFC 8894 section 3.5.2: "AES" means AES-128-CBC; without it, triple DES, which every SCEP CA takes.
    Ptr<CMS_ContentInfo> cms(crypto::check(CMS_encrypt(recipients.get(), in.get(), aes ? EVP_aes_128_cbc() : EVP_des_ede3_cbc(), CMS_BINARY), what));
    return crypto::to_der(cms.get(), i2d_CMS_ContentInfo, what);
}

// The pkiMessage: SignedData over the envelope, with SCEP's attributes.
Message pki_message(const std::string& envelope_der, const char* message_type, const std::string& transaction_id, const Signer& signer,
                    const EVP_MD* md) {
    constexpr const char* what = "Signing the SCEP message";
    Message m{{}, transaction_id, std::string(16, '\0')};
    crypto::check(RAND_bytes(reinterpret_cast<unsigned char*>(m.nonce.data()), static_cast<int>(m.nonce.size())), what);
    Ptr<CMS_ContentInfo> cms(crypto::check(CMS_sign(nullptr, nullptr, nullptr, nullptr, CMS_PARTIAL | CMS_BINARY), what));
    CMS_SignerInfo* si = crypto::check(CMS_add1_signer(cms.get(), signer.cert.get(), signer.key, md, CMS_BINARY | CMS_NOSMIMECAP), what);
    const auto add = [&](const char* id, int type, const std::string& value) {
        crypto::check(CMS_signed_add1_attr_by_OBJ(si, oid(id).get(), type, value.data(), static_cast<int>(value.size())), what);
    };
    add(oid_message_type, V_ASN1_PRINTABLESTRING, message_type);
    add(oid_transaction_id, V_ASN1_PRINTABLESTRING, transaction_id);
    add(oid_sender_nonce, V_ASN1_OCTET_STRING, m.nonce);
    auto content = memory(envelope_der, what);
    crypto::check(CMS_final(cms.get(), content.get(), nullptr, CMS_BINARY), what);
    m.der = crypto::to_der(cms.get(), i2d_CMS_ContentInfo, what);
    return m;
}

// A signed attribute's value, "" unless it is there once, with one value of `type`.
std::string attribute(CMS_SignerInfo* si, const char* id, int type) {
    const auto* value = static_cast<const ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(si, oid(id).get(), -3, type));
    ERR_clear_error();
    if (value == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)), static_cast<std::size_t>(ASN1_STRING_length(value)));
}

// failInfo (RFC 8894 section 3.2.1.4) as a reason token and what an admin can do about it.
Outcome denied(const std::string& fail_info) {
    Outcome o;
    o.disposition = Disposition::Denied;
    if (fail_info == "0") {
        o.reason = "BadAlgorithm";
        o.detail = "badAlg: the CA does not accept the algorithms its own GetCACaps offered; check the CA's SCEP configuration.";
    } else if (fail_info == "1") {
        o.reason = "BadMessageCheck";
        o.detail = "badMessageCheck: the CA could not verify or decrypt the message; if its certificate was renewed, submit the request again.";
    } else if (fail_info == "2") {
        o.reason = "BadRequest";
        o.detail = "badRequest: usually a wrong, already used or expired challenge password, or the CA's policy does not allow this request.";
    } else if (fail_info == "3") {
        o.reason = "BadTime";
        o.detail = "badTime: the CA finds the message's time wrong; check this server's clock.";
    } else if (fail_info == "4") {
        o.reason = "BadCertId";
        o.detail = "badCertId: the CA does not know the request asked about; submit it again.";
    } else {
        o.reason = "Refused";
        o.detail = "the CA gave no reason SCEP defines (failInfo " + text::quote(fail_info) + ").";
    }
    return o;
}

// Sends one pkiMessage and reads the CertRep (RFC 8894 section 3.3.2).
Outcome exchange(const Session& s, const std::string& url, const Message& message, const Signer& signer, EVP_PKEY* request_key) {
    transport::HttpResponse response;
    if (s.caps.post) {
        response = s.http.post(with_query(url, "operation=PKIOperation"), message.der, "application/x-pki-message");
    } else {
        std::string base64(4 * ((message.der.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
        base64.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()),
                                                               reinterpret_cast<const unsigned char*>(message.der.data()),
                                                               static_cast<int>(message.der.size()))));
        response = s.http.get(with_query(url, "operation=PKIOperation&message=" + url_encode(base64)));
    }
    if (!succeeded(response)) bad_response("PKIOperation answered HTTP " + std::to_string(response.status));
    if (response.content_type() != "application/x-pki-message")
        bad_response("PKIOperation answered " + text::quote(response.content_type()) + ", not a SCEP message");
    return read_cert_rep(response.body, s.ca, message, signer, request_key);
}

}  // namespace

Outcome read_cert_rep(const std::string& body, const CaCertificates& ca, const Message& message, const Signer& signer, EVP_PKEY* request_key) {
    constexpr const char* what = "Reading the SCEP answer";
    auto in = memory(body, what);
    Ptr<CMS_ContentInfo> reply(d2i_CMS_bio(in.get(), nullptr));
    if (!reply || OBJ_obj2nid(CMS_get0_type(reply.get())) != NID_pkcs7_signed) bad_response("the CertRep is not a CMS signed message");
    // Only the CA or its RA may have signed it, never a certificate the message brings along.
    // FAILURE and PENDING carry no content: their signature covers the empty string.
    const std::string nothing;
    auto empty = memory(nothing, what);
    auto content = memory_sink(what);
    const bool detached = CMS_is_detached(reply.get()) == 1;
    if (CMS_verify(reply.get(), ca.signers.get(), nullptr, detached ? empty.get() : nullptr, content.get(),
                   CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN | CMS_BINARY) != 1)
        bad_response("the CertRep is not signed by the CA or its RA");
    STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(reply.get());
    if (sk_CMS_SignerInfo_num(infos) != 1) bad_response("the CertRep has more than one signer");
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
    if (attribute(si, oid_message_type, V_ASN1_PRINTABLESTRING) != type_cert_rep) bad_response("the answer is not a CertRep");
    if (attribute(si, oid_transaction_id, V_ASN1_PRINTABLESTRING) != message.transaction_id) bad_response("the CertRep is for another transaction");
    if (attribute(si, oid_recipient_nonce, V_ASN1_OCTET_STRING) != message.nonce) bad_response("the CertRep does not answer this message (a replay?)");

    // pkiStatus (RFC 8894 section 3.2.1.3): 0 SUCCESS, 2 FAILURE, 3 PENDING.
    const std::string status = attribute(si, oid_pki_status, V_ASN1_PRINTABLESTRING);
    if (status == "2") return denied(attribute(si, oid_fail_info, V_ASN1_PRINTABLESTRING));
    Outcome outcome;
    if (status == "3") {
        outcome.disposition = Disposition::Pending;
        outcome.ca_request_id = message.transaction_id;
        outcome.poll_state = {{"transactionId", message.transaction_id}, {"caFingerprint", fingerprint(ca.ca, EVP_sha256())}};
        return outcome;
    }
    if (status != "0") bad_response("the CertRep's status " + text::quote(status) + " is not one SCEP defines");

    // SUCCESS: a certificates-only PKCS#7 in an envelope for our signer certificate.
    const std::string sealed_der = crypto::bio_contents(content.get());
    auto sealed = memory(sealed_der, what);
    // scepserver answers with single DES whatever the request used: opened with the legacy algorithms.
    CMS_ContentInfo* parsed = crypto::check(CMS_ContentInfo_new_ex(crypto::legacy_context(), nullptr), what);
    Ptr<CMS_ContentInfo> env(d2i_CMS_bio(sealed.get(), &parsed));
    if (!env) CMS_ContentInfo_free(parsed);  // null if decoding freed it, still ours if reading failed
    auto plain = memory_sink(what);
    if (!env || OBJ_obj2nid(CMS_get0_type(env.get())) != NID_pkcs7_enveloped ||
        CMS_decrypt(env.get(), signer.key, signer.cert.get(), nullptr, plain.get(), CMS_BINARY) != 1)
        bad_response("the issued certificate's envelope could not be opened with this message's key");
    std::vector<Ptr<X509>> issued;
    try {
        issued = certificate::parse_ca_response(crypto::bio_contents(plain.get()), "ca");
    } catch (const Error&) {
        bad_response("the issued certificates could not be read");
    }
    // Ours (the one for our key) first, then what came with it, then the CA's certificates not already there.
    const auto ours = std::stable_partition(issued.begin(), issued.end(),
                                            [&](const Ptr<X509>& c) { return EVP_PKEY_eq(X509_get0_pubkey(c.get()), request_key) == 1; });
    if (ours == issued.begin()) bad_response("none of the issued certificates is for this request's key");
    std::vector<X509*> chain;
    for (const auto& c : issued) chain.push_back(c.get());
    std::vector<X509*> ca_certs{ca.ca};
    for (const auto& c : ca.all)
        if (c.get() != ca.ca && X509_check_ca(c.get()) != 0) ca_certs.push_back(c.get());
    for (X509* c : ca_certs)
        if (std::none_of(chain.begin(), chain.end(), [&](X509* o) { return X509_cmp(o, c) == 0; })) chain.push_back(c);
    for (X509* c : chain) outcome.certificates_pem += certificate::to_pem(c);
    outcome.disposition = Disposition::Issued;
    return outcome;
}

namespace {

std::string der_length(std::size_t n) {
    if (n < 128) return std::string(1, static_cast<char>(n));
    std::string bytes;
    for (; n > 0; n >>= 8) bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
    return static_cast<char>(0x80 | bytes.size()) + bytes;
}

// IssuerAndSubject (RFC 8894 section 3.3.3): SEQUENCE { issuer Name, subject Name }.
std::string issuer_and_subject(X509* ca, X509_REQ* req) {
    const std::string body = crypto::to_der(X509_get_subject_name(ca), i2d_X509_NAME, "Encoding a name") +
                             crypto::to_der(X509_REQ_get_subject_name(req), i2d_X509_NAME, "Encoding a name");
    return "\x30" + der_length(body.size()) + body;
}

// Whatever a server echoes, a message never shows the challenge password.
template <typename F> Outcome without_secret(const Options& options, F&& work) {
    try {
        return work();
    } catch (const Error& e) {
        const std::string* secret = options.challenge_password ? &options.challenge_password->bytes() : nullptr;
        std::string message = e.what();
        if (secret == nullptr || secret->empty() || message.find(*secret) == std::string::npos) throw;
        for (std::size_t at; (at = message.find(*secret)) != std::string::npos;) message.replace(at, secret->size(), "(hidden)");
        throw Error(e.code(), e.reason(), e.field(), message);
    }
}

// What a RenewalReq adds to the CA's answer. Pending: the signer's fingerprint,
// as later polls must sign with it again. Denied: which certificate signed it,
// and whether this CA issued it, as a CA renews only certificates it issued.
void note_renewal(Outcome& outcome, const CaCertificates& ca, X509* renewed) {
    const std::string signer_fingerprint = fingerprint(renewed, EVP_sha256());
    if (outcome.disposition == Disposition::Pending) outcome.poll_state["renewalOf"] = signer_fingerprint;
    if (outcome.disposition != Disposition::Denied) return;
    outcome.detail +=
        " The request was a renewal (RenewalReq) signed with the certificate " + subject_of(renewed) + " (SHA-256 " + signer_fingerprint + ")";
    if (issued_by(renewed, ca.ca))
        outcome.detail += ", which this CA issued; if the CA wants a challenge password for renewals too, give it.";
    else
        outcome.detail += ", which this CA (" + subject_of(ca.ca) + ") did not issue, issuer " +
                          text::quote(certificate::name_text(X509_get_issuer_name(renewed))) +
                          ": a CA renews only certificates it issued; enrol anew with a challenge password.";
}

}  // namespace

Outcome enroll(const Options& options, const std::string& request_pem, EVP_PKEY* key, Progress& progress) {
    return without_secret(options, [&] {
        const std::string pin = options.ca_fingerprint.empty() ? std::string() : normalized_fingerprint(options.ca_fingerprint);
        auto req = read_request(request_pem, key);
        const Session s = open(options, progress);
        if (!pin.empty()) check_pin(s.ca, pin, "the pinned");
        X509* const renewed = options.renewal_of != nullptr ? options.renewal_of->certificate : nullptr;
        const std::string no_renewal = renewed != nullptr ? no_renewal_because(s.caps, renewed) : std::string();
        const bool renewal = renewed != nullptr && no_renewal.empty();
        // A renewal needs no challenge password; one that is given still goes along, for CAs that want it then too.
        if (options.challenge_password != nullptr) add_challenge(req.get(), *options.challenge_password, key);
        const Signer signer = renewal ? renewal_signer(*options.renewal_of) : make_signer(req.get(), key, s.md);
        // RFC 8894 section 3.2.1.1: a hash of the public key, the same for every message about this request.
        const std::string transaction_id = crypto::public_key_sha256(key);
        const crypto::Secret request_der(crypto::to_der(req.get(), i2d_X509_REQ, "Encoding the request"));
        const Message message = pki_message(envelope(request_der.bytes(), s.ca.recipient, s.caps.aes), renewal ? type_renewal_req : type_pkcs_req,
                                            transaction_id, signer, s.md);
        progress.throw_if_cancelled();
        progress.report("Sending the request",
                        std::string(renewal ? "RenewalReq" : "PKCSReq") + " to " + transport::url_host(options.url) +
                            (no_renewal.empty() ? "" : " (not as a renewal: " + no_renewal + ")"),
                        50);
        auto outcome = exchange(s, options.url, message, signer, key);
        if (renewal) note_renewal(outcome, s.ca, renewed);
        progress.report("Sending the request", "The CA answered", 100);
        return outcome;
    });
}

Outcome poll(const Options& options, const json& poll_state, const std::string& request_pem, EVP_PKEY* key, Progress& progress) {
    return without_secret(options, [&] {
        const auto member = [&](const char* name) {
            const auto it = poll_state.is_object() ? poll_state.find(name) : poll_state.end();
            return it != poll_state.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        const std::string transaction_id = member("transactionId");
        if (transaction_id.empty()) invalid("pollState", "NothingToPoll", "The request has no SCEP transaction to ask about; submit it instead.");
        const std::string pin = options.ca_fingerprint.empty() ? std::string() : normalized_fingerprint(options.ca_fingerprint);
        const std::string sent_to = member("caFingerprint").empty() ? std::string() : normalized_fingerprint(member("caFingerprint"));
        // A renewal is asked about signed as it was sent: the CA answers to that certificate only.
        const std::string renewal_signed_by = member("renewalOf");
        X509* const renewed = options.renewal_of != nullptr ? options.renewal_of->certificate : nullptr;
        if (!renewal_signed_by.empty() && (renewed == nullptr || fingerprint(renewed, EVP_sha256()) != renewal_signed_by))
            invalid("renewalOf", "RenewalCertificateMismatch",
                    "The request went to the CA as a renewal signed with the certificate whose SHA-256 fingerprint is " + renewal_signed_by +
                        ", and the CA answers only to that certificate; " +
                        (renewed == nullptr ? std::string("none was given")
                                            : "the one given, " + subject_of(renewed) + ", has " + fingerprint(renewed, EVP_sha256())) +
                        ". Nothing was sent.");
        auto req = read_request(request_pem, key);
        const Session s = open(options, progress);
        if (!pin.empty()) check_pin(s.ca, pin, "the pinned");
        // The CA asked later must be the one the request went to.
        if (!sent_to.empty()) check_pin(s.ca, sent_to, "that of the CA the request was sent to,");
        const bool renewal = !renewal_signed_by.empty();
        const Signer signer = renewal ? renewal_signer(*options.renewal_of) : make_signer(req.get(), key, s.md);
        const Message message =
            pki_message(envelope(issuer_and_subject(s.ca.ca, req.get()), s.ca.recipient, s.caps.aes), type_cert_poll, transaction_id, signer, s.md);
        progress.throw_if_cancelled();
        progress.report("Asking the CA again", "CertPoll to " + transport::url_host(options.url), 50);
        auto outcome = exchange(s, options.url, message, signer, key);
        if (renewal) note_renewal(outcome, s.ca, renewed);
        progress.report("Asking the CA again", "The CA answered", 100);
        return outcome;
    });
}

}  // namespace ocscert::ca::scep
