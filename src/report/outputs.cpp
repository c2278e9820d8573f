#include "report/outputs.hpp"

#include <cmath>
#include <utility>
#include <vector>

#include "core/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/gpkg_meta.hpp"
#include "io/raster_gpkg.hpp"
#include "io/raster_io.hpp"
#include "io/vector_writer.hpp"
#include "report/coverage_tables.hpp"
#include "report/qgis_style.hpp"
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
                                   const analysis::ProjectEvaluation& pe, bool english,
                                   const core::Style& style, const std::string& output_crs,
                                   const std::atomic<bool>* cancel) {
  auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
  const auto& area = pe.area;
  const auto& ev = pe.ev;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return "error: " + dir.string() + ": cannot create the output folder: " + ec.message();
  }
  try {
    // coverage.gpkg is updated, not recreated: kepumap's own layers and rasters are replaced,
    // everything the planner added (other layers, styles saved from QGIS in layer_styles) is
    // kept. All changes go to a staging copy (a core::TempFile) renamed into place at the end, so
    // a failure or a kill leaves the previous file as it was.
    const auto gpkg = dir / "coverage.gpkg";
    core::TempFile stage(gpkg);
    if (std::filesystem::exists(gpkg)) {
      std::filesystem::copy_file(gpkg, stage.path(), ec);
      if (ec) {
        const std::string why = core::write_failure(gpkg, ec.value());
        return "error: " + gpkg.string() +
               ": cannot copy the GeoPackage to update it: " + (why.empty() ? ec.message() : why);
      }
    }
    // Unit polygons with every figure, one layer per level that has polygons.
    std::vector<core::Table> tables;
    std::vector<io::LayerToWrite> layers;
    std::vector<io::GpkgLayerMeta> meta;
    tables.reserve(area.levels.size());
    for (std::size_t l = 0; l < area.levels.size(); ++l) {
      if (!area.level_layers[l]) continue;
      FieldAliases aliases;
      tables.push_back(unit_attributes(area, ev, l, english, &aliases));
      const std::string table = "coverage_" + area.levels[l].name;
      layers.push_back({table, &area.level_layers[l]->geom, &tables.back()});
      // The same gap classes as the report's map and the app's legend (core::gap_classes).
      std::vector<double> gaps;
      for (const auto& f : ev.coverage.levels[l]) gaps.push_back(f.gap);
      const core::Choropleth classes = core::gap_classes(gaps, style);
      const std::string level = level_label(area.levels[l].name, english);
      io::GpkgLayerMeta m;
      m.table = table;
      m.title = english ? "coverage and gaps by " + level : level + "覆盖与缺口";
      m.description =
          english ? "kepumap coverage: people within each standard, shares, times and the gap "
                    "(uncovered people x priority)"
                  : "kepumap 覆盖分析：各标准内覆盖人口、覆盖率、出行时间与缺口（未覆盖人口×优先系数）";
      m.qml = qml_choropleth_polygons(classes, "gap", style.for_role(area.level_layers[l]->role), "name",
                                      aliases);
      m.aliases = std::move(aliases);
      meta.push_back(std::move(m));
    }
    if (cancelled()) return CANCELLED_LINE;
    io::WriteOptions wo;
    wo.analysis_crs = doc.analysis_crs;
    wo.output_crs = output_crs;
    wo.in_place = true;
    io::write_layers(stage.path(), layers, wo);
    // Rasters: time to each fixed service, to any, and the gap.
    std::vector<std::pair<const core::GridF*, std::string>> rasters;
    std::vector<core::GridF> minutes;
    std::vector<std::string> service_names;
    minutes.reserve(ev.sets.size() + 1);
    for (std::size_t k = 0; k < ev.sets.size(); ++k) {
      if (ev.sets[k].mobile || ev.sets[k].points.empty()) continue;
      minutes.push_back(in_minutes(ev.surfaces[k].seconds));
      rasters.emplace_back(&minutes.back(), "time_" + service_key(ev.sets[k].facility) + "_min");
      service_names.push_back(service_label(ev.sets[k].facility, ev.sets[k].facility, english));
    }
    minutes.push_back(in_minutes(ev.coverage.best_time));
    rasters.emplace_back(&minutes.back(), "time_any_min");
    rasters.emplace_back(&ev.coverage.gap, "gap");
    std::vector<std::string> names;
    for (const auto& r : rasters) names.push_back(r.second);
    io::drop_gpkg_rasters(stage.path(), names);
    for (const auto& r : rasters) {
      if (cancelled()) return CANCELLED_LINE;
      io::add_raster_to_gpkg(*r.first, doc.analysis_crs, stage.path(), r.second);
    }
    for (std::size_t i = 0; i < rasters.size(); ++i) {
      io::GpkgLayerMeta m;
      m.table = rasters[i].second;
      if (m.table == "gap") {
        m.title = english ? "gap (uncovered people x priority per cell)" : "缺口（每格未覆盖人口×优先系数）";
      } else if (m.table == "time_any_min") {
        m.title = english ? "travel time to the nearest venue of any kind (minutes)"
                          : "到最近任一设施的出行时间（分钟）";
      } else {
        m.title = english ? "travel time to " + service_names[i] + " (minutes)"
                          : "到" + service_names[i] + "的出行时间（分钟）";
      }
      m.description = m.title;
      meta.push_back(std::move(m));
    }
    io::write_gpkg_meta(stage.path(), meta);
    if (cancelled()) return CANCELLED_LINE;
    if (const std::string why = stage.commit(); !why.empty())
      return "error: " + gpkg.string() + ": cannot write (无法写入): " + why;

    // Tables.
    std::vector<Sheet> sheets = coverage_sheets(area, ev, english);
    sheets.push_back(equity_sheet(ev, english));
    sheets.push_back(targets_sheet(ev, english));
    for (std::size_t l = 0; l < area.levels.size(); ++l) {
      if (cancelled()) return CANCELLED_LINE;
      write_csv(dir / ("coverage_" + area.levels[l].name + ".csv"), sheets[l]);
    }
    if (cancelled()) return CANCELLED_LINE;
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
