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

namespace ocscert::binding {

struct PeerOptions {
    std::string address;      // host:port
    std::string expected_name;  // the name the peer's certificate must carry; default: the host part
    std::chrono::milliseconds timeout{5000};
};

std::vector<Check> probe_peer(const store::InstalledCertificate& mine, const CheckOptions& trust, const PeerOptions& peer);

}  // namespace ocscert::binding
