// PFX (PKCS#12) files as Import-OcsCertificate opens them. The seeds use the password below; a
// mutated file mostly fails its MAC, which is the first thing hostile bytes meet.
#include "certificate/pfx.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ocscert;
    fuzz::refuse_only_with_error([&] {
        const auto contents = certificate::read_pfx(fuzz::bytes(data, size), "S3cret", "path", "password");
        fuzz::require(contents.leaf != nullptr && !contents.private_key_pem.bytes().empty(), "an opened PFX has a certificate and a key");
    });
    return 0;
}
