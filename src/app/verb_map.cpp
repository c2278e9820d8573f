// `kepumap map project.toml -o view.pdf|png|svg [--map coverage|travel_time] [--extent W,S,E,N]
// [--layers NAME,...] [--paper a4|a3] [--landscape] [--dpi N] [--title TEXT] [--scenario NAME]
// [--lang en] [--style FILE]`: one map of a chosen view on a page, through the report's print
// renderer (the same layers, styles, legend, scale bar, north arrow and notes as the report's maps),
// with a heading, the data sources and the date. For batch use and meeting slides.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "app/cli_common.hpp"
#include "app/report_job.hpp"
#include "app/verbs.hpp"
#include "geo/crs.hpp"
#include "report/map_render.hpp"
#include "report/report.hpp"
#include "ui/print_background.hpp"

namespace kepumap::app {

namespace {

int bad_arg(const std::string& what) {
  std::fprintf(stderr, "error: kepumap map: %s\n", what.c_str());
  return 2;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ','))
    if (!part.empty()) out.push_back(part);
  return out;
}

struct MapOptions {
  std::string map = "coverage";
  std::vector<double> extent;  // W, S, E, N degrees (WGS84); empty = the study area
  std::vector<std::string> layers;
  bool a3 = false, landscape = false;
  double dpi = 150.0;
  std::string title, style_file;
};

int parse_map_options(const std::vector<std::string>& rest, MapOptions& o) {
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& k = rest[i];
    const bool has_value = i + 1 < rest.size();
    if (k == "--landscape") {
      o.landscape = true;
    } else if (k == "--portrait") {
      o.landscape = false;
    } else if (!has_value && (k == "--map" || k == "--extent" || k == "--layers" || k == "--paper" ||
                              k == "--dpi" || k == "--title" || k == "--style")) {
      return bad_arg(k + " needs a value");
    } else if (k == "--map") {
      o.map = rest[++i];
      if (o.map != "coverage" && o.map != "travel_time")
        return bad_arg("--map '" + o.map + "': use coverage or travel_time");
    } else if (k == "--extent") {
      const std::string v = rest[++i];
      for (const auto& p : split_commas(v)) {
        char* end = nullptr;
        const double d = std::strtod(p.c_str(), &end);
        if (end == p.c_str() || *end != '\0' || !std::isfinite(d))
          return bad_arg("--extent '" + v + "': '" + p + "' is not a number (use W,S,E,N in degrees)");
        o.extent.push_back(d);
      }
      if (o.extent.size() != 4) return bad_arg("--extent '" + v + "': give four numbers W,S,E,N in degrees");
      if (!(o.extent[0] < o.extent[2]) || !(o.extent[1] < o.extent[3]))
        return bad_arg("--extent '" + v + "': west must be less than east and south less than north");
      if (o.extent[0] < -180 || o.extent[2] > 180 || o.extent[1] < -90 || o.extent[3] > 90)
        return bad_arg("--extent '" + v + "': longitudes lie in -180..180 and latitudes in -90..90");
    } else if (k == "--layers") {
      o.layers = split_commas(rest[++i]);
      if (o.layers.empty()) return bad_arg("--layers needs at least one layer name");
    } else if (k == "--paper") {
      const std::string v = rest[++i];
      if (v != "a4" && v != "a3") return bad_arg("--paper '" + v + "': use a4 or a3");
      o.a3 = v == "a3";
    } else if (k == "--dpi") {
      const std::string v = rest[++i];
      char* end = nullptr;
      o.dpi = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || !(o.dpi >= 30 && o.dpi <= 1200))
        return bad_arg("--dpi '" + v + "': give a number from 30 to 1200");
    } else if (k == "--title") {
      o.title = rest[++i];
    } else if (k == "--style") {
      o.style_file = rest[++i];
    } else {
      return bad_arg("unknown argument '" + k + "'");
    }
  }
  return -1;
}

int run_map(const std::vector<std::string>& args) {
  auto a = parse_common(args, "map", true);
  if (!a) return 2;
  MapOptions o;
  if (const int rc = parse_map_options(a->rest, o); rc >= 0) return rc;
  const std::filesystem::path out = a->out_dir;
  const std::string ext = out.extension().string();
  if (ext != ".pdf" && ext != ".png" && ext != ".svg")
    return bad_arg("-o " + out.string() +
                   ": the map is written as .pdf, .png or .svg (by the file's extension)");
  auto lp = load_and_evaluate(*a);
  if (!lp) return 2;

  report::ReportInputs in;
  in.doc = &lp->doc;
  in.pe = &lp->pe;
  in.scenario = a->scenario;
  in.english = a->english;
  const auto style_path = find_style(a->project, o.style_file);
  try {
    in.style = style_path.empty() ? core::default_style() : core::load_style(style_path.string());
  } catch (const std::exception& e) {
    return bad_arg(e.what());
  }
  report::ViewMap v;
  v.travel_time = o.map == "travel_time";
  v.layers = o.layers;
  v.title = o.title;
  v.scenario = a->scenario;
  if (!o.extent.empty()) {
    // The edges of the lon/lat box (corners and midpoints) into the analysis CRS.
    std::vector<core::Vec2> pts;
    for (int i = 0; i <= 4; ++i) {
      const double t = i / 4.0;
      const double lon = o.extent[0] + t * (o.extent[2] - o.extent[0]),
                   lat = o.extent[1] + t * (o.extent[3] - o.extent[1]);
      pts.push_back({lon, o.extent[1]});
      pts.push_back({lon, o.extent[3]});
      pts.push_back({o.extent[0], lat});
      pts.push_back({o.extent[2], lat});
    }
    try {
      geo::Transform("EPSG:4326", lp->doc.analysis_crs).apply(pts);
    } catch (const std::exception& e) {
      return bad_arg(e.what());
    }
    for (const auto& p : pts)
      if (std::isfinite(p.x) && std::isfinite(p.y)) v.extent.add(p);
    if (v.extent.empty()) return bad_arg("--extent: the box cannot be put in the project's analysis CRS");
  }
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&now));
  in.date = date;
  report::MapSpec spec;
  try {
    spec = report::view_map(in, lp->pe, v);
  } catch (const std::invalid_argument& e) {
    return bad_arg(a->project + ": " + e.what());
  }
  double w = o.a3 ? 841.89 : 595.28, h = o.a3 ? 1190.55 : 841.89;
  if (o.landscape) std::swap(w, h);
  // the basemaps (or the quiet background) under the layers; one that fails is a warning
  std::vector<std::string> warnings;
  ui::add_print_backgrounds(spec, lp->doc, lp->doc.config.basemaps, lp->doc.config.basemaps.empty(), in.style,
                            w, h, o.dpi, warnings);
  for (const auto& wline : warnings) std::fprintf(stderr, "warning: %s\n", wline.c_str());
  try {
    report::write_map(spec, out, w, h, o.dpi);
  } catch (const std::exception& e) {
    return bad_arg(e.what());
  }
  std::printf("%s %s\n", a->english ? "wrote" : "已写入 wrote", out.string().c_str());
  return 0;
}

VerbRegistration reg{"map", "one map of a view (coverage or travel time) as PDF, PNG or SVG (-o FILE)",
                     run_map};

}  // namespace
}  // namespace kepumap::app
