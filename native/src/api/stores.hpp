#pragma once
// The stores an operation works on, opened once from the context's folder:
// pending requests, installed certificates (through the backend interface,
// so a Windows machine-store backend can take the place of the files) and
// role bindings. Also what every operation adds to a record it returns.
#include <filesystem>
#include <memory>

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

}  // namespace ocscert::api
