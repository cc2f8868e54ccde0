// The parts of the platform layer that are the same everywhere.
#include <cstdlib>
#include <cstring>

#include "platform/platform.hpp"

namespace ocscert::platform {

void crash_point(const char* point) {
    const char* wanted = std::getenv("OCSCERT_TEST_CRASH_AT");  // read each time: tests set it in forked children
    if (wanted != nullptr && std::strcmp(wanted, point) == 0) std::_Exit(86);
}

}  // namespace ocscert::platform
