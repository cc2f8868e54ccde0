#pragma once
// The other end of probe_peer: a short-lived mutual-TLS server that presents
// one of this server's certificates and demands a client certificate that
// chains to this server's trust anchors, as the pool's services do. The pool
// test opens one on every member so that each can try every other with its own
// certificate even where the real services do not run; each connection's
// outcome is kept so the report can say which side refused whom and why.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "binding/certificate_checks.hpp"
#include "crypto/openssl_ptr.hpp"
#include "transport/tcp_listener.hpp"

namespace ocscert::binding {

struct ResponderConnection {
    std::string client;      // the client certificate's subject, or a note that it sent none
    std::string thumbprint;  // the client certificate's (pool members share a subject, so this tells them apart)
    bool accepted = false;
    std::string detail;  // why it was refused
};

class TlsResponder {
public:
    // Serves `mine` (key from `store`) on `listen` until destroyed or `lifetime` has passed.
    TlsResponder(const store::CertificateStore& store, const store::InstalledCertificate& mine, const CheckOptions& trust,
                 const std::string& listen, std::chrono::seconds lifetime);
    ~TlsResponder();
    TlsResponder(const TlsResponder&) = delete;
    TlsResponder& operator=(const TlsResponder&) = delete;

    std::vector<ResponderConnection> connections() const;
    // Stops taking connections, lets the one being served end (its handshake has a
    // deadline of its own), then returns: connections() is final after it. The
    // prober may hear the refusal before the responder has noted it.
    void finish();

private:
    void run(std::chrono::steady_clock::time_point until);
    void serve(int client);

    crypto::Ptr<SSL_CTX> ctx_;
    transport::TcpListener socket_;
    std::atomic<bool> stop_{false};     // end now, mid-handshake too
    std::atomic<bool> closing_{false};  // take no new connection
    mutable std::mutex mutex_;
    std::vector<ResponderConnection> connections_;
    std::thread thread_;
};

// Process-wide responders keyed by their listen address (a remoting session keeps its process between
// calls, so one call opens and a later one closes).
void open_tls_responder(std::unique_ptr<TlsResponder> responder, const std::string& listen);
// Closes it and returns what it saw; false when none was open there.
bool close_tls_responder(const std::string& listen, std::vector<ResponderConnection>& seen);

}  // namespace ocscert::binding
