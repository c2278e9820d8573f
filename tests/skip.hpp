#pragma once
// Skips that ctest counts as skips. Catch2 2.13 has no SKIP: a test that cannot run calls
// KEPUMAP_SKIP (or KEPUMAP_SKIP_INSTALLED) and returns; tests/catch_main.cpp then exits with
// kSkipExitCode, registered as every discovered test's SKIP_RETURN_CODE (tests/CMakeLists.txt).
// With CI set (CI=true), a prerequisite that ./test installs or the repository carries (Debian
// packages, Xvfb starting, the demo data, the built binary) is a failure instead of a skip.
#include <catch2/catch.hpp>

#include <string>

namespace kepumap::test {

/// The exit code of a test executable whose test cases passed but at least one skipped.
inline constexpr int kSkipExitCode = 4;

/// Records a skip with its reason (printed on stdout); the caller returns from the test case.
void record_skip(const std::string& why);
/// True once record_skip ran in this process.
bool skipped();
/// True when the CI environment variable is set to something other than "" / "0" / "false".
bool in_ci();

/// record_skip for a prerequisite ./test installs or the repository carries; under CI a failure
/// (FAIL ends the test case).
inline void record_skip_installed(const std::string& why) {
  if (in_ci()) FAIL(why + " (under CI this is provided by ./test or the repository: a failure, not a skip)");
  record_skip(why);
}

}  // namespace kepumap::test

/// Skips the current test case (reason as a string expression) and returns from it.
#define KEPUMAP_SKIP(why)              \
  do {                                 \
    ::kepumap::test::record_skip(why); \
    return;                            \
  } while (false)

/// Skips for a prerequisite ./test installs or the repository carries: a failure under CI.
#define KEPUMAP_SKIP_INSTALLED(why)              \
  do {                                           \
    ::kepumap::test::record_skip_installed(why); \
    return;                                      \
  } while (false)
