// `kepumap info <project.toml | data file> [--layer NAME] [--json]`: what was read, in which
// coordinate system, and what was wrong with it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/evaluation.hpp"
#include "analysis/travel_project.hpp"
#include "app/verbs.hpp"
#include "core/document.hpp"
#include "io/project.hpp"

namespace kepumap::app {

namespace {

std::string json_escape(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string num(double v, int digits = 6) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string kind_text(const core::Layer& l) {
  if (l.is_raster) return "raster";
  switch (l.geom.kind) {
    case core::GeomKind::Point:
      return "point";
    case core::GeomKind::Line:
      return "line";
    case core::GeomKind::Polygon:
      return "polygon";
    case core::GeomKind::None:
      break;
  }
  return "none";
}

std::size_t feature_count(const core::Layer& l) {
  return l.is_raster ? static_cast<std::size_t>(l.raster.width) * static_cast<std::size_t>(l.raster.height)
                     : l.geom.feature_count();
}

std::string index_list(const std::vector<long long>& v) {
  std::string s;
  for (auto i : v) s += (s.empty() ? "" : ", ") + std::to_string(i);
  return s;
}

std::string extent_text(const core::BBox& b) {
  if (b.empty()) return "-";
  return num(b.min_x, 4) + " .. " + num(b.max_x, 4) + " E, " + num(b.min_y, 4) + " .. " + num(b.max_y, 4) +
         " N";
}

double raster_total(const core::GridF& g) {
  double t = 0.0;
  for (float v : g.data)
    if (v > 0) t += v;
  return t;
}

/// A class value as written in project.toml ("10", "2.5").
std::string shortest(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

void print_people(const core::Document& doc);

void print_text(const core::Document& doc, const std::string& input, bool is_project) {
  if (is_project) {
    std::printf("项目 Project: %s", doc.config.name.c_str());
    if (!doc.config.name_en.empty()) std::printf(" (%s)", doc.config.name_en.c_str());
    std::printf("\n  file: %s\n", input.c_str());
    if (!doc.config.region.empty()) std::printf("  region: %s\n", doc.config.region.c_str());
  } else {
    std::printf("文件 File: %s\n", input.c_str());
  }
  std::printf("分析坐标系 Analysis CRS: %s\n  %s\n", doc.analysis_crs_name.c_str(), doc.analysis_crs.c_str());
  if (is_project) std::printf("%s\n", core::describe(doc.study).c_str());
  std::printf("图层 Layers: %zu\n", doc.layers.size());
  for (const auto& l : doc.layers) {
    const auto& r = l.report;
    std::printf("\n图层 layer %s  [role %s]\n", l.name.c_str(), std::string(core::role_name(l.role)).c_str());
    std::printf("  source:        %s", r.source.c_str());
    if (!r.source_layer.empty() && r.source_layer != l.name)
      std::printf(" (layer %s)", r.source_layer.c_str());
    std::printf("\n  driver:        %s\n", r.driver.c_str());
    if (l.is_raster) {
      std::printf("  raster:        %s -> %d x %d cells of %s m, %s people\n", r.geometry_type.c_str(),
                  l.raster.width, l.raster.height, num(l.raster.cell, 0).c_str(),
                  num(raster_total(l.raster), 0).c_str());
    } else {
      std::printf("  features:      %zu (read %zu, dropped %zu)\n", l.geom.feature_count(), r.features_read,
                  r.features_dropped);
      std::printf("  geometry:      %s\n", r.geometry_type.c_str());
      std::printf("  attributes:    %zu", l.attrs.columns.size());
      for (std::size_t i = 0; i < l.attrs.columns.size() && i < 12; ++i)
        std::printf("%s%s", i ? ", " : " (", l.attrs.columns[i].name.c_str());
      std::printf("%s\n", l.attrs.columns.empty() ? "" : (l.attrs.columns.size() > 12 ? ", ...)" : ")"));
      std::printf("  encoding:      %s\n", r.encoding.empty() ? "-" : r.encoding.c_str());
      if (l.attrs.row_count() > 0 && !l.attrs.columns.empty()) {
        std::printf("  first feature:");
        for (std::size_t i = 0; i < l.attrs.columns.size() && i < 6; ++i)
          std::printf("%s %s=%s", i ? "," : "", l.attrs.columns[i].name.c_str(),
                      l.attrs.columns[i].text(0).c_str());
        std::printf("\n");
      }
    }
    std::printf("  source CRS:    %s\n", r.source_crs.c_str());
    std::printf("  extent:        %s\n", extent_text(r.extent_lonlat).c_str());
    if (!l.is_raster) {
      if (r.repaired.empty())
        std::printf("  repaired:      0\n");
      else
        std::printf("  repaired:      %zu (features %s)\n", r.repaired.size(),
                    index_list(r.repaired).c_str());
      if (doc.study.defined() && core::is_reference_role(l.role))
        std::printf(
            "  clipped:       %zu features beyond the study area and its margin dropped (研究区外已裁去), "
            "%zu "
            "cut at the margin\n",
            r.clipped_away, r.clipped_cut);
      if (doc.study.defined() && core::counted_outside_role(l.role))
        std::printf(
            "  outside:       %zu of %zu features outside the study area (在研究区外 outside the study "
            "area; %s)\n",
            r.outside, l.geom.feature_count(),
            l.role == core::Role::Town || l.role == core::Role::Village || l.role == core::Role::CaravanStop
                ? "travel, caravan and site leave them out"
                : "still used as facilities where the travel grid reaches them");
    }
  }
  if (!doc.landcover.data.empty()) {
    const auto& r = doc.landcover_report;
    std::printf("\n土地覆被 land cover ([travel] landcover)\n");
    std::printf("  source:        %s\n  driver:        %s\n", r.source.c_str(), r.driver.c_str());
    std::printf("  raster:        %s -> %d x %d cells of %s m\n", r.geometry_type.c_str(),
                doc.landcover.width, doc.landcover.height, num(doc.landcover.cell, 0).c_str());
    std::printf("  source CRS:    %s\n  classes:      ", r.source_crs.c_str());
    const auto classes = analysis::landcover_classes(doc.landcover, doc.config.travel.landcover_speeds);
    std::size_t known = 0;
    for (const auto& c : classes) known += c.cells;
    for (std::size_t i = 0; i < classes.size() && i < 12; ++i) {
      const auto& c = classes[i];
      std::printf("%s %s (%s %%%s)", i ? "," : "", shortest(c.value).c_str(),
                  num(100.0 * static_cast<double>(c.cells) / static_cast<double>(known), 1).c_str(),
                  c.kmh < 0 ? ", no speed" : (", " + num(c.kmh, 1) + " km/h").c_str());
    }
    std::printf("%s\n", classes.size() > 12 ? ", ..." : "");
  }
  print_people(doc);
  std::size_t warnings = 0;
  for (const auto& p : doc.diagnostics.problems)
    if (p.severity == core::Severity::Warning) ++warnings;
  std::printf("\n警告 Warnings: %zu\n", warnings);
  for (const auto& p : doc.diagnostics.problems)
    if (p.severity == core::Severity::Warning) std::printf("  %s\n", p.to_line().c_str());
}

// Where the people are: the demand rule and how each unit layer's seats were found.
void print_people(const core::Document& doc) {
  std::printf("\n人口分布 Demand: %s\n", analysis::describe_demand(doc).c_str());
  for (const auto& l : doc.layers) {
    if (l.seats.empty()) continue;
    std::size_t n[3] = {0, 0, 0};
    for (auto f : l.seat_from) ++n[static_cast<int>(f)];
    std::printf(
        "  驻地 seats of %s: %zu from the seat mapping, %zu at the largest town/village point inside, "
        "%zu at a point inside the polygon\n",
        l.name.c_str(), n[0], n[1], n[2]);
  }
}

void print_json(const core::Document& doc, const std::string& input, bool is_project) {
  std::string s = "{\n";
  s += "  \"input\": " + json_escape(input) + ",\n";
  s += "  \"kind\": " + json_escape(is_project ? "project" : "file") + ",\n";
  s += "  \"name\": " + json_escape(doc.config.name) + ",\n";
  s += "  \"name_en\": " + json_escape(doc.config.name_en) + ",\n";
  s += "  \"region\": " + json_escape(doc.config.region) + ",\n";
  s += "  \"analysis_crs\": " + json_escape(doc.analysis_crs) + ",\n";
  s += "  \"analysis_crs_name\": " + json_escape(doc.analysis_crs_name) + ",\n";
  {
    const auto& st = doc.study;
    const char* from = st.from == core::StudyArea::From::Units    ? "units"
                       : st.from == core::StudyArea::From::Extent ? "extent"
                                                                  : "none";
    s += "  \"study_area\": {\"from\": " + json_escape(from) + ", \"layer\": " + json_escape(st.layer) +
         ", \"margin_km\": " + num(st.margin_km);
    if (!st.lonlat.empty())
      s += ", \"extent_lonlat\": [" + num(st.lonlat.min_x) + ", " + num(st.lonlat.min_y) + ", " +
           num(st.lonlat.max_x) + ", " + num(st.lonlat.max_y) + "]";
    s += "},\n";
  }
  s += "  \"ok\": " + std::string(doc.diagnostics.has_errors() ? "false" : "true") + ",\n";
  s += "  \"layers\": [";
  for (std::size_t i = 0; i < doc.layers.size(); ++i) {
    const auto& l = doc.layers[i];
    const auto& r = l.report;
    s += i ? ",\n    {" : "\n    {";
    s += "\"name\": " + json_escape(l.name);
    s += ", \"role\": " + json_escape(std::string(core::role_name(l.role)));
    s += ", \"source\": " + json_escape(r.source);
    s += ", \"source_layer\": " + json_escape(r.source_layer);
    s += ", \"driver\": " + json_escape(r.driver);
    s += ", \"kind\": " + json_escape(kind_text(l));
    s += ", \"geometry_type\": " + json_escape(r.geometry_type);
    s += ", \"features\": " + std::to_string(feature_count(l));
    s += ", \"features_read\": " + std::to_string(r.features_read);
    s += ", \"features_dropped\": " + std::to_string(r.features_dropped);
    s += ", \"source_crs\": " + json_escape(r.source_crs);
    s += ", \"encoding\": " + json_escape(r.encoding);
    const auto& b = r.extent_lonlat;
    if (b.empty())
      s += ", \"extent_lonlat\": null";
    else
      s += ", \"extent_lonlat\": [" + num(b.min_x) + ", " + num(b.min_y) + ", " + num(b.max_x) + ", " +
           num(b.max_y) + "]";
    s += ", \"repaired\": [" + index_list(r.repaired) + "]";
    s += ", \"clipped_away\": " + std::to_string(r.clipped_away);
    s += ", \"clipped_cut\": " + std::to_string(r.clipped_cut);
    s += ", \"outside_study_area\": " + std::to_string(r.outside);
    s += ", \"attributes\": [";
    for (std::size_t c = 0; c < l.attrs.columns.size(); ++c)
      s += (c ? ", " : "") + json_escape(l.attrs.columns[c].name);
    s += "]";
    s += ", \"first_feature\": {";
    for (std::size_t c = 0; c < l.attrs.columns.size() && l.attrs.row_count() > 0; ++c)
      s += (c ? ", " : "") + json_escape(l.attrs.columns[c].name) + ": " +
           json_escape(l.attrs.columns[c].text(0));
    s += "}";
    if (l.is_raster) {
      s += ", \"raster\": {\"width\": " + std::to_string(l.raster.width) +
           ", \"height\": " + std::to_string(l.raster.height) + ", \"cell_m\": " + num(l.raster.cell, 3) +
           ", \"total\": " + num(raster_total(l.raster), 1) + "}";
    }
    s += "}";
  }
  s += doc.layers.empty() ? "],\n" : "\n  ],\n";
  if (!doc.landcover.data.empty()) {
    s += "  \"landcover\": {\"source\": " + json_escape(doc.landcover_report.source) +
         ", \"source_crs\": " + json_escape(doc.landcover_report.source_crs) +
         ", \"width\": " + std::to_string(doc.landcover.width) +
         ", \"height\": " + std::to_string(doc.landcover.height) +
         ", \"cell_m\": " + num(doc.landcover.cell, 3) + ", \"classes\": [";
    const auto classes = analysis::landcover_classes(doc.landcover, doc.config.travel.landcover_speeds);
    for (std::size_t i = 0; i < classes.size(); ++i)
      s += std::string(i ? ", " : "") + "{\"value\": " + shortest(classes[i].value) +
           ", \"cells\": " + std::to_string(classes[i].cells) +
           ", \"kmh\": " + (classes[i].kmh < 0 ? "null" : num(classes[i].kmh, 3)) + "}";
    s += "]},\n";
  }
  s += "  \"problems\": [";
  for (std::size_t i = 0; i < doc.diagnostics.problems.size(); ++i) {
    const auto& p = doc.diagnostics.problems[i];
    s += i ? ",\n    {" : "\n    {";
    s += "\"severity\": " + json_escape(p.severity == core::Severity::Error ? "error" : "warning");
    s += ", \"file\": " + json_escape(p.file);
    s += ", \"line\": " + std::to_string(p.line);
    s += ", \"layer\": " + json_escape(p.layer);
    s += ", \"feature\": " + std::to_string(p.feature);
    s += ", \"field\": " + json_escape(p.field);
    s += ", \"what\": " + json_escape(p.what);
    s += ", \"text\": " + json_escape(p.to_line()) + "}";
  }
  s += doc.diagnostics.problems.empty() ? "]\n}\n" : "\n  ]\n}\n";
  std::fputs(s.c_str(), stdout);
}

bool ends_with_toml(const std::string& s) {
  return s.size() >= 5 &&
         (s.compare(s.size() - 5, 5, ".toml") == 0 || s.compare(s.size() - 5, 5, ".TOML") == 0);
}

int run_info(const std::vector<std::string>& args) {
  std::string input, layer;
  bool json = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--json") {
      json = true;
    } else if (a == "--layer") {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "error: --layer needs a layer name (--layer 需要图层名)\n");
        return 2;
      }
      layer = args[++i];
    } else if (a.rfind("--layer=", 0) == 0) {
      layer = a.substr(8);
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: kepumap info <project.toml | data file> [--layer NAME] [--json]\n");
      return 0;
    } else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr,
                   "error: unknown option '%s' (usage: kepumap info <project.toml | data file> [--layer "
                   "NAME] [--json])\n",
                   a.c_str());
      return 2;
    } else if (input.empty()) {
      input = a;
    } else {
      std::fprintf(stderr, "error: more than one input given ('%s' and '%s')\n", input.c_str(), a.c_str());
      return 2;
    }
  }
  if (input.empty()) {
    std::fprintf(
        stderr, "error: no input (usage: kepumap info <project.toml | data file> [--layer NAME] [--json])\n");
    return 2;
  }
  const bool is_project = ends_with_toml(input);
  core::Document doc = is_project ? io::load_project(input) : io::load_data_file(input, layer);
  if (is_project && !layer.empty()) {
    std::vector<core::Layer> keep;
    for (auto& l : doc.layers)
      if (l.name == layer) keep.push_back(std::move(l));
    if (keep.empty() && !doc.diagnostics.has_errors()) {
      core::Problem p;
      p.file = input;
      p.layer = layer;
      p.what = "the project has no layer with this name (项目中没有此图层)";
      doc.diagnostics.error(std::move(p));
    }
    doc.layers = std::move(keep);
  }
  // Features dropped for NULL/empty/NaN geometry are data in the user's file that kepumap will not
  // use: the layers still load (the warnings name each feature), but info reports bad input.
  bool dropped = false;
  for (const auto& l : doc.layers) dropped = dropped || l.report.features_dropped > 0;
  const bool errors = doc.diagnostics.has_errors();
  if (json)
    print_json(doc, input, is_project);
  else if (!errors)
    print_text(doc, input, is_project);
  if (errors || dropped) {
    for (const auto& p : doc.diagnostics.problems) std::fprintf(stderr, "%s\n", p.to_line().c_str());
    return 2;
  }
  return 0;
}

VerbRegistration reg{
    "info", "layers of a project or data file: roles, features, CRS, encoding, extent, repairs, warnings",
    run_info};

}  // namespace

}  // namespace kepumap::app
