#include "ca/acme/acme_protocol.hpp"

#include <openssl/pem.h>

#include "ca/acme/acme_client.hpp"
#include "ca/acme/http01_listener.hpp"
#include "core/error.hpp"

namespace ocscert::ca::acme {

namespace {

std::string request_der(const std::string& pem) {
    crypto::Ptr<BIO> bio(crypto::check(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "Reading the request"));
    crypto::Ptr<X509_REQ> req(crypto::check(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr), "Reading the request"));
    return crypto::to_der<X509_REQ>(req.get(), i2d_X509_REQ, "Encoding the request");
}

class AcmeProtocol final : public CaProtocol {
public:
    std::string_view scheme() const override { return "acme"; }
    std::string_view example() const override { return "acme:https://<host>/<directory>"; }
    bool requires_https() const override { return true; }
    // ACME orders take seconds.
    std::chrono::seconds default_poll_interval() const override { return std::chrono::seconds(30); }

    void check(const Exchange& exchange) const override { options(exchange); }

    Outcome submit(const Exchange& exchange, const CaRequest& request) const override {
        return acme::submit(options(exchange), request.names, request_der(request.request_pem), *exchange.progress);
    }

    Outcome poll(const Exchange& exchange, const CaRequest&, const nlohmann::json& poll_state) const override {
        return acme::poll(options(exchange), poll_state, *exchange.progress);
    }

private:
    static Options options(const Exchange& e) {
        Options o;
        o.directory_url = e.url;
        o.http = e.http;
        o.store_root = e.store_root;
        o.contact = e.settings.contact;
        o.challenges.http_listener = e.settings.http_listener;
        o.challenges.web_root = std::filesystem::u8path(e.settings.web_root);
        o.challenges.dns_hook = std::filesystem::u8path(e.settings.dns_hook);
        if (o.challenges.http_listener.empty() && o.challenges.web_root.empty() && o.challenges.dns_hook.empty()) o.challenges.http_listener = "0.0.0.0:80";
        if (!o.challenges.http_listener.empty()) parse_listener_address(o.challenges.http_listener, "httpListener");
        if (e.credential && !e.credential->password.bytes().empty()) {
            if (e.credential->user_name.empty())
                invalid("credential", "RequiredField", "For an ACME CA the credential's user name is the external account key id.");
            o.eab_key_id = e.credential->user_name;
            o.eab_mac_key = &e.credential->password;
        }
        o.wait = e.wait;
        return o;
    }
};

}  // namespace

// One instance for the registry; constructed on first use, so registration order never matters.
const CaProtocol& protocol() { static const AcmeProtocol instance; return instance; }

}  // namespace ocscert::ca::acme
