#pragma once
// Writing a file so that nothing the user had is lost: the text goes to a temporary file beside
// the target, which is then renamed over it (rename is atomic on one file system).
#include <filesystem>
#include <string>

namespace kepumap::core {

/// Writes `text` to `file` through a temporary file in the same folder renamed into place; the
/// folder is created if needed. False (and no temporary left behind) when it cannot be written.
bool write_file_atomic(const std::filesystem::path& file, const std::string& text);

}  // namespace kepumap::core
