// Catch2's main compiled once for every test executable, with skips turned into an exit code
// (tests/skip.hpp).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "skip.hpp"

namespace kepumap::test {
namespace {
bool g_skipped = false;
}

void record_skip(const std::string& why) {
  g_skipped = true;
  std::cout << "SKIPPED: " << why << std::endl;
}

bool skipped() { return g_skipped; }

bool in_ci() {
  const char* v = std::getenv("CI");
  if (!v) return false;
  const std::string s = v;
  return !(s.empty() || s == "0" || s == "false" || s == "no");
}

}  // namespace kepumap::test

int main(int argc, char* argv[]) {
  // Catch returns the number of failed assertions (capped at 255): exactly 4 would read as a skip
  // to ctest, so any failure is exit 1.
  // Every test process gets a temporary folder of its own (TMPDIR, which the kepumap processes it
  // starts inherit), so tests that name fixed folders under the temporary directory cannot meet
  // another test's, or another checkout's test run's, at the same time. Removed when all passed.
  namespace fs = std::filesystem;
  std::error_code ec;
  const char* old_tmpdir = std::getenv("TMPDIR");
  const std::string restore = old_tmpdir ? old_tmpdir : "";
  const fs::path tmp = fs::temp_directory_path(ec) / ("kepumap-test-" + std::to_string(::getpid()));
  fs::create_directories(tmp, ec);
  if (!ec) ::setenv("TMPDIR", tmp.c_str(), 1);
  const int rc = Catch::Session().run(argc, argv);
  // Whatever runs at exit (the GUI harness's clean-up) finds the temporary directory it started with.
  if (old_tmpdir)
    ::setenv("TMPDIR", restore.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  if (rc == 0 && !ec) fs::remove_all(tmp, ec);
  if (rc != 0) return 1;
  if (kepumap::test::skipped()) return kepumap::test::kSkipExitCode;
  return 0;
}
