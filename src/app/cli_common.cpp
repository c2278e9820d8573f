#include "app/cli_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/report_job.hpp"
#include "geo/crs.hpp"
#include "io/project.hpp"
#include "io/source_guard.hpp"

namespace kepumap::app {

std::optional<CommonArgs> parse_common(const std::vector<std::string>& args, const char* verb,
                                       bool need_out) {
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
    } else if (s == "--crs") {
      auto v = value("wgs84, cgcs2000 or cgcs2000-gk");
      if (!v) return std::nullopt;
      if (!known_output_crs(*v)) {
        std::fprintf(stderr,
                     "error: kepumap %s: --crs takes wgs84, cgcs2000 or cgcs2000-gk, not '%s' (未知坐标系)\n",
                     verb, v->c_str());
        return std::nullopt;
      }
      a.crs = *v;
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

core::Style output_style(const std::string& project) {
  const auto path = find_style(project, "");
  try {
    return path.empty() ? core::default_style() : core::load_style(path.string());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: %s; the outputs' QGIS styles use the built-in style\n", e.what());
    return core::default_style();
  }
}

bool known_output_crs(const std::string& choice) {
  return choice == "wgs84" || choice == "cgcs2000" || choice == "cgcs2000-gk";
}

std::string output_crs_definition(const std::string& choice, const core::Document& doc) {
  if (choice == "cgcs2000") return "EPSG:4490";
  if (choice != "cgcs2000-gk") return {};
  const core::BBox box = doc.analysis_extent();
  const core::Vec2 centre{(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2};
  double lon = 114.0;  // no extent: the zone of central Inner Mongolia
  if (!doc.analysis_crs.empty() && !box.empty()) {
    try {
      lon = geo::Transform(doc.analysis_crs, "EPSG:4326").apply(centre).x;
    } catch (const std::exception&) {
    }
  }
  const int zone = std::clamp(static_cast<int>(std::lround(lon / 3.0)), 25, 45);
  return "EPSG:" + std::to_string(4513 + zone - 25);
}

bool parse_int(const std::string& s, long long& v) {
  try {
    std::size_t used = 0;
    v = std::stoll(s, &used);
    return used == s.size();
  } catch (...) {
    return false;
  }
}

bool parse_double(const std::string& s, double& v) {
  try {
    std::size_t used = 0;
    v = std::stod(s, &used);
    return used == s.size();
  } catch (...) {
    return false;
  }
}

bool refuse_input_file(const std::string& file, const char* option) {
  const std::string why = io::source_refusal(file, io::SourcePolicy{});
  if (why.empty()) return false;
  std::fprintf(stderr, "error: %s: %s\n", option, why.c_str());
  return true;
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

}  // namespace kepumap::app
