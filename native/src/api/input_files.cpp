#include "api/input_files.hpp"

#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"

namespace ocscert::api {

namespace fs = std::filesystem;

std::string read_input_file(const std::string& path_text, const std::string& field) {
    const fs::path path = fs::u8path(path_text);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) invalid(field, "InvalidPath", text::quote(path_text) + " is not a file.");
    if (fs::file_size(path, ec) > 1024 * 1024)
        invalid(field, "FileTooLarge", text::quote(path_text) + " is larger than 1 MiB, more than any certificate, CA answer or PFX file is.");
    std::ifstream in(path, std::ios::binary);
    // A PEM answer saved by Windows PowerShell 5.1 (> or Out-File) is UTF-16; DER and PFX never start with its mark.
    return text::utf8_from_utf16_with_bom(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
}

fs::path checked_output_path(const std::string& path_text, bool force, const std::string& field, const fs::path& store_root) {
    const fs::path path = fs::u8path(path_text);
    std::error_code ec;
    if (!path.is_absolute()) invalid(field, "InvalidPath", "The file must be an absolute path; " + text::quote(path_text) + " is not.");
    // A new file beside the store's own (C:\OcsCert\pool01.req for the store C:\OcsCert) harms nothing; an
    // existing one there, or any file in the store's folders, is the store's.
    if (platform::is_inside(path, store_root) && (fs::exists(path, ec) || !platform::is_inside(store_root, path.parent_path())))
        invalid(field, "PathInsideStore",
                text::quote(path_text) + " is a file of the store " + text::quote(store_root.u8string()) +
                    ", which only the store itself writes; give a new file, or a path outside the store.");
    if (fs::is_directory(path, ec)) invalid(field, "InvalidPath", text::quote(path_text) + " is a folder; give the name of a file in it.");
    if (!fs::is_directory(path.parent_path(), ec)) invalid(field, "InvalidPath", "The folder of " + text::quote(path_text) + " does not exist.");
    if (fs::exists(path, ec) && !force)
        throw Error(OCSCERT_E_ALREADY_EXISTS, "OutFileExists", field, text::quote(path_text) + " exists already; use -Force to overwrite it.");
    return path;
}

void write_output_file(const std::string& path_text, const std::string& bytes, bool force, const std::string& field, const fs::path& store_root) {
    const fs::path path = checked_output_path(path_text, force, field, store_root);
    const fs::path staged = path.string() + ".ocscert-new";
    std::error_code ec;
    fs::remove(staged, ec);
    platform::write_new_file(staged, bytes, /*owner_only=*/true);
    platform::replace_file(staged, path);
}

}  // namespace ocscert::api
