#include "report/outputs.hpp"

#include <cmath>

#include "io/errors.hpp"
#include "io/raster_gpkg.hpp"
#include "io/raster_io.hpp"
#include "io/vector_writer.hpp"
#include "report/coverage_tables.hpp"
#include "report/tables.hpp"

namespace kepumap::report {

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

}  // namespace

std::string write_coverage_outputs(const std::filesystem::path& dir, const core::Document& doc,
                            const analysis::ProjectEvaluation& pe, bool english) {
  const auto& area = pe.area;
  const auto& ev = pe.ev;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return "error: " + dir.string() + ": cannot create the output folder: " + ec.message();
  }
  try {
    // Unit polygons with every figure, one layer per level that has polygons.
    const auto gpkg = dir / "coverage.gpkg";
    std::filesystem::remove(gpkg, ec);
    std::vector<core::Table> tables;
    std::vector<io::LayerToWrite> layers;
    tables.reserve(area.levels.size());
    for (std::size_t l = 0; l < area.levels.size(); ++l) {
      if (!area.level_layers[l]) continue;
      tables.push_back(unit_attributes(area, ev, l));
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
    std::vector<Sheet> sheets = coverage_sheets(area, ev, english);
    sheets.push_back(equity_sheet(ev, english));
    sheets.push_back(targets_sheet(ev, english));
    for (std::size_t l = 0; l < area.levels.size(); ++l)
      write_csv(dir / ("coverage_" + area.levels[l].name + ".csv"), sheets[l]);
    write_csv(dir / "equity.csv", sheets[area.levels.size()]);
    write_csv(dir / "targets.csv", sheets[area.levels.size() + 1]);
    write_xlsx(dir / "coverage.xlsx", sheets);
  } catch (const io::DataError& e) {
    return e.problem.to_line();
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
  return {};
}

}  // namespace kepumap::report
