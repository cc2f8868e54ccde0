#pragma once
// HTTP(S) to certification authorities, over libcurl. TLS verification is
// always on (the system's roots, or the bundle given); proxies come from the
// environment (https_proxy, no_proxy), as libcurl reads them. Nothing sent or
// received is logged: bodies may carry challenge passwords and keys.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/cancellation.hpp"

namespace ocscert::transport {

struct HttpOptions {
    std::filesystem::path ca_bundle;            // empty: the system's trusted roots
    std::chrono::seconds timeout{30};           // per request, connecting included
    const Progress* progress = nullptr;         // polled for cancellation during transfers
    std::string field = "ca";                   // the input field errors name
};

struct HttpResponse {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names in lower case; the last value of a repeated header
    std::string content_type() const;            // without parameters, lower case
    const std::string* header(const std::string& lower_name) const;
};

// One client keeps one connection open (HTTP keep-alive, TLS session) across its requests to the
// same host; requests made from several threads at once each get their own connection.
class HttpClient {
public:
    explicit HttpClient(HttpOptions options);
    HttpResponse get(const std::string& url) const;
    HttpResponse head(const std::string& url) const;
    HttpResponse post(const std::string& url, std::string_view body, const std::string& content_type) const;

private:
    HttpResponse perform(const std::string& method, const std::string& url, std::string_view body, const std::string& content_type) const;
    HttpOptions options_;
    struct Connection;  // the reused libcurl handle
    std::shared_ptr<Connection> connection_;
};

// Largest response body accepted: certificate chains and ACME objects are a few KiB.
constexpr std::size_t max_response_bytes = 1024 * 1024;

// The delay a Retry-After header asks for (delta-seconds or an HTTP date), if any.
std::optional<std::chrono::seconds> retry_after(const HttpResponse& response);

// The host part of an http(s) URL, for messages.
std::string url_host(const std::string& url);

}  // namespace ocscert::transport
