#include "transport/tcp_listener.hpp"

#ifndef _WIN32
#include <sys/select.h>
#endif

#include <openssl/bio.h>
#include <openssl/err.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"
#include "platform/sockets.hpp"

namespace ocscert::transport {

namespace {

// BIO_socket_wait counts in whole seconds; select lets the wait be 50 ms.
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

TcpListener::TcpListener(const HostPort& at, const std::string& text, const std::string& field, const std::string& purpose) {
    BIO_ADDRINFO* raw = nullptr;
    if (!BIO_lookup_ex(at.host.c_str(), at.port.c_str(), BIO_LOOKUP_SERVER, AF_UNSPEC, SOCK_STREAM, 0, &raw))
        invalid(field, "InvalidListener", "The listener address " + text::quote(text) + " could not be resolved.");
    crypto::Ptr<BIO_ADDRINFO> info(raw);
    ERR_clear_error();
    socket_ = BIO_socket(BIO_ADDRINFO_family(info.get()), SOCK_STREAM, 0, 0);
    if (socket_ == -1 || !BIO_listen(socket_, BIO_ADDRINFO_address(info.get()), BIO_SOCK_REUSEADDR | BIO_SOCK_NONBLOCK)) {
        if (socket_ != -1) BIO_closesocket(socket_);
        ERR_clear_error();
        throw Error(OCSCERT_E_NETWORK, "ListenerUnavailable", field,
                    "Could not listen on " + text + " for " + purpose + ": the port is in use or needs privileges. Free it or choose another.");
    }
}

TcpListener::~TcpListener() { BIO_closesocket(socket_); }

int TcpListener::accept() {
    if (!readable(socket_)) return -1;
    const int client = BIO_accept_ex(socket_, nullptr, BIO_SOCK_NONBLOCK);
    if (client == -1) ERR_clear_error();
    return client;
}

void TcpListener::wake() {
#ifndef _WIN32
    shutdown(socket_, SHUT_RDWR);  // wakes select at once on Linux
#endif
}

void close_socket(int socket) { BIO_closesocket(socket); }

}  // namespace ocscert::transport
