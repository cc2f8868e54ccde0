#include "api/stores.hpp"

namespace ocscert::api {

Stores::Stores(const ocscert_context& context)
    : root(context.store_path),
      requests(root),
      certificates(store::open_certificate_store(root)),
      bindings(root, *certificates) {}

}  // namespace ocscert::api
