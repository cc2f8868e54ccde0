#include "request/san_extension.hpp"

#include <algorithm>

#include <gsl/narrow>

#include "core/error.hpp"

namespace ocscert::request {

crypto::Ptr<GENERAL_NAMES> make_general_names(const std::vector<names::ResolvedName>& names) {
    crypto::Ptr<GENERAL_NAMES> gens(crypto::check(sk_GENERAL_NAME_new_null(), "Creating the name list"));
    for (const auto& entry : names) {
        crypto::Ptr<ASN1_STRING> dns(crypto::check(ASN1_IA5STRING_new(), "Creating a DNS name"));
        crypto::check(ASN1_STRING_set(dns.get(), entry.name.data(), gsl::narrow<int>(entry.name.size())), "Setting a DNS name");
        crypto::Ptr<GENERAL_NAME> gen(crypto::check(GENERAL_NAME_new(), "Creating a general name"));
        GENERAL_NAME_set0_value(gen.get(), GEN_DNS, dns.release());
        crypto::check(sk_GENERAL_NAME_push(gens.get(), gen.get()), "Adding a DNS name");
        gen.release();  // owned by the stack now
    }
    return gens;
}

std::size_t san_extension_size(const std::vector<names::ResolvedName>& names) {
    auto gens = make_general_names(names);
    return static_cast<std::size_t>(crypto::check(i2d_GENERAL_NAMES(gens.get(), nullptr), "Encoding the alternative names"));
}

std::size_t check_san_extension_size(const std::vector<names::ResolvedName>& names) {
    const std::size_t size = san_extension_size(names);
    if (size <= max_san_extension_bytes) return size;
    const bool sip = std::any_of(names.begin(), names.end(), [](const auto& n) { return n.source == "SipDomain"; });
    invalid(sip ? "sipDomain" : "domainName", "SanExtensionTooLarge",
            "The " + std::to_string(names.size()) + " alternative names encode to " + std::to_string(size) +
                " bytes; a Windows enterprise CA refuses more than 4096. Use fewer SIP domains or names, or several certificates.");
}

}  // namespace ocscert::request
