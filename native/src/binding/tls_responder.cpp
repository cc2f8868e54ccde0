#include "binding/tls_responder.hpp"

#include <ctime>
#include <map>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "certificate/certificate_info.hpp"
#include "core/error.hpp"
#include "crypto/trust_store.hpp"

namespace ocscert::binding {

namespace {

std::mutex registry_mutex;
std::map<std::string, std::unique_ptr<TlsResponder>> registry;

std::string ssl_errors() {
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        const char* reason = ERR_reason_error_string(code);
        text += (text.empty() ? "" : "; ") + std::string(reason ? reason : "error " + std::to_string(code));
    }
    return text.empty() ? "the client closed the connection" : text;
}

// Notes the client's certificate and why it failed verification (the handshake then fails with the
// matching alert; OpenSSL keeps no peer certificate after that, so it is noted here).
int note_client_certificate(int preverify_ok, X509_STORE_CTX* store) {
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* seen = ssl ? static_cast<ResponderConnection*>(SSL_get_app_data(ssl)) : nullptr;
    if (!seen) return preverify_ok;
    if (X509* leaf = X509_STORE_CTX_get0_cert(store); leaf && seen->thumbprint.empty()) {
        seen->client = certificate::name_text(X509_get_subject_name(leaf));
        seen->thumbprint = certificate::describe(leaf).thumbprint;
    }
    if (!preverify_ok && seen->detail.empty())
        seen->detail = std::string("its certificate is not trusted here: ") + X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
    return preverify_ok;
}

}  // namespace

TlsResponder::TlsResponder(const store::CertificateStore& store, const store::InstalledCertificate& mine, const CheckOptions& trust,
                           const std::string& listen, std::chrono::seconds lifetime)
    : ctx_(crypto::check(SSL_CTX_new(TLS_server_method()), "Creating a TLS context")),
      socket_(parse_host_port(listen, "listen", "InvalidListener", "0.0.0.0:5061"), listen, "listen", "the mutual-TLS responder") {
    SSL_CTX_set_min_proto_version(ctx_.get(), TLS1_2_VERSION);
    const auto key = store.private_key(mine.record);
    if (SSL_CTX_use_certificate(ctx_.get(), mine.leaf.get()) != 1 || SSL_CTX_use_PrivateKey(ctx_.get(), key.get()) != 1) {
        ERR_clear_error();
        throw Error(OCSCERT_E_INVALID_ARGUMENT, "KeyMismatch", "thumbprint", "The certificate and its key cannot be used for TLS.");
    }
    for (const auto& cert : mine.chain) SSL_CTX_add1_chain_cert(ctx_.get(), cert.get());
    SSL_CTX_set_cert_store(ctx_.get(), crypto::build_trust_store(trust.trust).release());  // the context owns it now
    // As the pool's services: a client without a certificate that chains to our roots is refused in the handshake.
    SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, note_client_certificate);
    const auto until = std::chrono::steady_clock::now() + lifetime;
    thread_ = std::thread([this, until] { run(until); });
}

TlsResponder::~TlsResponder() {
    stop_ = true;
    socket_.wake();
    if (thread_.joinable()) thread_.join();
}

void TlsResponder::finish() {
    closing_ = true;
    socket_.wake();
    if (thread_.joinable()) thread_.join();
}

std::vector<ResponderConnection> TlsResponder::connections() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return connections_;
}

void TlsResponder::run(std::chrono::steady_clock::time_point until) {
    while (!stop_ && !closing_ && std::chrono::steady_clock::now() < until) {
        const int client = socket_.accept();
        if (client == -1) continue;
        serve(client);
        transport::close_socket(client);
    }
}

void TlsResponder::serve(int client) {
    ERR_clear_error();
    crypto::Ptr<SSL> ssl(SSL_new(ctx_.get()));
    if (!ssl) return;
    BIO* bio = BIO_new_socket(client, BIO_NOCLOSE);
    SSL_set_bio(ssl.get(), bio, bio);
    const std::time_t deadline = std::time(nullptr) + 5;
    ResponderConnection seen;
    SSL_set_app_data(ssl.get(), &seen);
    int rc = 0;
    while ((rc = SSL_accept(ssl.get())) != 1) {
        const int error = SSL_get_error(ssl.get(), rc);
        if ((error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) && !stop_ && BIO_wait(bio, deadline, 50) == 1) continue;
        break;
    }
    if (seen.thumbprint.empty()) seen.client = "a client without a certificate";
    if (rc == 1) {
        seen.accepted = true;
        seen.detail.clear();
        // A short answer, then close_notify, so the prober hears at once that it was accepted.
        static const char ok[] = "ocscert mutual TLS ok\n";
        SSL_write(ssl.get(), ok, sizeof ok - 1);
        SSL_shutdown(ssl.get());
    } else if (seen.detail.empty()) {
        seen.detail = ssl_errors();
    }
    ERR_clear_error();
    std::lock_guard<std::mutex> lock(mutex_);
    if (connections_.size() < 1000) connections_.push_back(std::move(seen));
}

void open_tls_responder(std::unique_ptr<TlsResponder> responder, const std::string& listen) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    registry[listen] = std::move(responder);  // reopening replaces
}

bool close_tls_responder(const std::string& listen, std::vector<ResponderConnection>& seen) {
    std::unique_ptr<TlsResponder> responder;
    {
        std::lock_guard<std::mutex> lock(registry_mutex);
        const auto it = registry.find(listen);
        if (it == registry.end()) return false;
        responder = std::move(it->second);
        registry.erase(it);
    }
    responder->finish();
    seen = responder->connections();
    return true;
}

}  // namespace ocscert::binding
