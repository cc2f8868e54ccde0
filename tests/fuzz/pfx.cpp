// PFX (PKCS#12) files as Import-OcsCertificate opens them, with the seeds' password. A mutated file
// fails its MAC, the first thing hostile bytes meet; so a file that still decodes is read a second
// time with its MAC made again over the mutated content, and the bags behind the MAC are fuzzed too.
#include <openssl/pkcs12.h>

#include "certificate/pfx.hpp"
#include "fuzz_support.hpp"

namespace {

const char* const password = "S3cret";

void read(const std::string& bytes) {
    using namespace ocscert;
    fuzz::refuse_only_with_error([&] {
        const auto contents = certificate::read_pfx(bytes, password, "path", "password");
        fuzz::require(contents.leaf != nullptr && !contents.private_key_pem.bytes().empty(), "an opened PFX has a certificate and a key");
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using ocscert::crypto::Ptr;
    read(ocscert::fuzz::bytes(data, size));
    const unsigned char* at = data;
    Ptr<PKCS12> p12(d2i_PKCS12(nullptr, &at, static_cast<long>(size)));
    // One iteration: the MAC's strength does not matter here, the time does.
    if (!p12 || PKCS12_set_mac(p12.get(), password, -1, nullptr, 0, 1, nullptr) != 1) return 0;
    unsigned char* der = nullptr;
    const int length = i2d_PKCS12(p12.get(), &der);
    if (length > 0) read(std::string(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length)));
    OPENSSL_free(der);
    return 0;
}
