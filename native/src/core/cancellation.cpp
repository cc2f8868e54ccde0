#include "core/cancellation.hpp"

#include "core/error.hpp"

namespace ocscert {

void Progress::throw_if_cancelled() const {
    if (cancelled()) throw Error(OCSCERT_E_CANCELLED, "Cancelled", "", "The operation was cancelled; nothing was written.");
}

}  // namespace ocscert
