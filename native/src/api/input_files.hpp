#pragma once
// Files the caller names: read (CA answers, PFX files) and written (request
// files, exports). Paths must be absolute; a written file is never half-written
// and an existing one is kept unless the caller forces it.
#include <filesystem>
#include <string>

namespace ocscert::api {

// The file's bytes (at most 1 MiB); errors name `field`.
std::string read_input_file(const std::string& path, const std::string& field);

// Checks a file to be written before any work is done, so a refusal costs nothing. A file of the
// store (`store_root`: any file in its folders, or one that exists in it) is refused: -Force would
// overwrite a key or a record there.
std::filesystem::path checked_output_path(const std::string& path, bool force, const std::string& field, const std::filesystem::path& store_root);

// Writes `bytes` to a new file beside `path` and moves it into place.
void write_output_file(const std::string& path, const std::string& bytes, bool force, const std::string& field,
                       const std::filesystem::path& store_root);

}  // namespace ocscert::api
