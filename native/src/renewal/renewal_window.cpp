#include "renewal/renewal_window.hpp"

#include <cstdint>

#include "core/error.hpp"
#include "platform/platform.hpp"

namespace ocscert::renewal {

std::time_t renew_after(const certificate::CertificateInfo& info, std::chrono::seconds renew_before) {
    std::time_t from = 0, to = 0;
    if (!platform::parse_utc(info.not_before, from) || !platform::parse_utc(info.not_after, to))
        throw Error(OCSCERT_E_INTERNAL, "InvalidDate", "thumbprint", "The validity dates of " + info.thumbprint + " cannot be read.");
    const double lifetime = std::difftime(to, from);
    const double share = lifetime < 10 * 24 * 3600.0 ? 1.0 / 2 : 2.0 / 3;
    // The first 32 bits of the thumbprint (SHA-1, so evenly spread) pick the offset.
    const std::uint32_t bits = static_cast<std::uint32_t>(std::stoul(info.thumbprint.substr(0, 8), nullptr, 16));
    const double spread = lifetime / 20 * (bits / 4294967296.0);
    return from + static_cast<std::time_t>(lifetime * share - spread) - static_cast<std::time_t>(renew_before.count());
}

}  // namespace ocscert::renewal
