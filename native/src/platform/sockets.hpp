#pragma once
// The system header that defines AF_* and SOCK_* for OpenSSL's socket calls.
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <sys/socket.h>
#endif
