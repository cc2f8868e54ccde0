// What a CA answers with (PEM or DER certificate, PEM chain, PKCS#7 PEM or DER), read as
// Complete-OcsCertificateRequest and the online CAs read it, then described as the store shows it.
#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ocscert;
    fuzz::refuse_only_with_error([&] {
        const auto certificates = certificate::parse_ca_response(fuzz::bytes(data, size), "response");
        fuzz::require(!certificates.empty(), "an accepted answer holds a certificate");
        for (const auto& c : certificates) {
            nlohmann::json shown = certificate::describe(c.get());
            certificate::to_pem(c.get());
            shown.dump();
        }
    });
    return 0;
}
