#pragma once
// When a certificate is due for renewal: at 2/3 of its lifetime (1/2 for one
// valid under 10 days), as certbot does, earlier by what the admin asks, and
// earlier still by a stable per-certificate offset of up to 1/20 of the
// lifetime, so a pool's members (each with its own certificate) do not all go
// to the CA in the same minute.
#include <chrono>
#include <ctime>

#include "certificate/certificate_info.hpp"

namespace ocscert::renewal {

// Throws Error(InvalidDate) if the certificate's dates cannot be read.
std::time_t renew_after(const certificate::CertificateInfo& info, std::chrono::seconds renew_before);

}  // namespace ocscert::renewal
