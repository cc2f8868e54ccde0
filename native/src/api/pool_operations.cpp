// The pool: its definition checked whole, and the two short-lived servers a
// pool-wide command opens on every member through its remoting session (whose
// process lives between calls): the standing http-01 listener that answers the
// CA for any member, and the mutual-TLS responder of the member-to-member test.
#include <chrono>

#include "api/check_inputs.hpp"
#include "api/operations.hpp"
#include "api/stores.hpp"
#include "binding/tls_responder.hpp"
#include "ca/acme/http01_listener.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "pool/pool_definition.hpp"

namespace ocscert::api {

namespace {

std::chrono::seconds lifetime(const json& input, int fallback) {
    const int seconds = json_input::optional_int(input, "seconds").value_or(fallback);
    if (seconds < 1 || seconds > 24 * 3600) invalid("seconds", "OutOfRange", "A responder lives 1 to 86400 seconds.");
    return std::chrono::seconds(seconds);
}

std::string listen_address(const json& input) {
    const auto listen = json_input::string_or(input, "listen", "");
    if (listen.empty()) invalid("listen", "RequiredField", "The address to listen on is required, e.g. 0.0.0.0:80.");
    return listen;
}

}  // namespace

json pool_check(ocscert_context&, const json& input) { return pool::to_json(pool::parse_pool_definition(input)); }

json challenge_listener_open(ocscert_context&, const json& input) {
    json_input::reject_unknown(input, {"listen", "peers", "seconds"});
    const auto listen = listen_address(input);
    std::vector<HostPort> peers;
    const auto given = json_input::string_list(input, "peers");
    for (std::size_t i = 0; i < given.size(); ++i)
        peers.push_back(parse_host_port(given[i], "peers[" + std::to_string(i) + "]", "InvalidPeer", "fe02.contoso.com:80"));
    ca::open_standing_listener(listen, std::move(peers), lifetime(input, 600));
    return {{"listen", listen}, {"peers", given}};
}

json challenge_listener_close(ocscert_context&, const json& input) {
    json_input::reject_unknown(input, {"listen"});
    const int relayed = ca::close_standing_listener(listen_address(input));
    return {{"closed", relayed >= 0}, {"relayed", relayed < 0 ? 0 : relayed}};
}

json tls_responder_open(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"listen", "role", "thumbprint", "trustAnchorPath", "systemTrust", "seconds"});
    const auto listen = listen_address(input);
    // Reopening replaces: the old one must let go of the port before the new one binds it.
    std::vector<binding::ResponderConnection> dropped;
    binding::close_tls_responder(listen, dropped);
    Stores stores(context);
    const auto bindings = stores.bindings.current();
    const auto certificate = stores.certificates->load(thumbprint_or_role(bindings, input), "thumbprint");
    const auto options = check_options(input, certificate, remembered_binding(bindings, input, certificate.record.thumbprint()));
    binding::open_tls_responder(std::make_unique<binding::TlsResponder>(*stores.certificates, certificate, options, listen, lifetime(input, 300)),
                                listen);
    return {{"listen", listen}, {"thumbprint", certificate.record.thumbprint()}};
}

json tls_responder_close(ocscert_context&, const json& input) {
    json_input::reject_unknown(input, {"listen"});
    std::vector<binding::ResponderConnection> seen;
    const bool closed = binding::close_tls_responder(listen_address(input), seen);
    json connections = json::array();
    for (const auto& c : seen) connections.push_back({{"client", c.client}, {"thumbprint", c.thumbprint}, {"accepted", c.accepted}, {"detail", c.detail}});
    return {{"closed", closed}, {"connections", connections}};
}

}  // namespace ocscert::api
