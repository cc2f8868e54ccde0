#include "ca/scep/scep_protocol.hpp"

#include "ca/scep/scep_client.hpp"

namespace ocscert::ca::scep {

namespace {

class ScepProtocol final : public CaProtocol {
public:
    std::string_view scheme() const override { return "scep"; }
    std::string_view example() const override { return "scep:https://<host>/certsrv/mscep/mscep.dll"; }
    bool requires_https() const override { return false; }  // SCEP protects its messages itself (RFC 8894 section 3)
    // NDES approvals take a person.
    std::chrono::seconds default_poll_interval() const override { return std::chrono::minutes(15); }

    void check(const Exchange&) const override {}  // the fingerprint is checked where it is used, before anything is sent

    // SCEP signs with, and the CA answers to, the request's own key; a renewal
    // (RenewalReq), when the CA offers it, the certificate renewed and its key.
    Outcome submit(const Exchange& exchange, const CaRequest& request) const override {
        const auto key = request.private_key();
        return enroll(options(exchange, request), request.request_pem, key.get(), *exchange.progress);
    }

    Outcome poll(const Exchange& exchange, const CaRequest& request, const nlohmann::json& poll_state) const override {
        const auto key = request.private_key();
        return scep::poll(options(exchange, request), poll_state, request.request_pem, key.get(), *exchange.progress);
    }

private:
    static Options options(const Exchange& e, const CaRequest& request) {
        Options o;
        o.renewal_of = request.renewal_of != nullptr && request.renewal_of->certificate != nullptr ? request.renewal_of : nullptr;
        o.url = e.url;
        o.http = e.http;
        o.ca_fingerprint = e.settings.ca_fingerprint;
        if (e.credential && !e.credential->password.bytes().empty()) o.challenge_password = &e.credential->password;
        return o;
    }
};

}  // namespace

// One instance for the registry; constructed on first use, so registration order never matters.
const CaProtocol& protocol() { static const ScepProtocol instance; return instance; }

}  // namespace ocscert::ca::scep
