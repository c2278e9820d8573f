// `kepumap travel project.toml --from ROLE [--scenario NAME] -o DIR`: the travel-time surface
// from every facility of a role (GeoTIFF, minutes), the nearest facility per cell (GeoTIFF,
// facility index), isochrones at 15/30/60/120 min (GeoPackage) and a CSV with the time from
// every village and town to its nearest facility.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/isolines.hpp"
#include "analysis/travel_project.hpp"
#include "app/cli_common.hpp"
#include "app/verbs.hpp"
#include "core/atomic_file.hpp"
#include "core/document.hpp"
#include "io/errors.hpp"
#include "io/gpkg_meta.hpp"
#include "io/project.hpp"
#include "io/raster_io.hpp"
#include "io/vector_writer.hpp"
#include "report/qgis_style.hpp"
#include "report/tables.hpp"

namespace kepumap::app {

namespace {

namespace fs = std::filesystem;

void usage() {
  std::fprintf(
      stderr,
      "用法 usage: kepumap travel project.toml --from ROLE [--scenario NAME] -o DIR\n"
      "  --from ROLE        设施角色 facility role (museum, education_base, caravan_depot, town, ...)\n"
      "  --scenario NAME    情景 a [[scenario]] of the project (e.g. winter)\n"
      "  -o, --out DIR      输出目录 output folder (created if missing)\n"
      "  --crs C            isochrones.gpkg 坐标系: wgs84 (default), cgcs2000, cgcs2000-gk\n"
      "writes travel_time.tif (minutes), nearest_facility.tif (facility index and name table),\n"
      "a QGIS style (.qml) beside each, isochrones.gpkg (styled), times.csv (every village and town:\n"
      "nearest facility and minutes)\n");
}

int bad(const std::string& file, const std::string& what) {
  core::Problem p;
  p.file = file;
  p.what = what;
  std::fprintf(stderr, "%s\n", p.to_line().c_str());
  return 2;
}

std::string text_of(const core::Layer& l, const std::string& field, std::size_t row) {
  const int c = l.column(field);
  return c >= 0 ? l.attrs.columns[static_cast<std::size_t>(c)].text(row) : std::string{};
}

/// Representative point of a feature: the point itself, or the centroid.
core::Vec2 point_of(const core::Geometries& g, core::FeatureId f) {
  return g.kind == core::GeomKind::Point ? g.first_point(f) : core::feature_centroid(g, f);
}

struct Place {
  std::string kind, layer, name, code;
  long long feature = 0;
  core::Vec2 p;
};

std::string fmt(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

int run_travel(const std::vector<std::string>& args) {
  std::string project, role_text, scenario_name, out_dir, crs = "wgs84";
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&](std::string& dst) {
      if (k + 1 >= args.size()) return false;
      dst = args[++k];
      return true;
    };
    bool ok = true;
    if (a == "--from")
      ok = value(role_text);
    else if (a == "--scenario")
      ok = value(scenario_name);
    else if (a == "-o" || a == "--out")
      ok = value(out_dir);
    else if (a == "--crs") {
      ok = value(crs);
      if (ok && !known_output_crs(crs))
        return bad("", "--crs takes wgs84, cgcs2000 or cgcs2000-gk, not '" + crs + "' (未知坐标系)");
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      usage();
      return bad("", "unknown option " + a + " (未知选项)");
    } else if (project.empty())
      project = a;
    else {
      usage();
      return bad("", "unexpected argument " + a + " (多余的参数)");
    }
    if (!ok) {
      usage();
      return bad("", "option " + a + " needs a value (选项缺少取值)");
    }
  }
  if (project.empty() || role_text.empty() || out_dir.empty()) {
    usage();
    return bad(project, "travel needs a project file, --from ROLE and -o DIR (缺少参数)");
  }
  const auto role = core::role_from_name(role_text);
  if (!role) {
    std::string names;
    for (auto r : core::all_roles()) names += (names.empty() ? "" : ", ") + std::string(core::role_name(r));
    return bad(project, "unknown role \"" + role_text + "\" (未知角色); roles: " + names);
  }

  core::Document doc = io::load_project(project);
  if (doc.diagnostics.has_errors()) {
    for (const auto& p : doc.diagnostics.problems) std::fprintf(stderr, "%s\n", p.to_line().c_str());
    return 2;
  }
  core::TravelSettings settings = doc.config.travel;
  if (!scenario_name.empty()) {
    const auto* s = analysis::find_scenario(doc.config, scenario_name);
    if (!s) {
      std::string names;
      for (const auto& sc : doc.config.scenarios) names += (names.empty() ? "" : ", ") + sc.name;
      return bad(project,
                 "no [[scenario]] named \"" + scenario_name + "\" (没有此情景)" +
                     (names.empty() ? std::string("; the project has none") : "; scenarios: " + names));
    }
    settings = analysis::apply_scenario(settings, *s);
  }

  // Facilities: every feature of every layer with the role.
  std::vector<core::Vec2> fac;
  std::vector<std::string> fac_name;
  for (const auto& l : doc.layers) {
    if (l.role != *role || l.is_raster) continue;
    for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
      if (!l.geom.has_geometry(f)) continue;
      fac.push_back(point_of(l.geom, f));
      std::string n = text_of(l, l.fields.name, f);
      fac_name.push_back(n.empty() ? l.name + " #" + std::to_string(f) : n);
    }
  }
  if (fac.empty())
    return bad(project,
               "no facilities with role \"" + role_text + "\" in the project (项目中没有该角色的设施)");

  core::Diagnostics diag;
  const auto pt = analysis::build_project_travel(doc, settings, diag, scenario_name);
  for (const auto& p : diag.problems) std::fprintf(stderr, "%s\n", p.to_line().c_str());
  const auto surface = analysis::travel_surface(pt.model, fac);
  for (auto i : surface.unplaced)
    std::fprintf(stderr, "warning: %s: facility %u (%s) %s; left out\n", project.c_str(), i,
                 fac_name[i].c_str(),
                 doc.study.contains(fac[i]) ? "is not near any passable cell"
                                            : "在研究区外 is outside the study area and its margin");

  // Villages and towns.
  // Villages and towns outside the study area are left out and counted (在研究区外).
  std::vector<Place> places;
  std::size_t outside = 0;
  for (const auto& l : doc.layers) {
    if (l.is_raster || (l.role != core::Role::Village && l.role != core::Role::Town)) continue;
    for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
      if (!l.geom.has_geometry(f)) continue;
      const core::Vec2 at = f < l.seats.size()
                                ? l.seats[f]
                                : core::representative_point(l.geom, f);  // the unit seat coverage uses
      if (!doc.study.contains(at)) {
        ++outside;
        continue;
      }
      places.push_back({std::string(core::role_name(l.role)), l.name, text_of(l, l.fields.name, f),
                        text_of(l, l.fields.code, f), f < l.source_index.size() ? l.source_index[f] : f, at});
    }
  }

  std::error_code ec;
  fs::create_directories(fs::path(out_dir), ec);
  if (ec) return bad(out_dir, "cannot create the output folder (无法创建输出目录): " + ec.message());
  const fs::path dir(out_dir);
  std::size_t reachable = 0;
  std::vector<double> minutes;
  try {
    core::GridF tmin = surface.seconds;
    core::GridI near = surface.nearest;
    tmin.nodata = -1.0f;
    near.nodata = -1;
    for (std::size_t i = 0; i < tmin.data.size(); ++i) {
      const float s = surface.seconds.data[i];
      tmin.data[i] = std::isfinite(s) ? s / 60.0f : -1.0f;
      if (!std::isfinite(s) || near.data[i] < 0) near.data[i] = -1;
    }
    io::write_geotiff(tmin, doc.analysis_crs, dir / "travel_time.tif", "出行时间 travel time (分钟 minutes)",
                      "min");
    io::write_geotiff_classes(near, doc.analysis_crs, dir / "nearest_facility.tif", fac_name,
                              "最近设施 nearest facility (see the attribute table)");
    // QGIS reads a .qml beside a raster as its default style.
    const core::Style style = output_style(project);
    std::string qml_why;
    for (const auto& [file, qml] :
         {std::pair{dir / "travel_time.qml", report::qml_time_raster(style)},
          std::pair{dir / "nearest_facility.qml", report::qml_class_raster(fac_name)}})
      if (!core::write_file_atomic(file, qml, &qml_why))
        return bad(file.string(), "cannot write (无法写入): " + qml_why);

    const auto iso = analysis::isolines(surface.seconds, analysis::ISOCHRONE_LEVELS_S);
    core::Table attrs;
    const int cm = attrs.add_column("minutes", core::FieldType::Integer);
    for (double lv : iso.levels)
      attrs.columns[static_cast<std::size_t>(cm)].push_int(static_cast<std::int64_t>(lv / 60.0));
    io::WriteOptions wo;
    wo.analysis_crs = doc.analysis_crs;
    wo.output_crs = output_crs_definition(crs, doc);
    wo.in_place = true;
    {
      // Written on a fresh temporary with its QGIS style, then renamed into place.
      const fs::path gpkg = dir / "isochrones.gpkg";
      core::TempFile stage(gpkg);
      io::write_layers(stage.path(), {{"isochrones", &iso.lines, &attrs}}, wo);
      std::vector<double> level_min;
      for (double lv : iso.levels) level_min.push_back(lv / 60.0);
      io::GpkgLayerMeta m;
      m.table = "isochrones";
      m.title = "等时线 isochrones (" + role_text + ")";
      m.description = "kepumap travel: lines of equal travel time to the nearest " + role_text;
      m.aliases = {{"minutes", "分钟 minutes"}};
      m.qml = report::qml_isochrones(style, "minutes", level_min, m.aliases);
      io::write_gpkg_meta(stage.path(), {m});
      if (const std::string w = stage.commit(); !w.empty())
        return bad(gpkg.string(), "cannot write (无法写入): " + w);
    }

    // times.csv: UTF-8 with BOM (spreadsheets open it as UTF-8), written then renamed.
    const fs::path csv = dir / "times.csv";
    std::ostringstream o;
    o << "\xEF\xBB\xBF"
      << "kind,layer,feature,name,code,nearest_facility,minutes,seconds\n";
    for (const auto& pl : places) {
      std::int32_t nf = -1;
      const double t = analysis::point_time(pt.model, surface, pl.p, &nf);
      o << pl.kind << ',' << report::csv_field(pl.layer) << ',' << pl.feature << ','
        << report::csv_field(pl.name) << ',' << report::csv_code_field(pl.code) << ',';
      if (std::isfinite(t) && nf >= 0) {
        ++reachable;
        minutes.push_back(t / 60.0);
        o << report::csv_field(fac_name[static_cast<std::size_t>(nf)]) << ',' << fmt(t / 60.0, 1) << ','
          << static_cast<long long>(std::ceil(t)) << '\n';
      } else {
        o << ",,\n";  // unreachable: no facility, no time
      }
    }
    std::string why;
    if (!core::write_file_atomic(csv, o.str(), &why))
      return bad(csv.string(), "cannot write (无法写入): " + why);
  } catch (const io::DataError& e) {
    std::fprintf(stderr, "%s\n", e.problem.to_line().c_str());
    return 2;
  }

  std::sort(minutes.begin(), minutes.end());
  std::printf("出行时间 travel times from %zu %s facilities%s\n", fac.size(), role_text.c_str(),
              scenario_name.empty() ? "" : (" (scenario " + scenario_name + ")").c_str());
  std::printf("  grid:      %d x %d cells of %.0f m, %d moves, off-road %.0f km/h\n", pt.pace.width,
              pt.pace.height, pt.settings.cell_size_m, pt.model.neighbours, pt.settings.offroad_kmh);
  if (!doc.landcover.data.empty())
    std::printf("  land cover: %s (%s), %zu classes with a speed\n", doc.landcover_report.source.c_str(),
                doc.landcover_report.source_crs.c_str(), settings.landcover_speeds.size());
  std::printf("  roads:     %zu nodes, %zu directed edges, %zu connected pieces\n", pt.roads.nodes.size(),
              pt.roads.graph.edge_count(), pt.roads.component_count());
  std::printf("  places:    %zu villages and towns in the study area, %zu reachable", places.size(),
              reachable);
  if (!minutes.empty())
    std::printf(", median %.0f min, 90th percentile %.0f min, max %.0f min", minutes[minutes.size() / 2],
                minutes[std::min(minutes.size() - 1, minutes.size() * 9 / 10)], minutes.back());
  std::printf("\n");
  if (outside > 0)
    std::printf("  在研究区外 outside the study area: %zu villages and towns, not counted\n", outside);
  std::printf("  wrote:     %s, %s, %s, %s\n", (dir / "travel_time.tif").string().c_str(),
              (dir / "nearest_facility.tif").string().c_str(), (dir / "isochrones.gpkg").string().c_str(),
              (dir / "times.csv").string().c_str());
  return 0;
}

VerbRegistration reg{
    "travel", "出行时间 travel-time surface, nearest facility and village/town times for a facility role",
    run_travel};

}  // namespace

}  // namespace kepumap::app
