#pragma once
// A listening TCP socket that the small built-in servers share (the http-01
// answerer and the mutual-TLS responder of the pool test): OpenSSL's socket
// layer keeps it the same on Windows and POSIX, and accept waits at most 50 ms
// so a server thread notices soon that it should stop.
#include <string>

#include "core/host_port.hpp"

namespace ocscert::transport {

class TcpListener {
public:
    // Listens on `at`; errors name `field` and say what the socket was for (`purpose`).
    TcpListener(const HostPort& at, const std::string& text, const std::string& field, const std::string& purpose);
    ~TcpListener();
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    // A connected, non-blocking client socket, or -1 when none came within 50 ms.
    int accept();
    // Makes a pending accept() return at once (where the system allows; elsewhere within 50 ms).
    void wake();

private:
    int socket_ = -1;
};

// Closes a socket that accept() returned.
void close_socket(int socket);

}  // namespace ocscert::transport
