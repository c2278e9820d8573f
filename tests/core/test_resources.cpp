// The resource guard's budget and message (core/resources.hpp).
#include <catch2/catch.hpp>

#include <string>

#include "core/resources.hpp"

using namespace kepumap;

namespace {
std::string refusal(std::uint64_t bytes, double project_gb) {
  try {
    core::require_memory("the grid is 3 × 4 cells", bytes, project_gb, "use cell_size_m ≥ 9");
  } catch (const core::ResourceError& e) {
    return e.what();
  }
  return {};
}
}  // namespace

TEST_CASE("resource guard: numbers with thousands separators and GB", "[core][resources]") {
  CHECK(core::thousands(0) == "0");
  CHECK(core::thousands(999) == "999");
  CHECK(core::thousands(11800) == "11,800");
  CHECK(core::thousands(1234567) == "1,234,567");
  CHECK(core::gigabytes(19'000'000'000ull) == "19 GB");
  CHECK(core::gigabytes(2'400'000'000ull) == "2.4 GB");
  CHECK(core::gigabytes(310'000'000ull) == "0.31 GB");
}

TEST_CASE("resource guard: the smaller of free memory, the project limit and --memory-gb applies",
          "[core][resources]") {
  const std::uint64_t free = core::available_memory_bytes();
  REQUIRE(free > 0);  // Linux: /proc/meminfo has MemAvailable
  core::set_memory_limit_override_gb(0);
  // More than the machine has free: refused, naming what is free.
  const std::string over = refusal(free * 2, 0.0);
  CHECK(over.find("内存不足 not enough memory: the grid is 3 × 4 cells and needs about ") == 0);
  CHECK(over.find("this machine has ") != std::string::npos);
  CHECK(over.find("; use cell_size_m ≥ 9") != std::string::npos);
  CHECK(over.find('\n') == std::string::npos);
  // The project's limit.
  CHECK(refusal(600'000'000, 0.5).find("the memory limit is 0.5 GB ([limits] memory_gb in project.toml)") !=
        std::string::npos);
  CHECK(refusal(400'000'000, 0.5).empty());
  // The command line's, when smaller.
  core::set_memory_limit_override_gb(0.25);
  CHECK(refusal(400'000'000, 0.5).find("the memory limit is 0.25 GB (--memory-gb)") != std::string::npos);
  CHECK(refusal(200'000'000, 0.5).empty());
  CHECK_FALSE(core::fits_memory(300'000'000, 0.0));
  core::set_memory_limit_override_gb(0);
  CHECK(core::fits_memory(300'000'000, 0.0) == (free >= 300'000'000));
}
