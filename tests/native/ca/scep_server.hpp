#pragma once
// scepserver, the SCEP CA from Debian's scep package, on loopback with a fresh
// RSA 2048 CA of its own; and an HTTP relay that tests put between the client
// and real servers to see what was asked and to route, replay or alter answers.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../child_process.hpp"
#include "../test_support.hpp"
#include "transport/http_client.hpp"

namespace ocscert::testing {

struct ScepSettings {
    std::string challenge;     // empty: the server asks for none
    std::string csr_verifier;  // a script given each CSR; exit 1 refuses it
};

class ScepServer {
public:
    explicit ScepServer(const ScepSettings& settings) {
        const auto depot = (folder_.path() / "depot").string();
        if (ChildProcess::run({OCSCERT_SCEPSERVER, "ca", "-init", "-depot", depot, "-organization", "Contoso", "-country", "US", "-keySize", "2048"},
                              folder_.path() / "ca-init.log") != 0)
            throw std::runtime_error("scepserver could not make its CA");
        port = free_port();
        std::vector<std::string> argv{OCSCERT_SCEPSERVER, "-depot", depot, "-port", std::to_string(port), "-allowrenew", "0"};
        if (!settings.challenge.empty()) argv.insert(argv.end(), {"-challenge", settings.challenge});
        if (!settings.csr_verifier.empty()) argv.insert(argv.end(), {"-csrverifierexec", settings.csr_verifier});
        server_ = std::make_unique<ChildProcess>(argv, std::vector<std::pair<std::string, std::string>>{}, folder_.path() / "scepserver.log");
        server_->wait_for_port(port);
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/scep"; }
    std::string ca_pem_file() const { return (folder_.path() / "depot" / "ca.pem").string(); }
    std::string ca_key_file() const { return (folder_.path() / "depot" / "ca.key").string(); }  // PEM, encrypted with an empty password
    std::string log() const { return server_->log(); }

    int port = 0;

private:
    TempDir folder_;
    std::unique_ptr<ChildProcess> server_;
};

// One HTTP exchange at a time on 127.0.0.1; every connection is closed after its answer.
class HttpRelay {
public:
    struct Request {
        std::string method, target, content_type, body;
        std::string query() const { return target.substr(std::min(target.find('?'), target.size())); }
        std::string operation() const {
            const auto at = target.find("operation=");
            return at == std::string::npos ? "" : target.substr(at + 10, target.find('&', at) - at - 10);
        }
    };
    struct Reply {
        long status = 200;
        std::string content_type, body;
    };
    using Handler = std::function<Reply(const Request&)>;

    explicit HttpRelay(Handler handler) : handler_(std::move(handler)) {
        listener_ = listen_on_loopback();
        if (listener_ == no_socket || (port = local_port(listener_)) == 0) throw std::runtime_error("the relay cannot listen");
        thread_ = std::thread([this] { run(); });
    }
    ~HttpRelay() {
        stop_ = true;
        thread_.join();
        close_socket(listener_);
    }
    HttpRelay(const HttpRelay&) = delete;
    HttpRelay& operator=(const HttpRelay&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/scep"; }

    // The requests seen so far, in order.
    std::vector<Request> requests() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return seen_;
    }
    std::vector<std::string> operations() const {
        std::vector<std::string> out;
        for (const auto& r : requests()) out.push_back(r.operation());
        return out;
    }

    // The answer of the SCEP server at `url` to the request.
    static Reply forward(const std::string& url, const Request& request) {
        transport::HttpClient http(transport::HttpOptions{});
        const auto response = request.method == "POST" ? http.post(url + request.query(), request.body, request.content_type)
                                                        : http.get(url + request.query());
        const auto* type = response.header("content-type");
        return Reply{response.status, type ? *type : "", response.body};
    }

    int port = 0;

private:
    void run() {
        while (!stop_) {
            if (!readable(listener_, std::chrono::milliseconds(50))) continue;
            const socket_t fd = ::accept(listener_, nullptr, nullptr);
            if (fd == no_socket) continue;
            serve(fd);
            close_socket(fd);
        }
    }

    static std::string header(const std::string& head, const std::string& lower_name) {
        std::string lower = head;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto at = lower.find("\r\n" + lower_name + ":");
        if (at == std::string::npos) return "";
        const auto start = head.find_first_not_of(' ', at + lower_name.size() + 3);
        return head.substr(start, head.find("\r\n", start) - start);
    }

    void serve(socket_t fd) {
        std::string data;
        char buf[8192];
        std::size_t head_end;
        while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
            const auto n = recv_some(fd, buf, sizeof buf);
            if (n <= 0) return;
            data.append(buf, static_cast<std::size_t>(n));
        }
        const std::string head = data.substr(0, head_end);
        Request request;
        request.method = head.substr(0, head.find(' '));
        request.target = head.substr(head.find(' ') + 1, head.find(' ', head.find(' ') + 1) - head.find(' ') - 1);
        request.content_type = header(head, "content-type");
        const std::string length = header(head, "content-length");
        const std::size_t body_size = length.empty() ? 0 : std::stoul(length);
        if (header(head, "expect") == "100-continue") send(fd, "HTTP/1.1 100 Continue\r\n\r\n");
        request.body = data.substr(head_end + 4);
        while (request.body.size() < body_size) {
            const auto n = recv_some(fd, buf, sizeof buf);
            if (n <= 0) return;
            request.body.append(buf, static_cast<std::size_t>(n));
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            seen_.push_back(request);
        }
        Reply reply;
        try {
            reply = handler_(request);
        } catch (const std::exception& e) {
            reply = Reply{502, "text/plain", e.what()};
        }
        send(fd, "HTTP/1.1 " + std::to_string(reply.status) + " Relayed\r\nContent-Type: " + reply.content_type +
                     "\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\nConnection: close\r\n\r\n" + reply.body);
    }

    static void send(socket_t fd, const std::string& bytes) {
        for (std::size_t sent = 0; sent < bytes.size();) {
            const auto n = send_some(fd, bytes.data() + sent, bytes.size() - sent);
            if (n <= 0) return;
            sent += static_cast<std::size_t>(n);
        }
    }

    Handler handler_;
    socket_t listener_ = no_socket;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<Request> seen_;
};

}  // namespace ocscert::testing
