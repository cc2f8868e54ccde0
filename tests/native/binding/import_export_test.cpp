// The wizard's "assign an existing certificate" (PFX import), exporting, and
// removing, through the C interface: a non-exportable key never leaves, a
// role's certificate is never removed, and a wrong password changes nothing.
#include "ocscert/ocscert.h"

#include <cstdlib>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "../child_process.hpp"
#include "core/text.hpp"
#include "../test_support.hpp"

namespace {

using nlohmann::json;
using ocscert::testing::openssl_cli;
using ocscert::testing::sh;
using ocscert::testing::TempDir;
namespace fs = std::filesystem;

class ImportExport : public ::testing::Test, public ocscert::testing::ApiCalls {
public:
    void SetUp() override {
        ASSERT_EQ(ocscert_context_new(&ctx, json{{"storePath", (dir.path() / "store").string()}}.dump().c_str(), nullptr), OCSCERT_OK);
        ASSERT_EQ(sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=Test-Root -days 30 -keyout " + f("root.key") +
                     " -out " + f("root.pem")), 0);
        ASSERT_EQ(sh(openssl_cli + " req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pool01.contoso.com -addext "
                     "subjectAltName=DNS:pool01.contoso.com -addext extendedKeyUsage=serverAuth,clientAuth -keyout " + f("pool.key") + " -out " + f("pool.req")), 0);
        ASSERT_EQ(sh(openssl_cli + " x509 -req -in " + f("pool.req") + " -CA " + f("root.pem") + " -CAkey " + f("root.key") +
                     " -CAcreateserial -days 10 -copy_extensions copy -out " + f("pool.cer")), 0);
        ASSERT_EQ(sh(openssl_cli + " pkcs12 -export -in " + f("pool.cer") + " -inkey " + f("pool.key") + " -certfile " + f("root.pem") +
                     " -passout pass:S3cret -out " + f("pool.pfx")), 0);
    }
    void TearDown() override { ocscert_context_free(ctx); }
    std::string f(const std::string& name) const { return (dir.path() / name).string(); }

    std::size_t installed() { return call(ocscert_certificate_list, json::object())["certificates"].size(); }

    // Another certificate of the same pool (its own key), signed by the test root, as a PFX; imported.
    std::string import_pfx(const std::string& name) {
        if (!fs::exists(f(name + ".pfx"))) {
            EXPECT_EQ(sh(openssl_cli + " req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pool01.contoso.com -addext "
                         "subjectAltName=DNS:pool01.contoso.com -addext extendedKeyUsage=serverAuth,clientAuth -keyout " + f(name + ".key") +
                         " -out " + f(name + ".req")), 0);
            EXPECT_EQ(sh(openssl_cli + " x509 -req -in " + f(name + ".req") + " -CA " + f("root.pem") + " -CAkey " + f("root.key") +
                         " -CAcreateserial -days 10 -copy_extensions copy -out " + f(name + ".cer")), 0);
            EXPECT_EQ(sh(openssl_cli + " pkcs12 -export -in " + f(name + ".cer") + " -inkey " + f(name + ".key") + " -certfile " + f("root.pem") +
                         " -passout pass:S3cret -out " + f(name + ".pfx")), 0);
        }
        const json imported = call(ocscert_certificate_import, {{"path", f(name + ".pfx")}, {"password", "S3cret"}});
        EXPECT_EQ(status, OCSCERT_OK) << message;
        return imported.value("thumbprint", "");
    }

    void bind(const std::string& thumbprint) {
        call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"thumbprint", thumbprint}, {"poolFqdn", "pool01.contoso.com"},
                                   {"trustAnchorPath", {f("root.pem")}}, {"systemTrust", false}});
    }

    TempDir dir;
};

TEST_F(ImportExport, WrongPasswordOrDamagedFileChangesNothing) {
    call(ocscert_certificate_import, {{"path", f("pool.pfx")}, {"password", "wrong"}});
    EXPECT_EQ(reason, "WrongPassword");
    EXPECT_EQ(field, "password");
    EXPECT_EQ(message.find("wrong"), std::string::npos);  // the password is never repeated back
    std::ofstream(f("cut.pfx")) << std::string(100, 'x');
    call(ocscert_certificate_import, {{"path", f("cut.pfx")}, {"password", "S3cret"}});
    EXPECT_EQ(reason, "InvalidPfx");
    EXPECT_EQ(installed(), 0u);
}

// Older Windows (and OpenSSL before 3.0) export the certificates under RC2-40 (openssl pkcs12
// -legacy writes the same), which OpenSSL 3 keeps in its legacy provider. Such a file was refused,
// asking for an AES re-export that Windows Server before 2019 cannot make.
TEST_F(ImportExport, APfxWithItsCertificatesUnderRc2Imports) {
    ASSERT_EQ(sh(openssl_cli + " pkcs12 -export -legacy -in " + f("pool.cer") + " -inkey " + f("pool.key") + " -certfile " + f("root.pem") +
                 " -passout pass:S3cret -out " + f("legacy.pfx")), 0);
    const json imported = call(ocscert_certificate_import, {{"path", f("legacy.pfx")}, {"password", "S3cret"}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(imported["chainLength"], 1);
    EXPECT_EQ(installed(), 1u);
    // Only the import used the legacy algorithms: this thread's default context does not offer them.
    EVP_CIPHER* rc2 = EVP_CIPHER_fetch(nullptr, "RC2-40-CBC", nullptr);
    EXPECT_EQ(rc2, nullptr);
    EVP_CIPHER_free(rc2);
    ERR_clear_error();
}

// A PFX whose certificate is not the key's: said as that, not "holds no certificate".
TEST_F(ImportExport, APfxWhoseCertificateIsNotTheKeysIsSaidToBeThat) {
    ASSERT_EQ(sh(openssl_cli + " pkcs12 -export -inkey " + f("root.key") + " -nocerts -certfile " + f("pool.cer") +
                 " -passout pass:S3cret -out " + f("mismatch.pfx")), 0);
    call(ocscert_certificate_import, {{"path", f("mismatch.pfx")}, {"password", "S3cret"}});
    EXPECT_EQ(reason, "KeyMismatch") << message;
    EXPECT_NE(message.find("no certificate for its private key (only 1 other certificate(s))"), std::string::npos) << message;
    EXPECT_EQ(installed(), 0u);
}

// A PFX without a MAC (openssl pkcs12 -export -nomac) was refused as WrongPassword even with
// the right password: said as what it is, naming the file, and refused as Windows refuses it.
TEST_F(ImportExport, APfxWithoutAMacIsRefusedForWhatItIs) {
    ASSERT_EQ(sh(openssl_cli + " pkcs12 -export -nomac -in " + f("pool.cer") + " -inkey " + f("pool.key") + " -certfile " + f("root.pem") +
                 " -passout pass:S3cret -out " + f("nomac.pfx")), 0);
    for (const char* password : {"S3cret", "wrong"}) {
        call(ocscert_certificate_import, {{"path", f("nomac.pfx")}, {"password", password}});
        EXPECT_EQ(status, OCSCERT_E_INVALID_ARGUMENT);
        EXPECT_EQ(reason, "PfxWithoutMac") << password;
        EXPECT_EQ(field, "path");
        EXPECT_NE(message.find("MAC"), std::string::npos) << message;
        EXPECT_NE(message.find("openssl pkcs12 -export"), std::string::npos) << "says what would be accepted: " << message;
        EXPECT_EQ(message.find(password), std::string::npos);  // the password is never repeated back
    }
    EXPECT_EQ(installed(), 0u);
}

TEST_F(ImportExport, ANonExportableKeyNeverLeaves) {
    const json imported = call(ocscert_certificate_import, {{"path", f("pool.pfx")}, {"password", "S3cret"}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(imported["privateKeyExportable"], false);
    EXPECT_EQ(imported["chainLength"], 1);
    const std::string tp = imported["thumbprint"];
    call(ocscert_certificate_export, {{"thumbprint", tp}, {"path", f("out.pfx")}, {"password", "x"}});
    EXPECT_EQ(status, OCSCERT_E_UNSUPPORTED);
    EXPECT_EQ(reason, "KeyNotExportable");
    EXPECT_FALSE(fs::exists(f("out.pfx")));
    // The public part always leaves, in PEM or DER.
    call(ocscert_certificate_export, {{"thumbprint", tp}, {"path", f("pub.cer")}, {"encoding", "DER"}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(sh(openssl_cli + " x509 -inform DER -in " + f("pub.cer") + " -noout"), 0);
    EXPECT_EQ(ocscert::testing::read_file(f("pub.cer")).find("PRIVATE"), std::string::npos);  // no key in it
}

TEST_F(ImportExport, AnExportableKeyRoundTripsThroughAPfx) {
    const json imported = call(ocscert_certificate_import, {{"path", f("pool.pfx")}, {"password", "S3cret"}, {"privateKeyExportable", true}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    call(ocscert_certificate_export, {{"thumbprint", imported["thumbprint"]}, {"path", f("again.pfx")}, {"password", "An0ther"}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(sh(openssl_cli + " pkcs12 -in " + f("again.pfx") + " -passin pass:An0ther -noout"), 0);
    call(ocscert_certificate_export, {{"thumbprint", imported["thumbprint"]}, {"path", f("again.pfx")}, {"password", "An0ther"}});
    EXPECT_EQ(reason, "OutFileExists");
}

// Exploratory testing's finding: -Force wrote exports and request files over the store's own keys
// and records (through the live link too), and the keys were lost. A path inside the store is
// refused before anything is written, whichever way it is spelt.
TEST_F(ImportExport, NoFileIsWrittenIntoTheStore) {
    const std::string tp = import_pfx("bound");
    bind(tp);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const fs::path store = dir.path() / "store";
    const fs::path key = store / "certificates" / tp / "key.pem";
    const std::string key_before = ocscert::testing::read_file(key.string());
    std::vector<fs::path> targets = {key, store / "certificates" / tp / "certificate.json", ocscert::testing::live_folder(store) / "key.pem",
                                     store / "live" / "FrontEnd" / "key.pem", store / "certificates" / ".." / "certificates" / tp / "key.pem"};
#ifdef _WIN32
    // NTFS names are case-insensitive: an upper-cased spelling is the same file.
    targets.push_back(fs::u8path(ocscert::text::ascii_upper(key.u8string())));
#endif
    for (const auto& target : targets) {
        SCOPED_TRACE(target.string());
        call(ocscert_certificate_export, {{"thumbprint", tp}, {"path", target.u8string()}, {"force", true}});
        EXPECT_EQ(reason, "PathInsideStore") << message;
        EXPECT_EQ(field, "path");
    }
    call(ocscert_request_new, {{"role", {"FrontEnd"}}, {"poolFqdn", "pool01.contoso.com"}, {"organization", "Contoso"}, {"country", "US"},
                               {"state", "Washington"}, {"city", "Redmond"}, {"keyAlgorithm", "ECDSA_P256"},
                               {"outFile", key.u8string()}, {"force", true}});
    EXPECT_EQ(reason, "PathInsideStore") << message;
    EXPECT_EQ(field, "outFile");
    EXPECT_EQ(ocscert::testing::read_file(key.string()), key_before);
    EXPECT_EQ(call(ocscert_request_list, json::object())["requests"].size(), 0u);
    // Beside the store (a name that merely starts like it) is outside it; a new file in the store's
    // own folder, beside its files, harms nothing.
    call(ocscert_certificate_export, {{"thumbprint", tp}, {"path", (dir.path() / "store-copy.cer").u8string()}});
    EXPECT_EQ(status, OCSCERT_OK) << message;
    call(ocscert_certificate_export, {{"thumbprint", tp}, {"path", (store / "pool01.cer").u8string()}});
    EXPECT_EQ(status, OCSCERT_OK) << message;
    call(ocscert_certificate_export, {{"thumbprint", tp}, {"path", (store / "pool01.cer").u8string()}, {"force", true}});
    EXPECT_EQ(reason, "PathInsideStore") << message;
}

// The finding: -Force removed a role's certificate and left the role bound to a
// thumbprint that no longer existed. A role's current certificate is never removed now.
TEST_F(ImportExport, ACertificateARoleUsesIsNotRemovedEvenForced) {
    const std::string tp = import_pfx("pool");
    bind(tp);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    for (bool force : {false, true}) {
        call(ocscert_certificate_remove, {{"thumbprint", tp}, {"force", force}});
        EXPECT_EQ(reason, "CertificateInUse");
        EXPECT_EQ(field, "thumbprint");
        EXPECT_NE(message.find("FrontEnd"), std::string::npos) << message;
        EXPECT_NE(message.find("Set-OcsCertificate"), std::string::npos) << message;
        EXPECT_EQ(installed(), 1u);
    }
}

// Forced, a certificate only kept as a role's previous one goes, and the role forgets it: no
// binding points at a certificate that is not installed.
TEST_F(ImportExport, ForcedRemovalOfAPreviousCertificateMakesTheRoleForgetIt) {
    const std::string first = import_pfx("pool");
    const std::string second = import_pfx("pool2");
    bind(first);
    bind(second);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    call(ocscert_certificate_remove, {{"thumbprint", first}});
    EXPECT_EQ(reason, "CertificateInUse");
    EXPECT_NE(message.find("-Force"), std::string::npos) << message;
    call(ocscert_certificate_remove, {{"thumbprint", first}, {"force", true}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(installed(), 1u);
    const json bindings = call(ocscert_binding_list, json::object())["bindings"];
    ASSERT_EQ(bindings.size(), 1u);
    EXPECT_EQ(bindings[0]["thumbprint"], second);
    EXPECT_TRUE(bindings[0].value("previous", json()).is_null()) << bindings.dump();
    call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"previous", true}});
    EXPECT_EQ(reason, "NoPreviousBinding");
    call(ocscert_certificate_remove, {{"thumbprint", first}});
    EXPECT_EQ(reason, "CertificateNotFound");
}

// A role whose certificate is gone anyway (files deleted by hand, or removed by an older
// version): Test reports a failed check, and a roll-back to a removed previous one says so.
TEST_F(ImportExport, ARoleWhoseCertificateIsGoneFailsACheckInsteadOfThrowing) {
    const std::string first = import_pfx("pool");
    const std::string second = import_pfx("pool2");
    bind(first);
    bind(second);
    ASSERT_EQ(status, OCSCERT_OK) << message;
    fs::remove_all(dir.path() / "store" / "certificates" / second);
    const json tested = call(ocscert_certificate_test, {{"role", {"FrontEnd"}}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    ASSERT_EQ(tested["checks"].size(), 1u);
    EXPECT_EQ(tested["checks"][0]["check"], "Installed");
    EXPECT_EQ(tested["checks"][0]["passed"], false);
    EXPECT_NE(tested["checks"][0]["detail"].get<std::string>().find(second), std::string::npos);
    // An explicit thumbprint that is not installed stays an error.
    call(ocscert_certificate_test, {{"thumbprint", second}});
    EXPECT_EQ(reason, "CertificateNotFound");

    fs::remove_all(dir.path() / "store" / "certificates" / first);
    call(ocscert_binding_set, {{"role", {"FrontEnd"}}, {"previous", true}});
    EXPECT_EQ(status, OCSCERT_E_NOT_FOUND);
    EXPECT_EQ(reason, "PreviousRemoved");
    EXPECT_NE(message.find(first), std::string::npos) << message;
}

// A kill after the certificate's folder is renamed away leaves it removed; the
// next install sweeps the leftover, key included.
TEST_F(ImportExport, KillDuringRemovalLeavesItRemoved) {
    const json imported = call(ocscert_certificate_import, {{"path", f("pool.pfx")}, {"password", "S3cret"}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const json remove = json::array({json{{"thumbprint", imported["thumbprint"]}}});
    EXPECT_EQ(ocscert::testing::run_until_crash("certificate.remove.after-rename", "c_api",
                                                {(dir.path() / "store").string(), "ocscert_certificate_remove", remove.dump()}),
              86);
    EXPECT_EQ(installed(), 0u);
    call(ocscert_certificate_import, {{"path", f("pool.pfx")}, {"password", "S3cret"}});
    ASSERT_EQ(status, OCSCERT_OK) << message;
    for (const auto& entry : fs::directory_iterator(dir.path() / "store" / "certificates"))
        EXPECT_NE(entry.path().filename().string()[0], '.') << entry.path();
}

}  // namespace
