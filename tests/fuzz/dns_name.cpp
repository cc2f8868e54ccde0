// DNS names as every name input goes through normalize_dns_name (pool FQDN, SIP domains, machine
// names, extra names), international ones included.
#include "fuzz_support.hpp"
#include "names/dns_name.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ocscert;
    fuzz::refuse_only_with_error([&] {
        const std::string name = names::normalize_dns_name(fuzz::bytes(data, size), "poolFqdn");
        fuzz::require(!name.empty() && name.size() <= 253, "a normalized name has 1 to 253 characters");
        for (unsigned char c : name) fuzz::require(c < 0x80, "a normalized name is ASCII");
        // A name the store keeps is normalized again when read: it must stay the same.
        fuzz::require(names::normalize_dns_name(name, "poolFqdn") == name, "normalizing is idempotent");
    });
    return 0;
}
