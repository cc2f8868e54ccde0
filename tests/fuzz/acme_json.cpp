// ACME JSON answers (RFC 8555): the first byte picks the answer the body stands for (directory,
// account, order, authorization with or without a challenge to pick, problem document), the rest is
// the body, read as acme_client reads it.
#include "ca/acme/acme_messages.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ocscert;
    using namespace ocscert::ca::acme;
    if (size == 0) return 0;
    const std::string body = fuzz::bytes(data + 1, size - 1);
    fuzz::refuse_only_with_error([&] {
        switch (data[0] % 6) {
        case 0: read_directory(body); break;
        case 1: ca_words(read_account_status(body)); break;
        case 2: {
            const Order order = read_order(body, "the order");
            if (!order.finalize.empty()) checked_url(order.finalize, "finalize", "the order");
            if (!order.certificate.empty()) checked_url(order.certificate, "certificate", "the issued order");
            break;
        }
        case 3: {
            const Authorization authz = read_authorization(body, "http-01");
            if (authz.challenge) fuzz::require(!authz.challenge->token.empty() && !authz.challenge->url.empty(), "a chosen challenge has a token and a URL");
            break;
        }
        case 4: ca_words(read_authorization(body, "").failure); break;
        default: {
            const Problem problem = read_problem(400, body);
            ca_words(problem.detail);
            break;
        }
        }
    });
    return 0;
}
