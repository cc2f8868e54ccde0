// When a certificate is due: 2/3 of its lifetime (1/2 under 10 days), less a
// stable per-certificate spread of at most 1/20, less what the admin asks.
#include "renewal/renewal_window.hpp"

#include <gtest/gtest.h>

#include "platform/platform.hpp"

namespace ocscert::renewal {
namespace {

certificate::CertificateInfo lifetime(const std::string& from, const std::string& to, const std::string& thumbprint) {
    certificate::CertificateInfo info;
    info.not_before = from;
    info.not_after = to;
    info.thumbprint = thumbprint;
    return info;
}

std::time_t at(const std::string& text) {
    std::time_t t = 0;
    EXPECT_TRUE(platform::parse_utc(text, t)) << text;
    return t;
}

TEST(RenewalWindow, DueAtTwoThirdsLessAStableSpread) {
    const auto info = lifetime("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "0000000000000000000000000000000000000000");  // 90 days
    EXPECT_EQ(renew_after(info, std::chrono::seconds(0)), at("2026-03-02T00:00:00Z")) << "no spread for the lowest thumbprint";
    const auto spread = lifetime(info.not_before, info.not_after, "FFFFFFFF00000000000000000000000000000000");
    const auto earliest = at("2026-03-02T00:00:00Z") - 90 * 24 * 3600 / 20;
    EXPECT_GE(renew_after(spread, std::chrono::seconds(0)), earliest);
    EXPECT_LT(renew_after(spread, std::chrono::seconds(0)), at("2026-03-02T00:00:00Z"));
    EXPECT_EQ(renew_after(spread, std::chrono::seconds(0)), renew_after(spread, std::chrono::seconds(0))) << "stable";
}

TEST(RenewalWindow, ShortLivedCertificatesAreDueAtHalfTheirLifetime) {
    const auto info = lifetime("2026-01-01T00:00:00Z", "2026-01-01T00:02:00Z", "0000000000000000000000000000000000000000");  // 120 s
    EXPECT_EQ(renew_after(info, std::chrono::seconds(0)), at("2026-01-01T00:01:00Z"));
}

TEST(RenewalWindow, TheAdminCanAskForEarlier) {
    const auto info = lifetime("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "0000000000000000000000000000000000000000");
    EXPECT_EQ(renew_after(info, std::chrono::hours(24 * 10)), at("2026-02-20T00:00:00Z"));
}

}  // namespace
}  // namespace ocscert::renewal
