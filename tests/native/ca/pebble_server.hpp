#pragma once
// Pebble, the ACME test CA from Debian, on loopback with real http-01 and
// dns-01 validation: pebble-challtestsrv answers DNS with 127.0.0.1 for every
// name (and no AAAA), so Pebble fetches http-01 answers from our listener on
// 127.0.0.1:<http_port>, and takes dns-01 TXT records set through its
// management API.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../child_process.hpp"
#include "../test_support.hpp"
#include "transport/http_client.hpp"

namespace ocscert::testing {

struct PebbleSettings {
    int nonce_reject_percent = 0;
    std::string eab_key_id;       // non-empty: external account binding required, with this key
    std::string eab_mac_key;      // base64url
    std::vector<std::string> blocked_domains;
    int acme_port = 0;            // 0: a free one (a test that restarts the CA on the same address gives it)
};

class PebbleServer {
public:
    explicit PebbleServer(const PebbleSettings& settings = {}) {
        const auto& dir = folder_.path();
        const std::string tls_cert = (dir / "tls-cert.pem").string(), tls_key = (dir / "tls-key.pem").string();
        if (sh(openssl_cli + " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost" +
               " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " + tls_key + " -out " + tls_cert) != 0)
            throw std::runtime_error("cannot make Pebble's TLS certificate");
        acme_port = settings.acme_port ? settings.acme_port : free_port();
        management_port = free_port();
        http_port = free_port();
        dns_port = free_port();
        challenge_management_port = free_port();
        nlohmann::json config = {{"pebble",
                                  {{"listenAddress", "127.0.0.1:" + std::to_string(acme_port)},
                                   {"managementListenAddress", "127.0.0.1:" + std::to_string(management_port)},
                                   {"certificate", server_path(tls_cert)},
                                   {"privateKey", server_path(tls_key)},
                                   {"httpPort", http_port},
                                   {"tlsPort", free_port()},
                                   {"ocspResponderURL", ""},
                                   {"externalAccountBindingRequired", !settings.eab_key_id.empty()},
                                   {"domainBlocklist", settings.blocked_domains}}}};
        if (!settings.eab_key_id.empty()) config["pebble"]["externalAccountMACKeys"] = {{settings.eab_key_id, settings.eab_mac_key}};
        std::ofstream(dir / "pebble.json") << config.dump(2);
        dns_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{OCSCERT_PEBBLE_CHALLTESTSRV, "-dns01", "127.0.0.1:" + std::to_string(dns_port), "-http01", "", "-https01", "",
                                     "-tlsalpn01", "", "-defaultIPv6", "", "-defaultIPv4", "127.0.0.1", "-management",
                                     "127.0.0.1:" + std::to_string(challenge_management_port)},
            std::vector<std::pair<std::string, std::string>>{}, dir / "challtestsrv.log");
        dns_->wait_for_port(challenge_management_port);
        pebble_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{OCSCERT_PEBBLE, "-config", (dir / "pebble.json").string(), "-dnsserver", "127.0.0.1:" + std::to_string(dns_port)},
            std::vector<std::pair<std::string, std::string>>{{"PEBBLE_VA_NOSLEEP", "1"},
                                                             {"PEBBLE_WFE_NONCEREJECT", std::to_string(settings.nonce_reject_percent)},
                                                             {"PEBBLE_AUTHZREUSE", "0"}},
            dir / "pebble.log");
        pebble_->wait_for_port(acme_port);
        pebble_->wait_for_port(management_port);
        ca_bundle = tls_cert;
    }

    std::string directory_url() const { return "https://127.0.0.1:" + std::to_string(acme_port) + "/dir"; }
    std::string http_listener() const { return "127.0.0.1:" + std::to_string(http_port); }
    std::string challenge_management_url() const { return "http://127.0.0.1:" + std::to_string(challenge_management_port); }
    // Pebble's root of the moment (new at every start), as PEM in a file.
    std::string root_file() const {
        const auto path = folder_.path() / "root.pem";
        transport::HttpOptions http;
        http.ca_bundle = ca_bundle;
        std::ofstream(path, std::ios::binary) << transport::HttpClient(http).get("https://127.0.0.1:" + std::to_string(management_port) + "/roots/0").body;
        return path.string();
    }
    std::string log() const { return pebble_->log(); }
    const std::filesystem::path& folder() const { return folder_.path(); }

    int acme_port = 0, management_port = 0, http_port = 0, dns_port = 0, challenge_management_port = 0;
    std::string ca_bundle;  // the TLS certificate of Pebble's ACME endpoint

private:
    TempDir folder_;
    std::unique_ptr<ChildProcess> dns_;
    std::unique_ptr<ChildProcess> pebble_;
};

}  // namespace ocscert::testing
