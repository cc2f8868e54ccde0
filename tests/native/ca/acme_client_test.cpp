// The ACME client against a real Pebble on loopback: real http-01 and dns-01
// validation, external account binding, nonce rejection, refusals, a CA that is down.
#include "ca/acme/acme_client.hpp"

#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "crypto/openssl_ptr.hpp"
#include "names/san_resolver.hpp"
#include "pebble_server.hpp"
#include "platform/platform.hpp"
#include "request/csr_builder.hpp"
#include "request/profile.hpp"

namespace ocscert::ca::acme {
namespace {

using nlohmann::json;
using testing::PebbleServer;
using testing::PebbleSettings;
using testing::TempDir;
using testing::TestProgress;

struct Csr {
    std::vector<std::string> names;
    std::string der;
};

Csr make_csr(const std::string& pool = "pool01.contoso.com") {
    const auto profile = request::parse_profile({{"role", {"FrontEnd"}}, {"poolFqdn", pool}, {"sipDomain", {"contoso.com"}},
                                                 {"automaticSignIn", true}, {"organization", "Contoso"}, {"country", "US"},
                                                 {"state", "Washington"}, {"city", "Redmond"}, {"keyAlgorithm", "ECDSA_P256"}},
                                                [] { return std::string(); });
    const auto resolved = names::resolve(profile.names);
    TestProgress progress;
    const auto built = request::build_request(profile, resolved, progress);
    Csr csr{{}, built.request_der};
    for (const auto& n : resolved.names) csr.names.push_back(n.name);
    return csr;
}

Options options_for(const PebbleServer& pebble, const TempDir& store) {
    Options options;
    options.directory_url = pebble.directory_url();
    options.http.ca_bundle = pebble.ca_bundle;
    options.http.timeout = std::chrono::seconds(10);
    options.store_root = store.path();
    options.challenges.http_listener = pebble.http_listener();
    options.wait = std::chrono::seconds(60);
    return options;
}

// The DNS names in the first certificate of a PEM chain.
std::vector<std::string> leaf_names(const std::string& pem) {
    crypto::Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    crypto::Ptr<X509> leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    std::vector<std::string> out;
    if (!leaf) return out;
    crypto::Ptr<GENERAL_NAMES> sans(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf.get(), NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
        const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans.get(), i);
        if (n->type == GEN_DNS) out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)));
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(AcmeClient, IssuesWithRealHttp01ValidationOnTheBuiltInListener) {
    PebbleServer pebble;
    TempDir store;
    const auto csr = make_csr();
    TestProgress progress;
    const auto outcome = submit(options_for(pebble, store), csr.names, csr.der, progress);
    ASSERT_EQ(outcome.disposition, Disposition::Issued) << outcome.detail << pebble.log();
    auto wanted = csr.names;
    std::sort(wanted.begin(), wanted.end());
    EXPECT_EQ(leaf_names(outcome.certificates_pem), wanted);
    EXPECT_NE(outcome.certificates_pem.find("BEGIN CERTIFICATE", 30), std::string::npos) << "chain includes the intermediate";
    EXPECT_GT(progress.reports, 3);
    // The account key is kept owner-only, and reused: a second order needs no new account.
    bool found_key = false;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(store.path() / "acme"))
        if (entry.path().filename() == "account-key.pem") {
            found_key = true;
            OCSCERT_EXPECT_OWNER_ONLY(entry.path());
        }
    EXPECT_TRUE(found_key);
    EXPECT_EQ(submit(options_for(pebble, store), csr.names, csr.der, progress).disposition, Disposition::Issued);
}

TEST(AcmeClient, SeveralOrdersAtOnceShareTheListenerAndTheAccount) {
    PebbleServer pebble;
    TempDir store;
    std::vector<Csr> csrs;
    for (int i = 0; i < 3; ++i) csrs.push_back(make_csr("pool0" + std::to_string(i) + ".contoso.com"));
    std::vector<Outcome> outcomes(csrs.size());
    std::vector<std::string> failures(csrs.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < csrs.size(); ++i)
        threads.emplace_back([&, i] {
            TestProgress progress;
            try {
                outcomes[i] = submit(options_for(pebble, store), csrs[i].names, csrs[i].der, progress);
            } catch (const std::exception& e) {
                failures[i] = e.what();
            }
        });
    for (auto& thread : threads) thread.join();
    for (std::size_t i = 0; i < csrs.size(); ++i) {
        EXPECT_EQ(failures[i], "") << "order " << i;
        EXPECT_EQ(outcomes[i].disposition, Disposition::Issued) << "order " << i << ": " << outcomes[i].detail << pebble.log();
    }
}

TEST(AcmeClient, AnAccountTheCaNoLongerKnowsIsOpenedAgain) {
    TempDir store;
    const auto csr = make_csr();
    TestProgress progress;
    int port = 0;
    {
        PebbleServer first;
        port = first.acme_port;
        ASSERT_EQ(submit(options_for(first, store), csr.names, csr.der, progress).disposition, Disposition::Issued) << first.log();
    }
    // The same address, a CA that starts afresh: the account URL (and the nonce) this process kept are stale.
    PebbleSettings settings;
    settings.acme_port = port;
    PebbleServer second(settings);
    const auto outcome = submit(options_for(second, store), csr.names, csr.der, progress);
    EXPECT_EQ(outcome.disposition, Disposition::Issued) << outcome.detail << second.log();
}

// A quarter of the nonces rejected over three orders (about 30 signed requests): some request is
// repeated all but surely (1 - 0.75^30), and none is rejected 11 times running, where the client gives
// up (0.25^11 per request). With half rejected in one order, a failure came about 1 run in 200.
TEST(AcmeClient, RetriesRejectedNonces) {
    PebbleSettings settings;
    settings.nonce_reject_percent = 25;
    PebbleServer pebble(settings);
    TempDir store;
    TestProgress progress;
    int retries = 0;
    for (int order = 0; order < 3; ++order) {
        const auto csr = make_csr();
        const auto outcome = submit(options_for(pebble, store), csr.names, csr.der, progress);
        EXPECT_EQ(outcome.disposition, Disposition::Issued) << outcome.detail;
        retries += outcome.retries;
    }
    EXPECT_GT(retries, 0) << "with a quarter of the nonces rejected, some request must have been repeated";
}

TEST(AcmeClient, ExternalAccountBinding) {
    PebbleSettings settings;
    settings.eab_key_id = "kid-1";
    settings.eab_mac_key = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
    PebbleServer pebble(settings);
    const auto csr = make_csr();
    TestProgress progress;
    {
        TempDir store;
        const auto e = testing::catch_error([&] { submit(options_for(pebble, store), csr.names, csr.der, progress); });
        EXPECT_EQ(e.reason(), "ExternalAccountRequired");
        EXPECT_EQ(e.field(), "credential");
    }
    {
        TempDir store;
        auto options = options_for(pebble, store);
        const crypto::Secret wrong("b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH");
        options.eab_key_id = "kid-1";
        options.eab_mac_key = &wrong;
        const auto e = testing::catch_error([&] { submit(options, csr.names, csr.der, progress); });
        EXPECT_EQ(e.reason(), "ExternalAccountRejected");
        EXPECT_EQ(std::string(e.what()).find(wrong.bytes()), std::string::npos) << "the HMAC key is never shown";
    }
    {
        TempDir store;
        auto options = options_for(pebble, store);
        const crypto::Secret right(settings.eab_mac_key);
        options.eab_key_id = "kid-1";
        options.eab_mac_key = &right;
        EXPECT_EQ(submit(options, csr.names, csr.der, progress).disposition, Disposition::Issued);
        // An order left processing is collected later without the EAB key: the account exists.
        options.wait = std::chrono::seconds(0);
        const auto pending = submit(options, csr.names, csr.der, progress);
        ASSERT_EQ(pending.disposition, Disposition::Pending);
        options.eab_mac_key = nullptr;
        options.wait = std::chrono::seconds(30);
        EXPECT_EQ(poll(options, pending.poll_state, progress).disposition, Disposition::Issued);
        // Another store has another account key, unknown to the CA: a clear answer, not a new account.
        TempDir elsewhere;
        options.store_root = elsewhere.path();
        EXPECT_EQ(testing::catch_error([&] { poll(options, pending.poll_state, progress); }).reason(), "AccountNotFound");
    }
}

TEST(AcmeClient, ARefusedOrderIsADenialWithTheCasReason) {
    PebbleSettings settings;
    settings.blocked_domains = {"blocked.contoso.com"};
    PebbleServer pebble(settings);
    TempDir store;
    const auto csr = make_csr("pool01.blocked.contoso.com");
    TestProgress progress;
    const auto outcome = submit(options_for(pebble, store), csr.names, csr.der, progress);
    EXPECT_EQ(outcome.disposition, Disposition::Denied);
    EXPECT_EQ(outcome.reason, "RejectedIdentifier");
    EXPECT_NE(outcome.detail.find("blocked.contoso.com"), std::string::npos) << outcome.detail;
}

// Options that answer by dns-01 through a hook script with `body`.
Options dns_hook_options(const PebbleServer& pebble, const TempDir& store, const std::string& body) {
    const auto hook = store.path() / "dns-hook.sh";
    std::ofstream(hook) << "#!/bin/sh\n" << body;
    std::filesystem::permissions(hook, std::filesystem::perms::owner_all);
    auto options = options_for(pebble, store);
    options.challenges.http_listener.clear();
    options.challenges.dns_hook = hook;
    return options;
}

TEST(AcmeClient, DnsChallengeThroughTheAdminsHook) {
    OCSCERT_SKIP_ON_WINDOWS("the DNS hook here is a /bin/sh script (curl to pebble-challtestsrv)");
    PebbleServer pebble;
    TempDir store;
    const auto options = dns_hook_options(pebble, store,
                                          "# $1 add|remove, $2 the record name, $3 its TXT value\n"
                                          "if [ \"$1\" = add ]; then path=set-txt; body=\"{\\\"host\\\":\\\"$2.\\\",\\\"value\\\":\\\"$3\\\"}\";\n"
                                          "else path=clear-txt; body=\"{\\\"host\\\":\\\"$2.\\\"}\"; fi\n"
                                          "exec curl -sf -d \"$body\" " +
                                              pebble.challenge_management_url() + "/$path\n");
    const auto csr = make_csr();
    TestProgress progress;
    EXPECT_EQ(submit(options, csr.names, csr.der, progress).disposition, Disposition::Issued) << pebble.log();
}

TEST(AcmeClient, AFailingDnsHookStopsTheOrderWithItsExitCode) {
    OCSCERT_SKIP_ON_WINDOWS("the DNS hook here is a /bin/sh script");
    PebbleServer pebble;
    TempDir store;
    const auto options = dns_hook_options(pebble, store, "exit 3\n");
    const auto csr = make_csr();
    TestProgress progress;
    const auto e = testing::catch_error([&] { submit(options, csr.names, csr.der, progress); });
    EXPECT_EQ(e.reason(), "DnsHookFailed");
    EXPECT_EQ(e.field(), "dnsHook");
    EXPECT_NE(std::string(e.what()).find("exit code 3"), std::string::npos) << e.what();
}

TEST(AcmeClient, FailedValidationSaysWhatTheCaSaw) {
    PebbleServer pebble;
    TempDir store;
    auto options = options_for(pebble, store);
    options.challenges.http_listener = "127.0.0.1:" + std::to_string(testing::free_port());  // not where Pebble looks
    const auto csr = make_csr();
    TestProgress progress;
    const auto e = testing::catch_error([&] { submit(options, csr.names, csr.der, progress); });
    EXPECT_EQ(e.reason(), "ChallengeFailed");
    EXPECT_NE(std::string(e.what()).find("port 80"), std::string::npos) << e.what();
}

TEST(AcmeClient, ACaThatIsDownIsANetworkError) {
    TempDir store;
    Options options;
    options.directory_url = "https://127.0.0.1:" + std::to_string(testing::free_port()) + "/dir";
    options.store_root = store.path();
    options.challenges.http_listener = "127.0.0.1:0";
    TestProgress progress;
    const auto csr = make_csr();
    const auto e = testing::catch_error([&] { submit(options, csr.names, csr.der, progress); });
    EXPECT_EQ(e.code(), OCSCERT_E_NETWORK);
    EXPECT_EQ(e.reason(), "CaUnreachable");
    EXPECT_EQ(e.field(), "ca");
}

TEST(AcmeClient, AnUntrustedCaEndpointIsRefused) {
    PebbleServer pebble;
    TempDir store;
    auto options = options_for(pebble, store);
    options.http.ca_bundle.clear();  // Pebble's TLS certificate is not in the system's roots
    TestProgress progress;
    const auto csr = make_csr();
    const auto e = testing::catch_error([&] { submit(options, csr.names, csr.der, progress); });
    EXPECT_EQ(e.reason(), "CaTlsFailure");
}

TEST(AcmeClient, CancellingStopsBeforeTheOrderCompletes) {
    PebbleServer pebble;
    TempDir store;
    TestProgress progress;
    progress.cancel_on_report = true;
    const auto csr = make_csr();
    const auto e = testing::catch_error([&] { submit(options_for(pebble, store), csr.names, csr.der, progress); });
    EXPECT_EQ(e.code(), OCSCERT_E_CANCELLED);
}

}  // namespace
}  // namespace ocscert::ca::acme
