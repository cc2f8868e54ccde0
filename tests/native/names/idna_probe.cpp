// Reads names, one a line (UTF-8), and prints one line for each: "ok <name as the certificate
// carries it>" or "refused <reason> <message>". compare_idna_with_python.py feeds it a corpus and
// compares with python's idna package.
#include <iostream>
#include <string>

#include "core/error.hpp"
#include "names/dns_name.hpp"

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        try {
            const std::string name = ocscert::names::normalize_dns_name(line, "domainName");
            std::cout << "ok " << name << '\n';
        } catch (const ocscert::Error& e) {
            std::cout << "refused " << e.reason() << ' ' << e.what() << '\n';
        }
    }
    return std::cout ? 0 : 1;
}
