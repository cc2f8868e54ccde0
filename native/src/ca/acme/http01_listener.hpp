#pragma once
// The built-in answerer for ACME http-01 challenges: a tiny HTTP server that
// serves /.well-known/acme-challenge/<token> and nothing else, for as long as
// the object lives. OpenSSL's socket layer keeps it the same on Windows and POSIX.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/host_port.hpp"

namespace ocscert::ca {

// "0.0.0.0:80", "[::]:80"; an address that is not host:port is refused naming `field` (InvalidListener).
HostPort parse_listener_address(const std::string& address, const std::string& field);

class Http01Listener {
public:
    // `address` is host:port ("0.0.0.0:80", "127.0.0.1:5002", "[::]:80"); errors name `field`.
    Http01Listener(const std::string& address, const std::string& field);
    ~Http01Listener();
    Http01Listener(const Http01Listener&) = delete;
    Http01Listener& operator=(const Http01Listener&) = delete;

    // Answers `token` with `key_authorization` until the listener is destroyed.
    void serve(const std::string& token, const std::string& key_authorization);

private:
    void run();
    void answer(int client);

    int socket_ = -1;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::map<std::string, std::string> responses_;
    std::thread thread_;
};

}  // namespace ocscert::ca
