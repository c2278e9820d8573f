#include "core/resources.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

namespace kepumap::core {

namespace {
std::atomic<double> g_limit_override_gb{0.0};
constexpr double kGB = 1e9;
}  // namespace

std::uint64_t available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kb * 1024;
  }
  return 0;
}

void set_memory_limit_override_gb(double gb) { g_limit_override_gb = gb > 0 && std::isfinite(gb) ? gb : 0.0; }
double memory_limit_override_gb() { return g_limit_override_gb; }

std::string thousands(std::uint64_t n) {
  // Built front to back instead of inserting commas in place (GCC 12 reports a false
  // -Wrestrict on std::string::insert here, which breaks the CI build with -Werror).
  const std::string digits = std::to_string(n);
  std::string s;
  s.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

std::string gigabytes(std::uint64_t bytes) {
  const double gb = static_cast<double>(bytes) / kGB;
  char b[32];
  if (gb >= 10)
    std::snprintf(b, sizeof b, "%.0f GB", gb);
  else if (gb >= 1)
    std::snprintf(b, sizeof b, "%.1f GB", gb);
  else
    std::snprintf(b, sizeof b, "%.2f GB", gb);
  return b;
}

MemoryBudget memory_budget(double project_limit_gb) {
  MemoryBudget b;
  const std::uint64_t free = available_memory_bytes();
  if (free > 0) {
    b.bytes = free;
    b.description = "this machine has " + gigabytes(free) + " free";
  }
  auto apply = [&](double gb, const char* where) {
    if (!(gb > 0) || !std::isfinite(gb)) return;
    const auto bytes = static_cast<std::uint64_t>(gb * kGB);
    if (b.bytes == 0 || bytes < b.bytes) {
      b.bytes = bytes;
      char g[32];
      std::snprintf(g, sizeof g, "%g", gb);
      b.description = std::string("the memory limit is ") + g + " GB (" + where + ")";
    }
  };
  apply(project_limit_gb, "[limits] memory_gb in project.toml");
  apply(memory_limit_override_gb(), "--memory-gb");
  return b;
}

bool fits_memory(std::uint64_t bytes, double project_limit_gb) {
  const MemoryBudget b = memory_budget(project_limit_gb);
  return b.bytes == 0 || bytes <= b.bytes;
}

void require_memory(const std::string& what, std::uint64_t bytes, double project_limit_gb,
                    const std::string& advice) {
  const MemoryBudget b = memory_budget(project_limit_gb);
  if (b.bytes == 0 || bytes <= b.bytes) return;
  throw ResourceError("内存不足 not enough memory: " + what + " and needs about " + gigabytes(bytes) + "; " +
                      b.description + "; " + advice);
}

}  // namespace kepumap::core
