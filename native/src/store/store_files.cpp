#include "store/store_files.hpp"

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace ocscert::store {

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(OCSCERT_E_IO, "StoreIoError", "", "Cannot read '" + path.string() + "'.");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace ocscert::store
