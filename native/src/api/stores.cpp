#include "api/stores.hpp"

#include "core/error.hpp"

namespace ocscert::api {

namespace fs = std::filesystem;

Stores::Stores(const ocscert_context& context)
    : root(context.store_path),
      requests(root),
      certificates(store::open_certificate_store(root)),
      bindings(root, *certificates) {}

std::vector<std::string> missing_store_warnings(const fs::path& root, std::string_view holds) {
    std::error_code ec;
    if (fs::exists(root, ec) || ec) return {};  // could not tell: the listing's own reads say more
    return {"The store '" + root.u8string() + "' does not exist; it holds no " + std::string(holds) + "."};
}

void check_store_path(const fs::path& root) {
    // The nearest part of the path that exists must be a folder: the store is made below it when first needed.
    fs::path existing = root;
    for (;;) {
        std::error_code ec;
        const auto type = fs::status(existing, ec).type();
        if (type == fs::file_type::directory) return;
        if (type != fs::file_type::not_found) {
            if (type == fs::file_type::none || type == fs::file_type::unknown) return;  // cannot tell (access): the operation's own error says more
            break;
        }
        if (!existing.has_relative_path()) return;
        existing = existing.parent_path();
    }
    std::error_code ec;
    const std::string what = fs::is_regular_file(existing, ec) ? "a file, not a folder" : "not a folder";
    const bool itself = existing == root || (!root.has_filename() && existing == root.parent_path());  // "/srv/store.pem/" names the file too
    throw Error(OCSCERT_E_INVALID_ARGUMENT, "StoreNotAFolder", "storePath",
                itself ? "The store path '" + root.u8string() + "' is " + what + "; give a folder for the store (it is made when first needed)."
                       : "The store path '" + root.u8string() + "' lies below '" + existing.u8string() + "', which is " + what +
                             "; give a folder for the store (it is made when first needed).");
}

std::string unreadable_warning(const store::UnreadableEntry& entry, std::string_view what) {
    return entry.file + " cannot be read: " + entry.reason + "; the " + std::string(what) + " is left out of this list (the store was left as it is).";
}

}  // namespace ocscert::api
