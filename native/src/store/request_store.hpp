#pragma once
// Pending certificate requests: each one a folder requests/<id>/ holding the
// record (profile and metadata), the owner-only private key and the request.
//
// Writers hold the store lock. A request folder is built under a hidden
// staging name and renamed into place, and removed by renaming it away first,
// so a reader or a process killed at any instant sees a request either
// complete or not at all. Leftovers of killed writers are swept under the lock.
// A request whose id an installed certificate records is completed: it is
// no longer listed, and the next writer sweeps its folder.
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"
#include "store/request_record.hpp"
#include "store/store_files.hpp"

namespace ocscert::store {

namespace fs = std::filesystem;

struct NewRequest {
    RequestRecord record;
    const crypto::Secret* private_key_pem;
    std::string request_pem;
};

class RequestStore {
public:
    explicit RequestStore(fs::path root);

    const fs::path& root() const noexcept { return root_; }

    // A fresh id: eight hex digits not used by any request in the store.
    std::string new_id() const;

    // Adds the request durably. `before_commit` runs under the lock just before
    // the request becomes visible; if it throws, nothing is added.
    template <typename F> void add(const NewRequest& request, F before_commit);

    // Oldest first. A request whose record cannot be read is left out, and added to `unreadable`
    // when that is given.
    std::vector<RequestRecord> list(std::vector<UnreadableEntry>* unreadable = nullptr) const;
    RequestRecord get(const std::string& id) const;  // throws NotFound, or RequestUnreadable
    void remove(const std::string& id);               // throws NotFound

    // Replaces the record of request `id` (its key and request stay) in one
    // step under the lock: what a submission learns from the CA. Throws NotFound.
    void update(const RequestRecord& record);

    // The request's private key, for signing (SCEP) and for the certificate it becomes.
    crypto::Secret key_pem(const std::string& id) const;
    crypto::Ptr<EVP_PKEY> private_key(const std::string& id) const;

    // remove() for a caller that holds the store lock already (completing a request).
    void remove_while_locked(const std::string& id);

private:
    void add_locked(const NewRequest& request, void (*hook)(void*), void* hook_state);
    fs::path requests_dir() const { return root_ / "requests"; }

    fs::path root_;
};

template <typename F> void RequestStore::add(const NewRequest& request, F before_commit) {
    add_locked(request, [](void* f) { (*static_cast<F*>(f))(); }, &before_commit);
}

// True if `id` has the shape of a request id (and so cannot escape the store folder).
bool is_valid_id(const std::string& id);

}  // namespace ocscert::store
