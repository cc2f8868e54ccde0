#include "binding/tls_probe.hpp"

#include <ctime>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "certificate/certificate_info.hpp"
#include "core/error.hpp"

namespace ocscert::binding {

using crypto::Ptr;

namespace {

std::string last_ssl_error() {
    std::string text;
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        const char* reason = ERR_reason_error_string(code);
        text += (text.empty() ? "" : "; ") + std::string(reason ? reason : "error " + std::to_string(code));
    }
    return text.empty() ? "the connection was closed" : text;
}

// What an alert from the peer most likely means for a pool server.
std::string explain(const std::string& error) {
    if (error.find("unsupported certificate") != std::string::npos || error.find("certificate unknown") != std::string::npos)
        return " The peer refused this server's certificate: does it allow client authentication, and does the peer trust its issuer?";
    if (error.find("certificate required") != std::string::npos) return " The peer wanted a client certificate and got none.";
    if (error.find("unknown ca") != std::string::npos) return " The peer does not trust the issuer of this server's certificate.";
    if (error.find("bad certificate") != std::string::npos) return " The peer rejected this server's certificate.";
    return "";
}

bool wait(BIO* bio, std::time_t deadline) { return BIO_wait(bio, deadline, 50) == 1; }

}  // namespace

HostPort parse_peer_address(const std::string& text, const std::string& field) {
    return parse_host_port(text, field, "InvalidPeer", "fe02.contoso.com:5061");
}

std::vector<Check> probe_peer(const store::CertificateStore& store, const store::InstalledCertificate& mine, const CheckOptions& trust,
                              const PeerOptions& peer) {
    std::vector<Check> out;
    ERR_clear_error();
    const std::string address = peer.address.host.find(':') == std::string::npos ? peer.address.host + ":" + peer.address.port
                                                                                 : "[" + peer.address.host + "]:" + peer.address.port;
    const std::string expected = peer.expected_name.empty() ? peer.address.host : peer.expected_name;
    const std::time_t deadline = std::time(nullptr) + std::max<long long>(1, std::chrono::duration_cast<std::chrono::seconds>(peer.timeout).count());

    // Our identity: the certificate, its chain and the key, as a service would load them.
    Ptr<SSL_CTX> ctx(crypto::check(SSL_CTX_new(TLS_client_method()), "Creating a TLS context"));
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    Ptr<EVP_PKEY> key;
    try {
        key = store.private_key(mine.record);
    } catch (const Error& e) {
        out.push_back({"PeerHandshake", false, std::string("This server's key cannot be used for TLS: ") + e.what()});
        return out;
    }
    if (SSL_CTX_use_certificate(ctx.get(), mine.leaf.get()) != 1 || SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1) {
        out.push_back({"PeerHandshake", false, "This server's certificate and key cannot be used for TLS: " + last_ssl_error() + "."});
        return out;
    }
    for (const auto& cert : mine.chain) SSL_CTX_add1_chain_cert(ctx.get(), cert.get());
    SSL_CTX_set_cert_store(ctx.get(), crypto::build_trust_store(trust.trust).release());  // the context owns it now
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);  // verified below, so a failure is reported, not fatal

    Ptr<BIO> conn(BIO_new_connect(address.c_str()));
    BIO_set_nbio(conn.get(), 1);
    // Non-blocking, so a silent peer costs the timeout at most, and a refusal fails at once.
    long connected = conn ? BIO_do_connect(conn.get()) : 0;
    while (connected <= 0 && conn && BIO_should_retry(conn.get()) && wait(conn.get(), deadline)) connected = BIO_do_connect(conn.get());
    if (connected <= 0) {
        out.push_back({"PeerConnect", false, "Cannot connect to " + address + ": " + last_ssl_error() + "."});
        return out;
    }
    out.push_back({"PeerConnect", true, "Connected to " + address + "."});

    Ptr<SSL> ssl(crypto::check(SSL_new(ctx.get()), "Creating a TLS connection"));
    SSL_set_bio(ssl.get(), conn.get(), conn.get());
    BIO* bio = conn.release();  // owned by ssl now
    SSL_set_tlsext_host_name(ssl.get(), expected.c_str());
    int rc = 0;
    while ((rc = SSL_connect(ssl.get())) != 1) {
        const int error = SSL_get_error(ssl.get(), rc);
        if ((error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) && wait(bio, deadline)) continue;
        const std::string why = error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? "timed out" : last_ssl_error();
        out.push_back({"PeerHandshake", false, "The TLS handshake with " + address + " failed: " + why + "." + explain(why)});
        return out;
    }

    // TLS 1.3 servers reject a client certificate after the handshake: read briefly to hear it.
    char byte = 0;
    const std::time_t listen_until = std::min(deadline, std::time(nullptr) + 1);
    std::string rejected;
    for (;;) {
        const int n = SSL_read(ssl.get(), &byte, 1);
        if (n > 0) continue;
        const int error = SSL_get_error(ssl.get(), n);
        if (error == SSL_ERROR_WANT_READ && BIO_wait(bio, listen_until, 50) == 1) continue;
        if (error == SSL_ERROR_SSL || error == SSL_ERROR_SYSCALL) rejected = last_ssl_error();
        break;
    }
    ERR_clear_error();
    if (!rejected.empty()) {
        out.push_back({"PeerHandshake", false, "The peer ended the connection after the handshake: " + rejected + "." + explain(rejected)});
        return out;
    }
    out.push_back({"PeerHandshake", true, std::string("Mutual TLS (") + SSL_get_version(ssl.get()) + ") with this server's certificate; the peer accepted it."});

    X509* theirs = SSL_get0_peer_certificate(ssl.get());
    const long verify = SSL_get_verify_result(ssl.get());
    if (!theirs) out.push_back({"PeerCertificateTrusted", false, "The peer sent no certificate."});
    else if (verify != X509_V_OK)
        out.push_back({"PeerCertificateTrusted", false, "The peer's certificate " + certificate::name_text(X509_get_subject_name(theirs)) +
                                                             " is not trusted here: " + X509_verify_cert_error_string(verify) + "."});
    else out.push_back({"PeerCertificateTrusted", true, "The peer's certificate chains to a trusted root."});
    if (theirs) {
        const bool match = X509_check_host(theirs, expected.c_str(), expected.size(), 0, nullptr) == 1;
        out.push_back({"PeerName", match, match ? "The peer's certificate carries " + expected + "."
                                               : "The peer's certificate does not carry " + expected + " (name mismatch)."});
    }
    SSL_shutdown(ssl.get());
    return out;
}

}  // namespace ocscert::binding
