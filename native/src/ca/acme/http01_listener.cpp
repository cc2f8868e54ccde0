#include "ca/acme/http01_listener.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <openssl/bio.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"
#include "transport/http_client.hpp"

namespace ocscert::ca {

namespace {

constexpr const char* challenge_path = "/.well-known/acme-challenge/";
// Marks a relayed question, so a peer answers only from its own tokens and two listeners never ask each other in a loop.
constexpr const char* relay_query = "?relayed";

// ACME tokens are base64url (RFC 8555 8.3); anything else is never relayed into another request line.
bool is_token(const std::string& token) {
    return !token.empty() && token.size() <= 256 &&
           std::all_of(token.begin(), token.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

struct Standing {
    std::shared_ptr<Http01Listener> listener;
    std::chrono::steady_clock::time_point deadline;
};
std::mutex standing_mutex;
std::map<std::string, Standing> standing;

void drop_expired_locked() {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = standing.begin(); it != standing.end();) it = it->second.deadline <= now ? standing.erase(it) : std::next(it);
}

}  // namespace

HostPort parse_listener_address(const std::string& address, const std::string& field) {
    return parse_host_port(address, field, "InvalidListener", "0.0.0.0:80, or 127.0.0.1:5002 behind a port forward");
}

Http01Listener::Http01Listener(const std::string& address, const std::string& field, std::vector<HostPort> peers)
    : socket_(parse_listener_address(address, field), address, field, "the CA's http-01 check (or use a web root)"), peers_(std::move(peers)) {
    thread_ = std::thread([this] { run(); });
}

Http01Listener::~Http01Listener() {
    stop_ = true;
    socket_.wake();
    if (thread_.joinable()) thread_.join();
}

void Http01Listener::serve(const std::string& token, const std::string& key_authorization) {
    std::lock_guard<std::mutex> lock(mutex_);
    responses_[token] = key_authorization;
}

void Http01Listener::withdraw(const std::string& token) {
    std::lock_guard<std::mutex> lock(mutex_);
    responses_.erase(token);
}

void Http01Listener::run() {
    while (!stop_ && std::chrono::steady_clock::now() < stop_at_.load()) {
        const int client = socket_.accept();
        if (client == -1) continue;
        answer(client);
        transport::close_socket(client);
    }
}

std::string Http01Listener::ask_peers(const std::string& token) const {
    transport::HttpOptions options;
    options.timeout = std::chrono::seconds(2);
    options.field = "peers";
    for (const auto& peer : peers_) {
        const std::string host = peer.host.find(':') == std::string::npos ? peer.host : "[" + peer.host + "]";
        try {
            const auto response = transport::HttpClient(options).get("http://" + host + ":" + peer.port + challenge_path + token + relay_query);
            // A key authorization is "<token>.<account key thumbprint>" (RFC 8555 8.1).
            if (response.status == 200 && response.body.size() < 512 && response.body.rfind(token + ".", 0) == 0) return response.body;
        } catch (const Error&) {
            // A peer that is down cannot have the token; ask the next.
        }
    }
    return {};
}

void Http01Listener::answer(int client) {
    // Read up to the end of the request head (bounded: a validator sends a few hundred bytes).
    crypto::Ptr<BIO> bio(BIO_new_socket(client, BIO_NOCLOSE));
    std::string head;
    char buffer[1024];
    const std::time_t deadline = std::time(nullptr) + 5;
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192 && std::time(nullptr) < deadline && !stop_) {
        const int n = BIO_read(bio.get(), buffer, sizeof buffer);
        if (n > 0) head.append(buffer, static_cast<std::size_t>(n));
        else if (!BIO_should_retry(bio.get()) || BIO_socket_wait(client, 1, std::time(nullptr) + 1) < 0) break;
    }
    std::string status = "404 Not Found", body = "not found\n";
    const std::string line = head.substr(0, head.find("\r\n"));
    const std::string prefix = std::string("GET ") + challenge_path;
    if (line.rfind(prefix, 0) == 0) {
        const auto target_end = line.find(' ', prefix.size());
        std::string token = line.substr(prefix.size(), target_end == std::string::npos ? std::string::npos : target_end - prefix.size());
        const std::string relay_mark(relay_query);
        const bool relayed = token.size() > relay_mark.size() && token.compare(token.size() - relay_mark.size(), relay_mark.size(), relay_mark) == 0;
        if (relayed) token.resize(token.size() - relay_mark.size());
        {
            std::lock_guard<std::mutex> lock(mutex_);
            const auto it = responses_.find(token);
            if (it != responses_.end()) {
                status = "200 OK";
                body = it->second;
            }
        }
        if (status != "200 OK" && !relayed && !peers_.empty() && is_token(token)) {
            if (auto from_peer = ask_peers(token); !from_peer.empty()) {
                status = "200 OK";
                body = std::move(from_peer);
                ++relayed_;
            }
        }
    }
    const std::string response = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
                                 "\r\nConnection: close\r\n\r\n" + body;
    std::size_t sent = 0;
    while (sent < response.size() && std::time(nullptr) < deadline) {
        const int n = BIO_write(bio.get(), response.data() + sent, static_cast<int>(response.size() - sent));
        if (n > 0) sent += static_cast<std::size_t>(n);
        else if (!BIO_should_retry(bio.get()) || BIO_socket_wait(client, 0, std::time(nullptr) + 1) < 0) break;
    }
}

void open_standing_listener(const std::string& address, std::vector<HostPort> peers, std::chrono::seconds lifetime) {
    std::lock_guard<std::mutex> lock(standing_mutex);
    drop_expired_locked();
    standing.erase(address);  // reopening replaces (new peers, new deadline)
    auto listener = std::make_shared<Http01Listener>(address, "listen", std::move(peers));
    const auto deadline = std::chrono::steady_clock::now() + lifetime;
    listener->stop_answering_at(deadline);
    standing[address] = {std::move(listener), deadline};
}

std::shared_ptr<Http01Listener> standing_listener(const std::string& address) {
    std::lock_guard<std::mutex> lock(standing_mutex);
    drop_expired_locked();
    const auto it = standing.find(address);
    return it == standing.end() ? nullptr : it->second.listener;
}

int close_standing_listener(const std::string& address) {
    std::shared_ptr<Http01Listener> listener;
    {
        std::lock_guard<std::mutex> lock(standing_mutex);
        const auto it = standing.find(address);
        if (it == standing.end()) return -1;
        listener = std::move(it->second.listener);
        standing.erase(it);
    }
    return listener->relayed();
}

}  // namespace ocscert::ca
