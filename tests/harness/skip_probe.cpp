// A test executable for the harness itself (tests/harness/CMakeLists.txt runs it and checks its
// exit code): with an argument "fail4" its one test case fails exactly four checks, the number
// ctest would take for a skip if failures were passed through; with "skip" it skips.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "skip.hpp"

TEST_CASE("harness probe: four failed checks", "[fail4]") {
  for (int k = 0; k < 4; ++k) CHECK(k < 0);
}

TEST_CASE("harness probe: a skip", "[skip]") { KEPUMAP_SKIP("the harness probe skips on purpose"); }
