#include "transport/http_client.hpp"

#include <algorithm>
#include <ctime>
#include <memory>
#include <mutex>

#include <curl/curl.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "platform/system_trust.hpp"

namespace ocscert::transport {

namespace {

struct CurlDeleter {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    HttpResponse response;
    const Progress* progress = nullptr;
    bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    if (t->response.body.size() + n > max_response_bytes) {
        t->too_large = true;
        return 0;  // aborts the transfer
    }
    t->response.body.append(data, n);
    return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) t->response.headers.clear();  // a new response (after a redirect or 100)
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        const auto first = value.find_first_not_of(" \t");
        const auto last = value.find_last_not_of(" \t\r\n");
        value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
        t->response.headers[text::ascii_lower(line.substr(0, colon))] = value;
    }
    return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    return t->progress && t->progress->cancelled() ? 1 : 0;
}

[[noreturn]] void fail_transfer(CURLcode code, const char* detail, const std::string& url, const HttpOptions& options) {
    const std::string host = url_host(url);
    const std::string why = detail[0] ? detail : curl_easy_strerror(code);
    switch (code) {
    case CURLE_ABORTED_BY_CALLBACK:
        throw Error(OCSCERT_E_CANCELLED, "Cancelled", "", "Cancelled while talking to " + host + ".");
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        throw Error(OCSCERT_E_NETWORK, "CaUnreachable", options.field, "The CA host " + text::quote(host) + " could not be resolved: " + why + ".");
    case CURLE_COULDNT_CONNECT:
        throw Error(OCSCERT_E_NETWORK, "CaUnreachable", options.field,
                    "Could not connect to the CA at " + host + ": " + why + ". Check the address and that the CA is running.");
    case CURLE_OPERATION_TIMEDOUT:
        throw Error(OCSCERT_E_NETWORK, "CaTimeout", options.field,
                    "The CA at " + host + " did not answer within " + std::to_string(options.timeout.count()) + " s.");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        throw Error(OCSCERT_E_NETWORK, "CaTlsFailure", options.field,
                    "The TLS connection to " + host + " failed: " + why +
                        (options.ca_bundle.empty() ? ". If the CA's web server uses a private root, give it as the CA bundle." : "."));
    default:
        throw Error(OCSCERT_E_NETWORK, "CaTransportFailure", options.field, "Talking to the CA at " + host + " failed: " + why + ".");
    }
}

}  // namespace

std::string HttpResponse::content_type() const {
    const auto* value = header("content-type");
    if (!value) return "";
    return text::ascii_lower(value->substr(0, std::min(value->find(';'), value->size())));
}

const std::string* HttpResponse::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
}

struct HttpClient::Connection {
    std::mutex busy;
    std::unique_ptr<CURL, CurlDeleter> handle;
};

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)), connection_(std::make_shared<Connection>()) { global_init(); }

HttpResponse HttpClient::get(const std::string& url) const { return perform("GET", url, {}, {}); }
HttpResponse HttpClient::head(const std::string& url) const { return perform("HEAD", url, {}, {}); }
HttpResponse HttpClient::post(const std::string& url, std::string_view body, const std::string& content_type) const {
    return perform("POST", url, body, content_type);
}

HttpResponse HttpClient::perform(const std::string& method, const std::string& url, std::string_view body, const std::string& content_type) const {
    if (options_.progress) options_.progress->throw_if_cancelled();
    // The kept handle when it is free (its connection and TLS session are reused; curl_easy_reset keeps them),
    // else a handle of this request's own.
    std::unique_lock<std::mutex> kept(connection_->busy, std::try_to_lock);
    std::unique_ptr<CURL, CurlDeleter> own;
    CURL* c = nullptr;
    if (kept.owns_lock()) {
        if (!connection_->handle) connection_->handle.reset(curl_easy_init());
        c = connection_->handle.get();
        if (c) curl_easy_reset(c);
    } else {
        own.reset(curl_easy_init());
        c = own.get();
    }
    if (!c) throw Error(OCSCERT_E_INTERNAL, "TransportFailure", "", "libcurl could not start a transfer.");
    Transfer transfer;
    transfer.progress = options_.progress;
    char error_text[CURL_ERROR_SIZE] = "";
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto add_header = [&](const std::string& h) { headers.reset(curl_slist_append(headers.release(), h.c_str())); };
    add_header("User-Agent: OcsCert/0.1 (libcurl)");
    add_header("Accept-Language: en");

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // ACME and SCEP never need redirects; a Location header is data
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_bundle.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_bundle.u8string().c_str());
    else curl_easy_setopt(c, CURLOPT_SSL_OPTIONS, platform::curl_system_trust_options());  // the roots the binding checks trust too
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min<long long>(options_.timeout.count(), 15)));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // thread-safe timeouts
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (method == "POST") {
        add_header("Content-Type: " + content_type);
        add_header("Expect:");  // no 100-continue round (or its 1 s timeout) before a finalize's CSR
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

    const CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);  // error_text and headers end with this call
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
    if (transfer.too_large)
        throw Error(OCSCERT_E_NETWORK, "ResponseTooLarge", options_.field,
                    "The CA at " + url_host(url) + " sent more than " + std::to_string(max_response_bytes / 1024) + " KiB; the answer was refused.");
    if (rc != CURLE_OK) fail_transfer(rc, error_text, url, options_);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &transfer.response.status);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);  // transfer ends with this call
    curl_easy_setopt(c, CURLOPT_HEADERDATA, nullptr);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, nullptr);
    return std::move(transfer.response);
}

std::optional<std::chrono::seconds> retry_after(const HttpResponse& response) {
    const auto* value = response.header("retry-after");
    if (!value || value->empty()) return std::nullopt;
    if (value->find_first_not_of("0123456789") == std::string::npos && value->size() < 9) return std::chrono::seconds(std::stol(*value));
    const std::time_t when = curl_getdate(value->c_str(), nullptr);
    if (when < 0) return std::nullopt;
    const std::time_t now = std::time(nullptr);
    return std::chrono::seconds(when > now ? when - now : 0);
}

std::string url_host(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    const auto end = url.find_first_of("/?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace ocscert::transport
