#pragma once
// The resource guard: before a big allocation (the travel grid, the siting matrix, the caravan
// stop matrix, a report raster) its size is estimated and compared with the memory the machine
// has free (MemAvailable in /proc/meminfo) and an optional limit ([limits] memory_gb in
// project.toml, --memory-gb on the command line). Too big: a ResourceError with one line saying
// how big, how much is free and what to change, before anything is allocated.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace kepumap::core {

/// A job that would not fit in memory; what() is the one line to show.
class ResourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bytes the kernel reports available (MemAvailable of /proc/meminfo); 0 when unknown.
std::uint64_t available_memory_bytes();

/// A process-wide limit in GB (0 = none) set once by the command line's --memory-gb; the smaller
/// of it and the project's [limits] memory_gb applies.
void set_memory_limit_override_gb(double gb);
double memory_limit_override_gb();

/// The memory a job may use: the smaller of what is free and the limits; `description` says
/// which ("this machine has 21.3 GB free", "the memory limit is 2 GB (memory_gb)").
struct MemoryBudget {
  std::uint64_t bytes = 0;  ///< 0 = unknown (no /proc/meminfo, no limit): nothing is refused
  std::string description;
};
/// `project_limit_gb`: [limits] memory_gb of the project (0 = none).
MemoryBudget memory_budget(double project_limit_gb);

/// "11,800" — thousands separated by commas.
std::string thousands(std::uint64_t n);
/// "2.4 GB" / "0.31 GB" — bytes in GB (10^9) with 2 significant figures at least.
std::string gigabytes(std::uint64_t bytes);

/// Throws ResourceError "内存不足 not enough memory: <what> needs about N GB; <budget>; <advice>"
/// when `bytes` exceeds the budget. `what` names the allocation ("the travel grid at 100 m is
/// 11,800 × 15,900 cells"), `advice` what to change ("use cell_size_m ≥ 400 or a smaller extent").
void require_memory(const std::string& what, std::uint64_t bytes, double project_limit_gb,
                    const std::string& advice);

/// True when `bytes` fits the budget (or the budget is unknown).
bool fits_memory(std::uint64_t bytes, double project_limit_gb);

}  // namespace kepumap::core
