#pragma once
// A real mutual-TLS handshake with a peer (another pool server, or any TLS
// endpoint that asks for a client certificate), using this server's
// certificate, chain and key, and reported as checks an admin reads: did we
// connect, did the handshake work, did the peer accept our certificate, is the
// peer's certificate trusted and does it carry the name we expected.
#include <chrono>
#include <string>
#include <vector>

#include "binding/certificate_checks.hpp"
#include "core/host_port.hpp"

namespace ocscert::binding {

struct PeerOptions {
    HostPort address;
    std::string expected_name;  // the name the peer's certificate must carry; default: the host part
    std::chrono::milliseconds timeout{5000};
};

// Parses the "peer" input (host:port), refusing anything else as InvalidPeer naming `field`.
HostPort parse_peer_address(const std::string& text, const std::string& field);

// `store` gives this server's key; `trust` the roots the peer's certificate must chain to.
std::vector<Check> probe_peer(const store::CertificateStore& store, const store::InstalledCertificate& mine, const CheckOptions& trust,
                              const PeerOptions& peer);

}  // namespace ocscert::binding
