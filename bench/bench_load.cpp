// Load, reproject and repair all 103 Inner Mongolia county outlines
// (../shared/data/boundaries/inner_mongolia_counties.geojson): GDAL read, GCJ-free WGS84 ->
// Albers analysis CRS, GEOS MakeValid on every polygon. Prints the median of 15 runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <time.h>

#include "io/project.hpp"

namespace {
/// CPU time of this process in milliseconds (fairer than wall time on a shared machine).
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const fs::path file = argc > 1
                            ? fs::path(argv[1])
                            : fs::path(KEPUMAP_SHARED_DATA) / "boundaries/inner_mongolia_counties.geojson";
  if (!fs::exists(file)) {
    std::fprintf(stderr, "error: %s: file not found (pass the GeoJSON path as argument)\n",
                 file.string().c_str());
    return 2;
  }
  constexpr int k_runs = 15;
  std::vector<double> ms, cpu;
  std::size_t features = 0, repaired = 0, coords = 0;
  for (int i = 0; i < k_runs; ++i) {
    const double c0 = cpu_ms();
    const auto t0 = std::chrono::steady_clock::now();
    auto doc = kepumap::io::load_data_file(file.string());
    const auto t1 = std::chrono::steady_clock::now();
    cpu.push_back(cpu_ms() - c0);
    if (doc.diagnostics.has_errors() || doc.layers.size() != 1) {
      std::fprintf(stderr, "error: loading failed\n");
      return 2;
    }
    features = doc.layers[0].geom.feature_count();
    repaired = doc.layers[0].report.repaired.size();
    coords = doc.layers[0].geom.coords.size();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("bench_load: %s\n", file.filename().string().c_str());
  std::printf("  %zu features, %zu vertices after repair, %zu repaired\n", features, coords, repaired);
  std::printf("  load + reproject + repair: median %.1f ms, min %.1f ms, max %.1f ms over %d runs\n",
              ms[ms.size() / 2], ms.front(), ms.back(), k_runs);
  std::printf("  CPU time: median %.1f ms, min %.1f ms\n", cpu[cpu.size() / 2], cpu.front());
  return 0;
}
