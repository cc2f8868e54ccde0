#pragma once
// The built-in answerer for ACME http-01 challenges: a tiny HTTP server that
// serves /.well-known/acme-challenge/<token> and nothing else.
//
// A pool name resolves to any member (round-robin DNS, a load balancer), so the
// CA's check for one member's order may land on another member. A standing
// listener, opened on every member for the length of a pool-wide request, answers
// its own process's tokens and asks the other members' listeners (its `peers`)
// for tokens it does not know. It only ever relays what a configured peer serves,
// so nobody can plant an answer in it.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/host_port.hpp"
#include "transport/tcp_listener.hpp"

namespace ocscert::ca {

// "0.0.0.0:80", "[::]:80"; an address that is not host:port is refused naming `field` (InvalidListener).
HostPort parse_listener_address(const std::string& address, const std::string& field);

class Http01Listener {
public:
    // `address` is host:port ("0.0.0.0:80", "127.0.0.1:5002", "[::]:80"); errors name `field`.
    // `peers` (host:port of the other members' listeners) are asked for tokens this one does not know.
    Http01Listener(const std::string& address, const std::string& field, std::vector<HostPort> peers = {});
    ~Http01Listener();
    Http01Listener(const Http01Listener&) = delete;
    Http01Listener& operator=(const Http01Listener&) = delete;

    // Answers `token` with `key_authorization` until withdrawn or the listener is destroyed.
    void serve(const std::string& token, const std::string& key_authorization);
    void withdraw(const std::string& token);
    // How many checks this listener answered for a peer's token.
    int relayed() const { return relayed_; }
    // After this it answers nothing more (a standing listener's deadline).
    void stop_answering_at(std::chrono::steady_clock::time_point when) { stop_at_ = when; }

private:
    void run();
    void answer(int client);
    std::string ask_peers(const std::string& token) const;

    transport::TcpListener socket_;
    std::vector<HostPort> peers_;
    std::atomic<bool> stop_{false};
    std::atomic<std::chrono::steady_clock::time_point> stop_at_{std::chrono::steady_clock::time_point::max()};
    std::atomic<int> relayed_{0};
    std::mutex mutex_;
    std::map<std::string, std::string> responses_;
    std::thread thread_;
};

// Standing listeners: process-wide, keyed by the address they listen on, each closing itself at its
// deadline so a dropped admin session cannot leave port 80 open. An order whose httpListener is the
// address of a standing listener answers through it instead of opening its own.
void open_standing_listener(const std::string& address, std::vector<HostPort> peers, std::chrono::seconds lifetime);
std::shared_ptr<Http01Listener> standing_listener(const std::string& address);
// Closes it; the number of relayed answers, or -1 if none was open there.
int close_standing_listener(const std::string& address);

}  // namespace ocscert::ca
