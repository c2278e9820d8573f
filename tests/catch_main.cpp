// Catch2's main compiled once for every test executable, with skips turned into an exit code
// (tests/skip.hpp).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
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
  const int rc = Catch::Session().run(argc, argv);
  if (rc == 0 && kepumap::test::skipped()) return kepumap::test::kSkipExitCode;
  return rc;
}
