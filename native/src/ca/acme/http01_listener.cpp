#include "ca/acme/http01_listener.hpp"

#include <ctime>

#ifndef _WIN32
#include <sys/select.h>
#endif

#include <openssl/bio.h>
#include <openssl/err.h>

#include "core/error.hpp"
#include "core/host_port.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"
#include "platform/sockets.hpp"

namespace ocscert::ca {

namespace {

constexpr const char* challenge_path = "/.well-known/acme-challenge/";

// Waits at most 50 ms at a time, so the listener notices soon that it should stop (the order
// waits for that before it is finalized); BIO_socket_wait counts in whole seconds.
bool readable(int fd) {
    fd_set set;
    FD_ZERO(&set);
#ifdef _WIN32
    FD_SET(static_cast<SOCKET>(fd), &set);
#else
    FD_SET(fd, &set);
#endif
    timeval wait{0, 50 * 1000};
    return select(fd + 1, &set, nullptr, nullptr, &wait) > 0;
}

}  // namespace

HostPort parse_listener_address(const std::string& address, const std::string& field) {
    return parse_host_port(address, field, "InvalidListener", "0.0.0.0:80, or 127.0.0.1:5002 behind a port forward");
}

Http01Listener::Http01Listener(const std::string& address, const std::string& field) {
    const auto [host, port] = parse_listener_address(address, field);
    BIO_ADDRINFO* raw = nullptr;
    if (!BIO_lookup_ex(host.c_str(), port.c_str(), BIO_LOOKUP_SERVER, AF_UNSPEC, SOCK_STREAM, 0, &raw))
        invalid(field, "InvalidListener", "The listener address " + text::quote(address) + " could not be resolved.");
    crypto::Ptr<BIO_ADDRINFO> info(raw);
    ERR_clear_error();
    socket_ = BIO_socket(BIO_ADDRINFO_family(info.get()), SOCK_STREAM, 0, 0);
    if (socket_ == -1 || !BIO_listen(socket_, BIO_ADDRINFO_address(info.get()), BIO_SOCK_REUSEADDR | BIO_SOCK_NONBLOCK)) {
        if (socket_ != -1) BIO_closesocket(socket_);
        ERR_clear_error();
        throw Error(OCSCERT_E_NETWORK, "ListenerUnavailable", field,
                    "Could not listen on " + address +
                        " for the CA's http-01 check: the port is in use or needs privileges. Free it, choose another with a port forward, or use a web root.");
    }
    thread_ = std::thread([this] { run(); });
}

Http01Listener::~Http01Listener() {
    stop_ = true;
#ifndef _WIN32
    shutdown(socket_, SHUT_RDWR);  // wakes the wait at once on Linux; elsewhere it ends within 50 ms
#endif
    if (thread_.joinable()) thread_.join();
    BIO_closesocket(socket_);
}

void Http01Listener::serve(const std::string& token, const std::string& key_authorization) {
    std::lock_guard<std::mutex> lock(mutex_);
    responses_[token] = key_authorization;
}

void Http01Listener::run() {
    while (!stop_) {
        if (!readable(socket_)) continue;
        const int client = BIO_accept_ex(socket_, nullptr, BIO_SOCK_NONBLOCK);
        if (client == -1) {
            ERR_clear_error();
            continue;
        }
        answer(client);
        BIO_closesocket(client);
    }
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
    const auto line_end = head.find("\r\n");
    const std::string line = head.substr(0, line_end);
    const std::string prefix = std::string("GET ") + challenge_path;
    if (line.rfind(prefix, 0) == 0) {
        const auto token_end = line.find(' ', prefix.size());
        const std::string token = line.substr(prefix.size(), token_end == std::string::npos ? std::string::npos : token_end - prefix.size());
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = responses_.find(token);
        if (it != responses_.end()) {
            status = "200 OK";
            body = it->second;
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

}  // namespace ocscert::ca
