// CA addresses as -CA takes them (acme:https://..., scep:https://..., the wizard's CAHOST\CA name),
// and host:port as -HttpListener and -Peer take them.
#include "ca/ca_address.hpp"
#include "core/host_port.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ocscert;
    const std::string text = fuzz::bytes(data, size);
    fuzz::refuse_only_with_error([&] {
        const auto address = ca::parse_ca_address(text, "ca");
        fuzz::require(address.protocol != nullptr, "an accepted address has a protocol");
        // What is stored is read again by later commands: it must parse to itself.
        const auto again = ca::parse_ca_address(address.text(), "ca");
        fuzz::require(again.text() == address.text(), "a CA address reads back as itself");
    });
    fuzz::refuse_only_with_error([&] {
        const auto hp = parse_host_port(text, "peer", "InvalidPeer", "Give host:port.");
        fuzz::require(!hp.host.empty() && !hp.port.empty(), "an accepted host:port has both parts");
    });
    return 0;
}
