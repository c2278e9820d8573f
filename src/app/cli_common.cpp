#include "app/cli_common.hpp"

#include <cmath>
#include <cstdio>

#include "io/errors.hpp"
#include "io/project.hpp"
#include "io/raster_gpkg.hpp"
#include "io/raster_io.hpp"
#include "io/vector_writer.hpp"
#include "report/coverage_tables.hpp"

namespace kepumap::app {

std::optional<CommonArgs> parse_common(const std::vector<std::string>& args, const char* verb, bool need_out) {
  CommonArgs a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    auto value = [&](const char* what) -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "error: kepumap %s: %s needs a value (%s)\n", verb, s.c_str(), what);
        return std::nullopt;
      }
      return args[++i];
    };
    if (s == "--scenario") {
      auto v = value("a scenario name from project.toml");
      if (!v) return std::nullopt;
      a.scenario = *v;
    } else if (s == "-o" || s == "--out") {
      auto v = value("an output folder");
      if (!v) return std::nullopt;
      a.out_dir = *v;
    } else if (s == "--lang") {
      auto v = value("zh or en");
      if (!v) return std::nullopt;
      if (*v != "zh" && *v != "en") {
        std::fprintf(stderr, "error: kepumap %s: --lang takes zh or en, not '%s'\n", verb, v->c_str());
        return std::nullopt;
      }
      a.english = *v == "en";
    } else if (a.project.empty() && !s.empty() && s[0] != '-') {
      a.project = s;
    } else {
      a.rest.push_back(s);
    }
  }
  if (a.project.empty()) {
    std::fprintf(stderr, "error: kepumap %s: give a project file (kepumap %s project.toml%s)\n", verb, verb,
                 need_out ? " -o DIR" : "");
    return std::nullopt;
  }
  if (need_out && a.out_dir.empty()) {
    std::fprintf(stderr, "error: kepumap %s: give an output folder with -o DIR\n", verb);
    return std::nullopt;
  }
  return a;
}

bool print_problems(const core::Diagnostics& diag) {
  for (const auto& p : diag.problems) std::fprintf(stderr, "%s\n", p.to_line().c_str());
  return diag.has_errors();
}

std::optional<LoadedProject> load_and_evaluate(const CommonArgs& a) {
  LoadedProject lp;
  lp.doc = io::load_project(a.project);
  if (print_problems(lp.doc.diagnostics)) return std::nullopt;
  core::Diagnostics diag;
  lp.pe = analysis::evaluate_project(lp.doc, a.scenario, diag);
  if (print_problems(diag)) return std::nullopt;
  return lp;
}

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

bool write_coverage_outputs(const std::filesystem::path& dir, const core::Document& doc,
                            const analysis::ProjectEvaluation& pe, bool english) {
  const auto& area = pe.area;
  const auto& ev = pe.ev;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "error: %s: cannot create the output folder: %s\n", dir.c_str(), ec.message().c_str());
    return false;
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
    std::vector<report::Sheet> sheets = report::coverage_sheets(area, ev, english);
    sheets.push_back(report::equity_sheet(ev, english));
    sheets.push_back(report::targets_sheet(ev, english));
    for (std::size_t l = 0; l < area.levels.size(); ++l)
      report::write_csv(dir / ("coverage_" + area.levels[l].name + ".csv"), sheets[l]);
    report::write_csv(dir / "equity.csv", sheets[area.levels.size()]);
    report::write_csv(dir / "targets.csv", sheets[area.levels.size() + 1]);
    report::write_xlsx(dir / "coverage.xlsx", sheets);
  } catch (const io::DataError& e) {
    std::fprintf(stderr, "%s\n", e.problem.to_line().c_str());
    return false;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return false;
  }
  return true;
}

}  // namespace kepumap::app
