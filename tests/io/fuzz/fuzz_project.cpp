// libFuzzer target: the project.toml reader (io/project.cpp with toml++) must never crash or
// throw on any text; a project it accepts has every number in its documented range.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"
#include "io/project.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kepumap;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  core::Diagnostics diag;
  const core::ProjectConfig cfg = io::parse_project(text, "fuzz/project.toml", diag);
  for (const auto& p : diag.problems) require(!p.what.empty() && !p.to_line().empty() && p.line >= 0);
  if (diag.has_errors()) return 0;
  // Accepted: the numbers are sane.
  const auto& t = cfg.travel;
  require(std::isfinite(t.cell_size_m) && t.cell_size_m >= 1.0 && t.cell_size_m <= 100000.0);
  require(std::isfinite(t.offroad_kmh) && t.offroad_kmh > 0.0 && t.offroad_kmh <= 300.0);
  require(t.neighbours == 8 || t.neighbours == 16);
  require(std::isfinite(t.snap_tolerance_m) && t.snap_tolerance_m >= 0.0);
  for (const auto& [k, v] : t.road_speeds) require(std::isfinite(v) && v > 0.0 && v <= 300.0);
  for (const auto& [k, v] : t.tag_speeds) require(std::isfinite(v) && v > 0.0 && v <= 300.0);
  for (const auto& [k, v] : t.landcover_speeds) require(std::isfinite(k) && std::isfinite(v) && v >= 0.0);
  require(cfg.layers.size() <= 1000 && cfg.scenarios.size() <= 1000);
  for (const auto& l : cfg.layers) require(!l.name.empty() && !l.source.empty());
  for (const auto& s : cfg.scenarios) {
    if (s.offroad_kmh) require(std::isfinite(*s.offroad_kmh) && *s.offroad_kmh > 0.0);
    for (const auto& [k, v] : s.road_speeds) require(std::isfinite(v) && v > 0.0);
  }
  for (const auto& s : cfg.standards)
    require(std::isfinite(s.minutes) && s.minutes >= 0 && s.visits_per_year >= 0);
  for (const auto& g : cfg.targets) require(std::isfinite(g.threshold) && g.threshold >= 0);
  require(std::isfinite(cfg.demand.seat_share) && cfg.demand.seat_share >= 0 && cfg.demand.seat_share <= 1);
  return 0;
}
