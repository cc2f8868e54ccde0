// The system's trusted roots (platform/system_trust.hpp) as the trust-store
// builder and the CA connections use them. On Linux they are OpenSSL's default
// locations, which SSL_CERT_FILE names here; on Windows (run under Wine in the
// project's test run) the ROOT certificate store, with a root of the test's own
// added to the machine's ROOT store and removed again.
#ifdef _WIN32
#include "platform/wincrypt.hpp"
#endif

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "../child_process.hpp"
#include "../test_support.hpp"
#include "crypto/openssl_ptr.hpp"
#include "crypto/trust_store.hpp"
#include "transport/http_client.hpp"

namespace ocscert::crypto {
namespace {

namespace fs = std::filesystem;
using testing::openssl_cli;
using testing::sh;
using testing::TempDir;

// A root of its own and a server certificate for 127.0.0.1 it signed.
class SystemTrust : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=OcsCert-System-Trust-Test-Root" +
                     " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -keyout " + f("root.key") + " -out " + f("root.pem")),
                  0);
        std::ofstream(f("server.cnf")) << "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n";
        ASSERT_EQ(sh(openssl_cli + " req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 -keyout " + f("server.key") +
                     " -out " + f("server.req")),
                  0);
        ASSERT_EQ(sh(openssl_cli + " x509 -req -in " + f("server.req") + " -CA " + f("root.pem") + " -CAkey " + f("root.key") +
                     " -CAcreateserial -days 1 -extfile " + f("server.cnf") + " -out " + f("server.pem")),
                  0);
    }

    std::string f(const std::string& name) const { return (dir.path() / name).string(); }

    static Ptr<X509> read_certificate(const std::string& path) {
        Ptr<BIO> bio(BIO_new_file(path.c_str(), "r"));
        return Ptr<X509>(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    }

    // Whether the server certificate chains to a root of `anchors`.
    bool verifies(const TrustAnchors& anchors) const {
        const auto store = build_trust_store(anchors);
        const auto leaf = read_certificate(f("server.pem"));
        Ptr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
        if (!leaf || !ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr) != 1) return false;
        const bool ok = X509_verify_cert(ctx.get()) == 1;
        ERR_clear_error();
        return ok;
    }

    TempDir dir;
};

#ifdef _WIN32

// The ROOT store's certificates as OpenSSL reads them.
std::vector<Ptr<X509>> root_store_certificates() {
    std::vector<Ptr<X509>> out;
    HCERTSTORE roots = ::CertOpenSystemStoreW(0, L"ROOT");
    if (roots == nullptr) return out;
    for (PCCERT_CONTEXT c = nullptr; (c = ::CertEnumCertificatesInStore(roots, c)) != nullptr;) {
        const unsigned char* der = c->pbCertEncoded;
        if (X509* x = d2i_X509(nullptr, &der, static_cast<long>(c->cbCertEncoded))) out.emplace_back(x);
    }
    ::CertCloseStore(roots, 0);
    return out;
}

// The test's root in the machine's ROOT store (which every user's ROOT view
// includes) while the object lives; the machine's, because adding to a user's
// ROOT store makes Windows ask the user in a dialog.
class RootInStore {
public:
    explicit RootInStore(const X509* root) {
        store_ = ::CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_LOCAL_MACHINE, L"ROOT");
        if (store_ == nullptr) {
            error_ = ::GetLastError();
            return;
        }
        unsigned char* der = nullptr;
        const int size = i2d_X509(root, &der);
        if (size <= 0 || !::CertAddEncodedCertificateToStore(store_, X509_ASN_ENCODING, der, static_cast<DWORD>(size), CERT_STORE_ADD_NEW, &added_))
            error_ = ::GetLastError();
        OPENSSL_free(der);
        // Seen through the ROOT view the library opens, by a fresh open as the library does.
        if (added_ != nullptr)
            for (const auto& cert : root_store_certificates()) visible_ = visible_ || X509_cmp(cert.get(), root) == 0;
    }
    ~RootInStore() {
        if (added_ != nullptr) ::CertDeleteCertificateFromStore(added_);  // frees the context too
        if (store_ != nullptr) ::CertCloseStore(store_, 0);
    }
    RootInStore(const RootInStore&) = delete;
    RootInStore& operator=(const RootInStore&) = delete;

    bool added() const { return added_ != nullptr; }
    bool visible() const { return visible_; }
    DWORD error() const { return error_; }

private:
    HCERTSTORE store_ = nullptr;
    PCCERT_CONTEXT added_ = nullptr;
    bool visible_ = false;
    DWORD error_ = 0;
};

// Adds the root, or skips the test where that cannot be done, saying why: a
// process that is not elevated may not add to the machine's ROOT store, and
// Wine's ROOT store is the host's certificates, read afresh (it takes an
// addition without error but never shows it).
#define OCSCERT_ADD_ROOT_OR_SKIP(guard, root)                                                                                      \
    RootInStore guard(root.get());                                                                                                 \
    if (!guard.added()) {                                                                                                          \
        ASSERT_EQ(guard.error(), static_cast<DWORD>(ERROR_ACCESS_DENIED)) << "adding a root to the machine's ROOT store failed";    \
        GTEST_SKIP() << "adding a root to the machine's ROOT store needs an elevated process";                                    \
    }                                                                                                                              \
    if (!guard.visible()) {                                                                                                        \
        ASSERT_TRUE(testing::under_wine()) << "a root added to the machine's ROOT store is not in the ROOT store";                 \
        GTEST_SKIP() << "Wine's ROOT store holds the host's certificates only: a root added to it is never seen again";           \
    }

TEST_F(SystemTrust, IsTheWindowsRootStore) {
    // Wine fills its ROOT store from the host's certificates; Windows from its own root program.
    const auto in_windows = root_store_certificates().size();
    const auto store = build_trust_store({{}, true});
    const auto in_openssl = static_cast<std::size_t>(sk_X509_OBJECT_num(X509_STORE_get0_objects(store.get())));
    EXPECT_GT(in_windows, 0u) << "the ROOT store is empty";
    EXPECT_GT(in_openssl, 0u);
    EXPECT_LE(in_openssl, in_windows) << "nothing but the ROOT store's certificates";
    EXPECT_EQ(sk_X509_OBJECT_num(X509_STORE_get0_objects(build_trust_store({{}, false}).get())), 0);
}

// A root of the ROOT store is trusted as itself (a chain of one): OpenSSL verifies
// against what Windows holds, and against nothing of it without the system's trust.
TEST_F(SystemTrust, ARootOfTheRootStoreIsTrusted) {
    const auto system = build_trust_store({{}, true});
    const auto none = build_trust_store({{}, false});
    const auto verify = [](X509_STORE* store, X509* cert) {
        Ptr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
        const bool ok = ctx && X509_STORE_CTX_init(ctx.get(), store, cert, nullptr) == 1 && X509_verify_cert(ctx.get()) == 1;
        ERR_clear_error();
        return ok;
    };
    int checked = 0;
    for (const auto& cert : root_store_certificates()) {
        // Self-signed and valid today: a trust anchor by itself.
        if (X509_check_issued(cert.get(), cert.get()) != X509_V_OK || X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0 ||
            X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0)
            continue;
        if (!verify(system.get(), cert.get())) continue;  // switched off in Windows, or a form OpenSSL refuses
        EXPECT_FALSE(verify(none.get(), cert.get()));
        if (++checked == 3) break;
    }
    EXPECT_EQ(checked, 3) << "three roots of the ROOT store verify with the system's trust";
}

TEST_F(SystemTrust, VerifiesACertificateFromARootAddedToTheRootStore) {
    EXPECT_FALSE(verifies({{}, true})) << "the test's root is not trusted yet";
    const auto root = read_certificate(f("root.pem"));
    ASSERT_TRUE(root);
    {
        OCSCERT_ADD_ROOT_OR_SKIP(added, root);
        EXPECT_TRUE(verifies({{}, true}));
        EXPECT_FALSE(verifies({{}, false})) << "without the system's trust, only the anchors given count";
    }
    EXPECT_FALSE(verifies({{}, true})) << "the root is gone from the store again";
}

// libcurl reads the same ROOT store when no CA bundle is given (CURLSSLOPT_NATIVE_CA).
TEST_F(SystemTrust, CaConnectionsTrustTheRootStoreToo) {
    const int port = testing::free_port();
    testing::ChildProcess web({openssl_cli, "s_server", "-WWW", "-accept", "127.0.0.1:" + std::to_string(port), "-cert", f("server.pem"), "-key",
                               f("server.key")},
                              {}, dir.path() / "s_server.log", dir.path());
    web.wait_for_port(port);
    std::ofstream(f("hello.txt")) << "hello";
    const transport::HttpClient client({});
    const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/hello.txt";
    const auto untrusted = testing::catch_error([&] { client.get(url); });
    EXPECT_EQ(untrusted.reason(), "CaTlsFailure") << untrusted.what();
    const auto root = read_certificate(f("root.pem"));
    ASSERT_TRUE(root);
    OCSCERT_ADD_ROOT_OR_SKIP(added, root);
    const auto response = transport::HttpClient({}).get(url);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "hello");
}

// The folders compiled into the Windows build's OpenSSL (its configuration, default
// certificates, engines, modules) are in System32, which only administrators may
// write: a folder named after the build machine's prefix could be made by any user
// on the server, with an openssl.cnf in it that loads a DLL of theirs.
TEST(OpenSslBuild, LooksOnlyInFoldersAdministratorsOwn) {
    wchar_t system[MAX_PATH] = {};
    const UINT size = ::GetSystemDirectoryW(system, MAX_PATH);
    ASSERT_GT(size, 0u);
    // Compared with forward slashes and in lower case, as Windows compares paths.
    const auto normal = [](std::string text) {
        std::replace(text.begin(), text.end(), '\\', '/');
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return text;
    };
    const std::string system_folder = normal(fs::path(std::wstring(system, size)).u8string());
    for (const int which : {OPENSSL_DIR, OPENSSL_ENGINES_DIR, OPENSSL_MODULES_DIR})
        EXPECT_NE(normal(OpenSSL_version(which)).find("\"" + system_folder + "/"), std::string::npos) << OpenSSL_version(which);
}

#else

// Sets an environment variable for the object's life, then puts back what was there.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnvironment() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

// As before: OpenSSL's default locations, which SSL_CERT_FILE and SSL_CERT_DIR override.
TEST_F(SystemTrust, IsOpenSslsDefaultLocations) {
    EXPECT_FALSE(verifies({{}, true})) << "the test's root is not trusted yet";
    const ScopedEnvironment file("SSL_CERT_FILE", f("root.pem"));
    const ScopedEnvironment folder("SSL_CERT_DIR", (dir.path() / "no-such-folder").string());
    EXPECT_TRUE(verifies({{}, true}));
    EXPECT_FALSE(verifies({{}, false})) << "without the system's trust, only the anchors given count";
}

#endif

TEST_F(SystemTrust, AnchorsGivenAreTrustedWithoutTheSystems) {
    EXPECT_TRUE(verifies({{fs::path(f("root.pem"))}, false}));
    fs::create_directory(dir.path() / "anchors");
    fs::copy_file(f("root.pem"), dir.path() / "anchors" / "root.pem");
    EXPECT_TRUE(verifies({{dir.path() / "anchors"}, false})) << "a folder of PEM files";
    EXPECT_FALSE(verifies({{dir.path() / "no-such-file.pem"}, false}));
}

}  // namespace
}  // namespace ocscert::crypto
