#pragma once
// The file backend of the certificate store: certificates/<THUMBPRINT>/
// holding certificate.json (the CertificateRecord), cert.pem, chain.pem and,
// when the key is here, the owner-only key.pem.
//
// Completing a request is one change for readers: the certificate folder is
// built under a staging name and renamed into place, and from that instant the
// request counts as completed (RequestStore hides requests whose id a
// certificate records) even if the process dies before the request folder is
// swept away.
#include "store/certificate_store.hpp"

namespace ocscert::store {

class FileCertificateStore final : public CertificateStore {
public:
    explicit FileCertificateStore(fs::path root);

    CertificateRecord install_from_request(const RequestRecord& request, X509* leaf, const std::vector<X509*>& chain) override;
    CertificateRecord install_imported(X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key, bool exportable,
                                       const std::string& friendly_name) override;
    void remove(const std::string& thumbprint, const std::function<bool(const std::string&)>& in_use) override;
    std::vector<CertificateRecord> list(std::vector<UnreadableEntry>* unreadable = nullptr) const override;
    bool contains(const std::string& thumbprint) const override;
    InstalledCertificate load(const std::string& thumbprint, const std::string& field) const override;
    crypto::Ptr<EVP_PKEY> private_key(const CertificateRecord& record) const override;
    crypto::Secret key_pem(const CertificateRecord& record, bool for_export, const std::string& field) const override;

private:
    void commit_locked(const CertificateRecord& record, X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key,
                       const std::string& field);
    crypto::Secret read_key(const CertificateRecord& record) const;
    fs::path certificates_dir() const { return root_ / "certificates"; }
    fs::path root_;
};

// Request ids that an installed certificate records as its origin.
std::vector<std::string> completed_request_ids(const fs::path& root);

}  // namespace ocscert::store
