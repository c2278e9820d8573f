// `kepumap coverage project.toml [--scenario NAME] -o DIR [--lang en]`: who is within reach of
// what, per unit, written as a GeoPackage (unit polygons with every figure, travel-time and gap
// rasters), CSV and XLSX tables.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "app/cli_common.hpp"
#include "app/verbs.hpp"
#include "io/errors.hpp"
#include "io/raster_gpkg.hpp"
#include "io/raster_io.hpp"
#include "io/vector_writer.hpp"
#include "report/coverage_tables.hpp"

namespace kepumap::app {

namespace {

core::GridF in_minutes(const core::GridF& seconds) {
  core::GridF m = seconds;
  m.nodata = -1.0f;
  for (float& v : m.data) v = std::isfinite(v) ? v / 60.0f : -1.0f;
  return m;
}

std::string service_key(const std::string& facility) {
  std::string k;
  for (char c : facility)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') k += c;
  return k.empty() ? "service" : k;
}

int run_coverage(const std::vector<std::string>& args) {
  const auto a = parse_common(args, "coverage", true);
  if (!a) return 2;
  for (const auto& r : a->rest) {
    std::fprintf(stderr, "error: kepumap coverage: unknown argument '%s'\n", r.c_str());
    return 2;
  }
  auto lp = load_and_evaluate(*a);
  if (!lp) return 2;
  const auto& doc = lp->doc;
  const auto& area = lp->pe.area;
  const auto& ev = lp->pe.ev;
  std::error_code ec;
  std::filesystem::create_directories(a->out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "error: %s: cannot create the output folder: %s\n", a->out_dir.c_str(), ec.message().c_str());
    return 2;
  }
  try {
    // Unit polygons with every figure, one layer per level that has polygons.
    const auto gpkg = a->out_dir / "coverage.gpkg";
    std::filesystem::remove(gpkg, ec);
    std::vector<core::Table> tables;
    std::vector<io::LayerToWrite> layers;
    tables.reserve(area.levels.size());
    for (std::size_t l = 0; l < area.levels.size(); ++l) {
      if (!area.level_layers[l]) continue;
      tables.push_back(report::unit_attributes(area, ev, l));
      layers.push_back({"coverage_" + area.levels[l].name, &area.level_layers[l]->geom, &tables.back()});
    }
    io::WriteOptions wo;
    wo.analysis_crs = doc.analysis_crs;
    io::write_layers(gpkg, layers, wo);
    // Rasters: time to each fixed service, to any, and the gap.
    for (std::size_t k = 0; k < ev.sets.size(); ++k) {
      if (ev.sets[k].mobile || ev.sets[k].points.empty()) continue;
      io::add_raster_to_gpkg(in_minutes(ev.surfaces[k].seconds), doc.analysis_crs, gpkg,
                             "time_" + service_key(ev.sets[k].facility) + "_min");
    }
    io::add_raster_to_gpkg(in_minutes(ev.coverage.best_time), doc.analysis_crs, gpkg, "time_any_min");
    io::add_raster_to_gpkg(ev.coverage.gap, doc.analysis_crs, gpkg, "gap");

    // Tables.
    std::vector<report::Sheet> sheets = report::coverage_sheets(area, ev, a->english);
    sheets.push_back(report::equity_sheet(ev, a->english));
    sheets.push_back(report::targets_sheet(ev, a->english));
    for (std::size_t l = 0; l < area.levels.size(); ++l)
      report::write_csv(a->out_dir / ("coverage_" + area.levels[l].name + ".csv"), sheets[l]);
    report::write_csv(a->out_dir / "equity.csv", sheets[area.levels.size()]);
    report::write_csv(a->out_dir / "targets.csv", sheets[area.levels.size() + 1]);
    report::write_xlsx(a->out_dir / "coverage.xlsx", sheets);
  } catch (const io::DataError& e) {
    std::fprintf(stderr, "%s\n", e.problem.to_line().c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }

  // Summary.
  const auto& t = ev.coverage.total;
  std::printf("%s%s%s\n", doc.config.name.c_str(), a->scenario.empty() ? "" : " — ", a->scenario.c_str());
  std::printf("  %s: %.0f\n", a->english ? "population" : "人口", t.population);
  for (std::size_t k = 0; k < ev.services.size(); ++k)
    std::printf("  %-16s %5.1f %%  (%.0f)\n", ev.services[k].facility.c_str(), 100.0 * t.service[k].share(), t.service[k].covered);
  std::printf("  %-16s %5.1f %%  (%.0f)\n", a->english ? "any" : "任一 any", 100.0 * t.share_any(), t.covered_any);
  std::printf("  %s: %.3f\n", a->english ? "Gini of travel time" : "出行时间基尼系数 Gini", ev.coverage.equity.gini_time);
  std::printf("  %s: %s\n", a->english ? "demand" : "需求 demand", area.demand_rule.c_str());
  std::printf("%s %s\n", a->english ? "wrote" : "已写入 wrote", a->out_dir.c_str());
  return 0;
}

VerbRegistration reg{"coverage", "coverage and gaps per unit: GeoPackage, CSV and XLSX (-o DIR)", run_coverage};

}  // namespace
}  // namespace kepumap::app
