#include "certificate/ca_response.hpp"

#include <algorithm>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "core/error.hpp"

namespace ocscert::certificate {

using crypto::Ptr;

namespace {

const char* accepted = "Expected a PEM or DER certificate, a PEM chain, or a PKCS#7 (.p7b) file from the CA.";

[[noreturn]] void refuse(const std::string& field, const std::string& reason, const std::string& what) {
    ERR_clear_error();
    invalid(field, reason, what + " " + accepted);
}

void check_count(std::size_t count, const std::string& field, const ResponseLimits& limits) {
    if (count > limits.max_certificates) {
        ERR_clear_error();
        invalid(field, "TooManyCertificates",
               "The answer holds " + std::to_string(count) + " certificates; at most " + std::to_string(limits.max_certificates) +
                   " are accepted: the certificate and the CAs that issued it. Ask the CA for the certificate with its chain only.");
    }
}

std::vector<Ptr<X509>> from_pkcs7(PKCS7* p7, const std::string& field, const ResponseLimits& limits) {
    if (!PKCS7_type_is_signed(p7) || p7->d.sign == nullptr) refuse(field, "InvalidResponse", "The PKCS#7 data is not a signed-data bundle.");
    STACK_OF(X509)* certs = p7->d.sign->cert;
    check_count(static_cast<std::size_t>(std::max(0, sk_X509_num(certs))), field, limits);
    std::vector<Ptr<X509>> out;
    for (int i = 0; i < sk_X509_num(certs); ++i) {
        X509* cert = sk_X509_value(certs, i);
        X509_up_ref(cert);
        out.emplace_back(cert);
    }
    if (out.empty()) refuse(field, "NoCertificate", "The PKCS#7 bundle holds no certificate.");
    return out;
}

Ptr<BIO> memory(const std::string& bytes) {
    return Ptr<BIO>(crypto::check(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), "Reading the response"));
}

}  // namespace

std::vector<Ptr<X509>> parse_ca_response(const std::string& bytes, const std::string& field, const ResponseLimits& limits) {
    if (bytes.empty()) refuse(field, "InvalidResponse", "The response is empty.");
    if (bytes.size() > limits.max_bytes)
        invalid(field, "ResponseTooLarge",
                "The answer is " + std::to_string(bytes.size()) + " bytes; at most " + std::to_string(limits.max_bytes) +
                    " are accepted: the certificate and the CAs that issued it.");

    if (bytes.find("-----BEGIN ") != std::string::npos) {
        if (bytes.find("-----BEGIN PKCS7-----") != std::string::npos) {
            auto bio = memory(bytes);
            Ptr<PKCS7> p7(PEM_read_bio_PKCS7(bio.get(), nullptr, nullptr, nullptr));
            if (!p7) refuse(field, "InvalidResponse", "The PEM PKCS#7 block is damaged or truncated.");
            return from_pkcs7(p7.get(), field, limits);
        }
        // Every CERTIFICATE block must parse: a truncated chain is refused, not shortened.
        std::vector<Ptr<X509>> out;
        std::size_t blocks = 0;
        for (std::size_t at = bytes.find("-----BEGIN CERTIFICATE-----"); at != std::string::npos;
             at = bytes.find("-----BEGIN CERTIFICATE-----", at + 1))
            ++blocks;
        check_count(blocks, field, limits);  // before parsing them all
        auto bio = memory(bytes);
        while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(cert);
        ERR_clear_error();  // the loop ends on "no start line"
        if (blocks == 0) refuse(field, "NoCertificate", "The PEM text holds no CERTIFICATE block.");
        if (out.size() != blocks)
            refuse(field, "InvalidResponse", "Certificate " + std::to_string(out.size() + 1) + " of " + std::to_string(blocks) + " in the PEM text is damaged or truncated.");
        return out;
    }

    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const long size = static_cast<long>(bytes.size());
    if (Ptr<X509> cert{d2i_X509(nullptr, &p, size)}; cert && p == reinterpret_cast<const unsigned char*>(bytes.data()) + size) {
        std::vector<Ptr<X509>> out;
        out.push_back(std::move(cert));
        return out;
    }
    p = reinterpret_cast<const unsigned char*>(bytes.data());
    if (Ptr<PKCS7> p7{d2i_PKCS7(nullptr, &p, size)}) return from_pkcs7(p7.get(), field, limits);
    refuse(field, "InvalidResponse", "The file is not a certificate the CA could have sent, or it is truncated.");
}

std::string to_pem(X509* certificate) {
    Ptr<BIO> bio(crypto::check(BIO_new(BIO_s_mem()), "Creating a buffer"));
    crypto::check(PEM_write_bio_X509(bio.get(), certificate), "Encoding a certificate");
    return crypto::bio_contents(bio.get());
}

}  // namespace ocscert::certificate
