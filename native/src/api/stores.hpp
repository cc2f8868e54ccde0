#pragma once
// The stores an operation works on, opened once from the context's folder:
// pending requests, installed certificates (through the backend interface,
// so a Windows machine-store backend can take the place of the files) and
// role bindings. Also what every operation adds to a record it returns.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "binding/binding_store.hpp"
#include "store/certificate_store.hpp"
#include "store/request_store.hpp"

namespace ocscert::api {

struct Stores {
    explicit Stores(const ocscert_context& context);

    std::filesystem::path root;
    store::RequestStore requests;
    std::unique_ptr<store::CertificateStore> certificates;
    binding::BindingStore bindings;

    // A record as the C interface shows it: its JSON plus the store it is in.
    template <typename Record> nlohmann::json shown(const Record& record) const {
        nlohmann::json out = record;
        out["storePath"] = root.u8string();
        return out;
    }
};

// What a listing of `holds` (certificates, requests...) warns of when the store folder `root` does
// not exist: the list is empty, as on a fresh machine whose default store is not made yet, but a
// mistyped store path must not pass for an empty store.
std::vector<std::string> missing_store_warnings(const std::filesystem::path& root, std::string_view holds);

// Refuses a store path that exists but is not a folder, or lies below a file, naming the field
// storePath: every operation checks this first, so a file given as the store is never taken for
// an empty store (or made into one).
void check_store_path(const std::filesystem::path& root);

// A listing's warning for an entry it left out because it cannot be read (`what`: "certificate").
std::string unreadable_warning(const store::UnreadableEntry& entry, std::string_view what);

}  // namespace ocscert::api
