#pragma once
// Helpers for the io tests: a scratch folder per test and small files written inline.
#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/diagnostics.hpp"

namespace kepumap::test {

/// A fresh folder under the system temp dir, removed when the object goes.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) {
    static std::atomic<int> counter{0};
    m_path = std::filesystem::temp_directory_path() /
             ("kepumap-io-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name);
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  /// Writes `text` to a file in the folder and returns its path as a string.
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = m_path / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string file(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

/// Every problem as its one-line text, one per line.
inline std::string problem_lines(const core::Diagnostics& d) {
  std::string s;
  for (const auto& p : d.problems) s += p.to_line() + "\n";
  return s;
}

inline bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace kepumap::test
