#pragma once
// Paths the tests read, fixed at configure time.
#include <filesystem>
#include <string>

namespace kepumap::test {
/// The repository root (demo data lives in data/).
inline std::filesystem::path source_dir() { return KEPUMAP_SOURCE_DIR; }
/// ../shared/data beside the repository; may be absent in a bare clone.
inline std::filesystem::path shared_data() { return KEPUMAP_SHARED_DATA; }
/// The build directory (the kepumap binary is build/src/app/kepumap).
inline std::filesystem::path binary_dir() { return KEPUMAP_BINARY_DIR; }
inline bool have_shared_data() { return std::filesystem::exists(shared_data() / "SOURCES.md"); }
}  // namespace kepumap::test
