#include "report/report.hpp"

#include "analysis/access_project.hpp"
#include "core/layer_style.hpp"
#include "report/access_outputs.hpp"
#include "report/cairo_file.hpp"
#include "report/coverage_tables.hpp"
#include "report/print_font.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace kepumap::report {

namespace {

const char* k_font = "Noto Sans CJK SC";

std::string tr(const ReportInputs& in, const char* zh, const char* en) { return in.english ? en : zh; }

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string pct(double share) { return fmt("%.1f %%", 100.0 * share); }

// ---- text ---------------------------------------------------------------------------------

void font(cairo_t* cr, double size, bool bold = false) {
  select_print_font(cr, k_font, bold);
  cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& s) {
  cairo_text_extents_t te;
  cairo_text_extents(cr, s.c_str(), &te);
  return te.x_advance;
}

void text_at(cairo_t* cr, double x, double y, const std::string& s) {
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, s.c_str());
}

// Splits UTF-8 text into lines no wider than `width` (breaks between code points; CJK text has
// no spaces to break at).
std::vector<std::string> wrap(cairo_t* cr, const std::string& s, double width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    const std::string cp = s.substr(i, len);
    i += len;
    if (cp == "\n") {
      lines.push_back(line);
      line.clear();
      continue;
    }
    if (!line.empty() && text_width(cr, line + cp) > width) {
      // Latin words move whole to the next line: break after the line's last space when what
      // follows it is ASCII (CJK text breaks between any two code points).
      const std::size_t sp = line.rfind(' ');
      const bool word = cp != " " && sp != std::string::npos && sp > 0 &&
                        std::all_of(line.begin() + static_cast<std::ptrdiff_t>(sp), line.end(),
                                    [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
      if (word) {
        lines.push_back(line.substr(0, sp));
        line = line.substr(sp + 1);
      } else {
        lines.push_back(line);
        line.clear();
      }
      if (cp == " ") continue;  // no space at the start of a line
    }
    line += cp;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

// ---- tables -------------------------------------------------------------------------------

struct PdfTable {
  std::vector<std::string> headers;
  std::vector<double> weights;  // relative column widths
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right;  // right-align (numbers)
};

// Draws rows [first, …) of the table from y until max_y; returns the first row not drawn.
std::size_t draw_table(cairo_t* cr, double x, double y, double w, double max_y, const PdfTable& t,
                       std::size_t first, double size = 7.5) {
  double total = 0;
  for (double wt : t.weights) total += wt;
  std::vector<double> cw;
  for (double wt : t.weights) cw.push_back(w * wt / total);
  const double pad = 2.5, lh = size * 1.35;
  auto row_lines = [&](const std::vector<std::string>& cells, bool bold) {
    font(cr, size, bold);
    std::vector<std::vector<std::string>> out;
    for (std::size_t c = 0; c < cells.size() && c < cw.size(); ++c)
      out.push_back(wrap(cr, cells[c], cw[c] - 2 * pad));
    return out;
  };
  auto draw_row = [&](const std::vector<std::vector<std::string>>& lines, double ry, bool header) {
    std::size_t n = 1;
    for (const auto& l : lines) n = std::max(n, l.size());
    const double h = n * lh + 2 * pad;
    if (header) {
      cairo_rectangle(cr, x, ry, w, h);
      cairo_set_source_rgb(cr, 0.91, 0.93, 0.96);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    font(cr, size, header);
    double cx = x;
    for (std::size_t c = 0; c < lines.size(); ++c) {
      for (std::size_t k = 0; k < lines[c].size(); ++k) {
        const double tw = text_width(cr, lines[c][k]);
        const bool r = !header && c < t.right.size() && t.right[c];
        text_at(cr, r ? cx + cw[c] - pad - tw : cx + pad, ry + pad + (k + 0.8) * lh, lines[c][k]);
      }
      cx += cw[c];
    }
    cairo_move_to(cr, x, ry + h);
    cairo_line_to(cr, x + w, ry + h);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    return h;
  };
  const auto head = row_lines(t.headers, true);
  double cy = y + draw_row(head, y, true);
  std::size_t r = first;
  for (; r < t.rows.size(); ++r) {
    const auto lines = row_lines(t.rows[r], false);
    std::size_t n = 1;
    for (const auto& l : lines) n = std::max(n, l.size());
    if (cy + n * lh + 2 * pad > max_y && r > first) break;
    cy += draw_row(lines, cy, false);
  }
  return r;
}

// ---- maps ---------------------------------------------------------------------------------

// The study area's bounds: the banner, else the finest units, else the places.
core::BBox study_bounds(const core::Document& doc, const analysis::ProjectEvaluation& pe) {
  core::BBox e;
  if (const core::Layer* b = doc.find(core::Role::Banner)) e = b->geom.bbox();
  if (e.empty() && pe.area.finest) e = pe.area.finest->geom.bbox();
  if (e.empty()) e = doc.places_extent();
  if (e.empty()) e = doc.extent();
  return e;
}

core::BBox study_extent(const core::Document& doc, const analysis::ProjectEvaluation& pe) {
  core::BBox e = study_bounds(doc, pe);
  const double m = 0.03 * std::max(e.width(), e.height());
  e.add(core::Vec2{e.min_x - m, e.min_y - m});
  e.add(core::Vec2{e.max_x + m, e.max_y + m});
  return e;
}

// The layer's own style in effect: the app's, else the project file's (kind "" = none).
const core::LayerStyleSpec& own_style(const ReportInputs& in, const core::Layer& l) {
  static const core::LayerStyleSpec none;
  for (const auto& [name, st] : in.layer_styles)
    if (name == l.name) return st;
  for (const auto& spec : in.doc->config.layers)
    if (spec.name == l.name) return spec.style;
  return none;
}

MapLayer styled(const ReportInputs& in, const core::Layer& l, bool labels, const std::string& legend) {
  MapLayer ml;
  ml.layer = &l;
  const core::LayerStyleSpec& own = own_style(in, l);
  ml.style = core::resolve_layer_style(in.style.for_role(l.role), own, l, in.style);
  if (own.given()) categorize(ml);  // the classes or categories the app's map draws
  ml.label_priority = ml.style.label_priority;
  if (labels && ml.style.labels)
    ml.label_column = ml.style.label_field.empty() ? l.column(l.fields.name)
                                                   : core::style_field_column(l, ml.style.label_field);
  ml.legend_label = legend;
  return ml;
}

std::string role_label(const ReportInputs& in, core::Role r) {
  switch (r) {
    case core::Role::Museum:
      return tr(in, "科技馆", "science museum");
    case core::Role::EducationBase:
      return tr(in, "科普教育基地", "education base");
    case core::Role::CaravanDepot:
      return tr(in, "大篷车站", "caravan depot");
    case core::Role::CaravanRoute:
      return tr(in, "大篷车路线", "caravan route");
    case core::Role::CaravanStop:
      return tr(in, "大篷车停靠点", "caravan stop");
    case core::Role::Road:
      return tr(in, "道路", "roads");
    case core::Role::Border:
      return tr(in, "国界", "international border");
    case core::Role::Water:
      return tr(in, "水体（湖泊、河流）", "water (lakes, rivers)");
    case core::Role::Town:
      return tr(in, "苏木镇驻地", "township seat");
    default:
      return {};
  }
}

// Context layers shared by both maps: townships outlined, banner outline, roads, border, routes.
void add_context(const ReportInputs& in, const analysis::ProjectEvaluation& pe, MapSpec& spec,
                 bool with_roads) {
  const core::Document& doc = *in.doc;
  for (const auto& l : doc.layers) {
    if (l.is_raster || &l == pe.area.finest) continue;
    if (l.role == core::Role::Township || l.role == core::Role::Banner) {
      MapLayer ml = styled(in, l, l.role == core::Role::Township, "");
      ml.style.fill.a = 0;
      if (l.role == core::Role::Banner) ml.label_column = -1;
      spec.layers.push_back(ml);
    }
  }
  // Water and `other` layers under the roads: water with its legend entry, others by their name.
  for (const auto& l : doc.layers)
    if (!l.is_raster && (l.role == core::Role::Water || l.role == core::Role::Other))
      spec.layers.push_back(
          styled(in, l, false, l.role == core::Role::Water ? role_label(in, l.role) : l.name));
  for (core::Role r : {core::Role::Road, core::Role::Border, core::Role::CaravanRoute})
    for (const auto& l : doc.layers)
      if (l.role == r && !l.is_raster && (with_roads || r != core::Role::Road))
        spec.layers.push_back(styled(in, l, false, role_label(in, r)));
  // Township seats carry the township's name: label them only when the townships are not labelled.
  const bool townships_labelled = doc.find(core::Role::Township) != nullptr;
  for (core::Role r :
       {core::Role::Town, core::Role::CaravanDepot, core::Role::EducationBase, core::Role::Museum}) {
    const bool edited = std::any_of(in.facility_layers.begin(), in.facility_layers.end(),
                                    [&](const core::Layer& l) { return l.role == r; });
    for (const auto& l : edited ? in.facility_layers : doc.layers)
      if (l.role == r && !l.is_raster)
        spec.layers.push_back(
            styled(in, l, !(r == core::Role::Town && townships_labelled), role_label(in, r)));
  }
}

// The lines under every report map: a schematic map, the border is not authoritative, where the
// data comes from ([report] sources, else the layers' files), and the 审图号 when given.
std::vector<std::string> map_notes(const ReportInputs& in) {
  const core::ReportSettings& rs = in.doc->config.report;
  std::vector<std::string> notes{tr(in, "示意图 · 边界仅为示意，不作为权属争议依据",
                                    "Schematic map · boundaries are indicative only and not authoritative")};
  std::string sources = in.english && !rs.sources_en.empty() ? rs.sources_en : rs.sources;
  if (sources.empty()) {
    std::vector<std::string> files;
    for (const auto& l : in.doc->config.layers) {
      const std::string f = std::filesystem::path(l.source).filename().string();
      if (!f.empty() && std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
    }
    for (const auto& f : files) sources += (sources.empty() ? "" : ", ") + f;
  }
  if (!sources.empty()) notes.push_back(tr(in, "数据来源：", "Data sources: ") + sources);
  if (!rs.review_number.empty())
    notes.push_back(tr(in, "审图号：", "Map review number: ") + rs.review_number);
  return notes;
}

}  // namespace

MapSpec coverage_map(const ReportInputs& in, const analysis::ProjectEvaluation& pe,
                     const std::vector<double>* breaks) {
  MapSpec spec;
  spec.title = tr(in, "覆盖缺口", "Coverage gap");
  spec.english = in.english;
  spec.extent = study_extent(*in.doc, pe);
  spec.study_area = study_bounds(*in.doc, pe);
  spec.notes = map_notes(in);
  spec.background = in.style.background;
  if (pe.area.finest) {
    MapLayer ml = styled(in, *pe.area.finest, pe.area.finest->role != core::Role::Village,
                         tr(in, "缺口：未覆盖人口 × 优先系数", "gap: uncovered people × priority"));
    ml.values.clear();  // the gap classes, whatever the layer's own style
    ml.fills.clear();
    ml.style.categories.clear();
    for (const auto& u : pe.ev.coverage.levels[0]) ml.values.push_back(u.gap);
    core::Choropleth ch = core::gap_classes(ml.values, in.style);
    if (breaks) ch.breaks = *breaks;
    ch.classes = static_cast<int>(ch.breaks.size()) + 1;
    ml.style.choropleth = ch;
    ml.style.opacity = 1.0f;
    spec.layers.push_back(ml);
  }
  add_context(in, pe, spec, false);
  return spec;
}

MapSpec view_map(const ReportInputs& in, const analysis::ProjectEvaluation& pe, const ViewMap& v) {
  MapSpec spec = v.travel_time ? travel_time_map(in, pe) : coverage_map(in, pe);
  const core::Document& doc = *in.doc;
  if (!v.layers.empty()) {
    for (const auto& name : v.layers)
      if (std::none_of(doc.layers.begin(), doc.layers.end(),
                       [&](const core::Layer& l) { return l.name == name; })) {
        std::string names;
        for (const auto& l : doc.layers) names += (names.empty() ? "" : ", ") + l.name;
        throw std::invalid_argument("no layer '" + name + "' in the project; its layers are " + names);
      }
    // An edited facility layer stands for the document's layers of its role.
    auto named = [&](const std::string& n) {
      return std::find(v.layers.begin(), v.layers.end(), n) != v.layers.end();
    };
    auto kept = [&](const MapLayer& ml) {
      if (named(ml.layer->name)) return true;
      const bool edited = std::any_of(in.facility_layers.begin(), in.facility_layers.end(),
                                      [&](const core::Layer& l) { return &l == ml.layer; });
      return edited && std::any_of(doc.layers.begin(), doc.layers.end(), [&](const core::Layer& l) {
               return l.role == ml.layer->role && named(l.name);
             });
    };
    std::erase_if(spec.layers, [&](const MapLayer& ml) { return !kept(ml); });
  }
  if (!v.extent.empty()) {
    const core::BBox study = spec.study_area.empty() ? spec.extent : spec.study_area;
    if (v.extent.max_x < study.min_x || v.extent.min_x > study.max_x || v.extent.max_y < study.min_y ||
        v.extent.min_y > study.max_y)
      throw std::invalid_argument("the extent lies outside the project's study area");
    spec.extent = v.extent;
  }
  spec.heading = v.title.empty() ? doc.config.name + " · " + spec.title : v.title;
  spec.notes.push_back(tr(in, "kepumap 制图 ", "Made with kepumap on ") + in.date +
                       (v.scenario.empty() ? "" : tr(in, " · 情景 ", " · scenario ") + v.scenario));
  return spec;
}

MapSpec travel_time_map(const ReportInputs& in, const analysis::ProjectEvaluation& pe) {
  MapSpec spec;
  spec.title = tr(in, "到最近科普场馆的出行时间", "Travel time to the nearest venue");
  spec.english = in.english;
  spec.extent = study_extent(*in.doc, pe);
  spec.study_area = study_bounds(*in.doc, pe);
  spec.notes = map_notes(in);
  spec.background = in.style.background;
  if (pe.area.finest) {
    MapLayer ml = styled(in, *pe.area.finest, false, "");
    ml.style.fill = {0.97f, 0.97f, 0.95f, 1};
    ml.fills.clear();  // under the travel times: plain
    ml.values.clear();
    ml.style.choropleth.reset();
    spec.layers.push_back(ml);
  }
  MapRaster r;
  r.grid = &pe.ev.coverage.best_time;
  r.min = 0;
  r.max = in.style.travel_time_max_min * 60.0;
  r.ramp = in.style.travel_time_ramp;
  r.opacity = 0.8f;
  r.legend_title = tr(in, "出行时间（分钟）", "travel time (minutes)");
  for (double m : in.style.travel_time_legend_min)
    r.legend_stops.push_back({m * 60.0, std::to_string(static_cast<int>(m))});
  spec.raster = r;
  add_context(in, pe, spec, true);
  return spec;
}

namespace {

struct Page {
  double w, h, margin;
};

void title_bar(cairo_t* cr, const Page& p, const std::string& title, const std::string& right) {
  font(cr, 8);
  const double right_w = text_width(cr, right);
  // A long title gets smaller (down to 9 points) rather than run into the header on the right.
  font(cr, 13, true);
  const double room = p.w - 2 * p.margin - right_w - 12, title_w = text_width(cr, title);
  if (title_w > room && room > 0) font(cr, std::max(9.0, 13 * room / title_w), true);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  text_at(cr, p.margin, p.margin + 10, title);
  font(cr, 8);
  text_at(cr, p.w - p.margin - right_w, p.margin + 10, right);
  cairo_move_to(cr, p.margin, p.margin + 16);
  cairo_line_to(cr, p.w - p.margin, p.margin + 16);
  cairo_set_line_width(cr, 0.8);
  cairo_stroke(cr);
}

void footer(cairo_t* cr, const Page& p, int page, const std::string& note) {
  font(cr, 7);
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
  text_at(cr, p.margin, p.h - p.margin + 14, note);
  const std::string n = std::to_string(page);
  text_at(cr, p.w - p.margin - text_width(cr, n), p.h - p.margin + 14, n);
}

bool has_synthetic(const core::Document& doc) {
  for (const auto& l : doc.layers) {
    const int c = l.attrs.find("synthetic");
    if (c < 0) continue;
    for (std::size_t i = 0; i < l.attrs.row_count(); ++i)
      if (l.attrs.columns[c].number(i).value_or(0) != 0) return true;
  }
  return false;
}

PdfTable unit_table(const ReportInputs& in, const analysis::ProjectEvaluation& pe, std::size_t level) {
  PdfTable t;
  const auto& ev = pe.ev;
  t.headers = {tr(in, "名称", "name"), tr(in, "人口", "population")};
  t.weights = {2.2, 1.0};
  t.right = {false, true};
  for (const auto& s : ev.services) {
    const std::string lab = service_label(s.facility, s.label, in.english);
    t.headers.push_back(lab + tr(in, " 覆盖率", " share"));
    t.weights.push_back(1.0);
    t.right.push_back(true);
    if (!s.mobile) {
      t.headers.push_back(lab + tr(in, " 平均分钟", " mean min"));
      t.weights.push_back(1.0);
      t.right.push_back(true);
    }
  }
  for (const char* h : {"任一覆盖率|share any", "优先系数|priority", "缺口|gap"}) {
    const std::string hh = h;
    t.headers.push_back(in.english ? hh.substr(hh.find('|') + 1) : hh.substr(0, hh.find('|')));
    t.weights.push_back(1.0);
    t.right.push_back(true);
  }
  const auto& lv = pe.area.levels[level];
  for (std::size_t u = 0; u < lv.names.size(); ++u) {
    const auto& f = ev.coverage.levels[level][u];
    std::vector<std::string> row{lv.names[u], fmt("%.0f", f.population)};
    for (std::size_t k = 0; k < ev.services.size(); ++k) {
      row.push_back(pct(f.service[k].share()));
      if (!ev.services[k].mobile) {
        const bool any = f.service[k].population - f.service[k].unreachable > 0;
        row.push_back(any ? fmt("%.0f", f.service[k].mean_s / 60.0) : "—");
      }
    }
    row.push_back(pct(f.share_any()));
    row.push_back(fmt("%.2f", f.priority));
    row.push_back(fmt("%.0f", f.gap));
    t.rows.push_back(std::move(row));
  }
  return t;
}

PdfTable targets_table(const ReportInputs& in, const analysis::ProjectEvaluation& pe) {
  PdfTable t;
  t.headers = {tr(in, "目标", "target"),
               tr(in, "现值", "value"),
               tr(in, "目标值", "threshold"),
               tr(in, "结果", "result"),
               tr(in, "未达标单元", "failing units"),
               tr(in, "规划原文与来源", "plan sentence and source")};
  t.weights = {1.6, 0.7, 0.7, 0.8, 1.8, 4.0};
  t.right = {false, true, true, false, false, false};
  for (const auto& r : pe.ev.targets) {
    const core::Target& tg = *r.target;
    std::string failing;
    for (std::size_t i = 0; i < r.failing.size() && i < 10; ++i) failing += (i ? "、" : "") + r.failing[i];
    if (r.failing.size() > 10)
      failing += tr(in, " 等 ", " … ") + std::to_string(r.failing.size()) + tr(in, " 个", " in all");
    const std::string verdict = !r.evaluated ? tr(in, "无法评估：", "not evaluated: ") + r.reason
                                : r.pass     ? tr(in, "达标", "pass")
                                             : tr(in, "未达标", "FAIL");
    t.rows.push_back({tg.id + "\n" + std::string(core::metric_name(tg.metric)) + " / " +
                          std::string(core::scope_name(tg.scope)) + "\n" + tr(in, "期限 ", "by ") +
                          std::to_string(tg.deadline),
                      r.evaluated ? fmt("%.3g", r.value) : "—",
                      fmt("%.3g", tg.threshold) + (tg.unit.empty() ? "" : "\n" + tg.unit), verdict, failing,
                      "「" + tg.quote + "」\n" + tg.source});
  }
  return t;
}

PdfTable equity_table(const ReportInputs& in, const analysis::ProjectEvaluation& pe) {
  PdfTable t;
  t.headers = {tr(in, "人群", "group"), tr(in, "人口", "population"), tr(in, "任一覆盖率", "share covered"),
               tr(in, "到最近场馆平均分钟", "mean min to nearest venue")};
  t.weights = {1.5, 1, 1, 1.4};
  t.right = {false, true, true, true};
  const auto& e = pe.ev.coverage.equity;
  const std::pair<const analysis::GroupFigures*, const char*> groups[] = {
      {&e.pastoral, "牧区|pastoral"},
      {&e.other, "非牧区|other"},
      {&e.border, "边境带（100 公里内）|border zone (≤ 100 km)"},
      {&e.interior, "内地|interior"}};
  for (const auto& [g, name] : groups) {
    const std::string n = name;
    t.rows.push_back({in.english ? n.substr(n.find('|') + 1) : n.substr(0, n.find('|')),
                      fmt("%.0f", g->population), pct(g->share()), fmt("%.1f", g->mean_s / 60.0)});
  }
  t.rows.push_back({tr(in, "出行时间基尼系数", "Gini of travel time"), fmt("%.3f", e.gini_time), "", ""});
  return t;
}

// The accessibility page's figures: the E2SFCA index the access_index targets read, of the
// museum set if the project has one, else of the set `kepumap access` takes by default.
struct ReportAccess {
  std::string problem;   // one line when there is no index to show
  std::string sentence;  // which facility set, method, minutes and supply
  AccessCharts charts;
};

ReportAccess report_access(const ReportInputs& in, const analysis::ProjectEvaluation& pe) {
  ReportAccess r;
  const std::string cannot = tr(in, "未计算可达性指数：", "No accessibility index: ");
  int k = analysis::access_set(pe.ev, "museum");
  if (k < 0) k = analysis::access_set(pe.ev, "");
  if (k < 0) {
    r.problem = cannot + tr(in, "项目没有固定设施的服务标准（[[standard]]）。",
                            "the project has no fixed facility [[standard]].");
    return r;
  }
  const analysis::FacilitySet& set = pe.ev.sets[static_cast<std::size_t>(k)];
  const analysis::AccessRequest req = analysis::index_request();
  // The supply is the capacity when one is mapped: checked as `kepumap access` checks it.
  if (set.has_capacity)
    for (const auto& st : in.doc->config.standards)
      if (st.facility == set.facility)
        if (const auto problems = analysis::capacity_problems(*in.doc, st); !problems.empty()) {
          r.problem = cannot + problems.front().to_line();
          return r;
        }
  analysis::AccessOutcome out;
  if (const std::string err = analysis::compute_access(pe, static_cast<std::size_t>(k), req, out);
      !err.empty()) {
    r.problem = cannot + err + (in.english ? "" : "。");
    return r;
  }
  r.charts = access_charts(pe.area, set, out, in.english);
  const std::string who = service_label(set.facility, set.label, in.english);
  const std::string minutes = fmt("%.0f", out.catchment_s / 60.0);
  const std::string supply = out.supply == "capacity" ? tr(in, "容量", "capacity")
                             : out.supply == "area"   ? tr(in, "建筑面积", "floor area")
                                                      : tr(in, "每处设施 1 ", "1 per facility");
  const std::string finest =
      pe.area.levels.empty() ? std::string() : level_label(pe.area.levels[0].name, in.english);
  const std::string bars = r.charts.has_bars ? level_label(r.charts.bar_level, in.english) : std::string();
  r.sentence =
      in.english
          ? "The " + who + " set's E2SFCA index (Gaussian decay over the standard's " + minutes +
                " minutes, supply: " + supply + ", the same index the access_index targets read), " +
                "relative to the region's mean = 1: Gini " + fmt("%.3f", r.charts.gini) + " over the " +
                finest + (bars.empty() ? "" : "; bars: the " + bars + ", lowest first (at most 40)") + "."
          : who + "的增强两步移动搜索法（E2SFCA）可达性指数（高斯衰减，服务圈为服务标准的 " + minutes +
                " 分钟，供给按" + supply + "计，与 access_index 目标所用相同），以区域均值为 1：按" + finest +
                "计的基尼系数 " + fmt("%.3f", r.charts.gini) +
                (bars.empty() ? "" : "；条形图为各" + bars + "，由低到高（至多 40 个）") + "。";
  return r;
}

}  // namespace

ReportFiles write_report(const ReportInputs& in, const std::filesystem::path& dir) {
  ReportFiles files;
  std::filesystem::create_directories(dir);
  const analysis::ProjectEvaluation& pe = *in.pe;
  const core::Document& doc = *in.doc;
  const Page page = in.a3 ? Page{841.89, 1190.55, 36} : Page{595.28, 841.89, 36};
  const std::filesystem::path pdf = dir / "report.pdf";
  // The PDF collects in memory and is written through a temporary renamed into place.
  CairoFile file(pdf, page.w, page.h);
  cairo_surface_t* surface = file.surface();
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc.config.name.c_str());
  // owned, so a cancel (an exception) between pages leaves nothing behind
  std::unique_ptr<cairo_t, void (*)(cairo_t*)> cr_owner(cairo_create(surface), cairo_destroy);
  cairo_t* cr = cr_owner.get();
  auto check_cancel = [&in] {
    if (in.cancel && in.cancel->load(std::memory_order_relaxed)) throw Cancelled();
  };
  const std::string scen = in.scenario.empty() ? tr(in, "现状", "current") : in.scenario;
  const std::string head_right =
      doc.config.name + " · " + tr(in, "情景 ", "scenario ") + scen + " · " + in.date;
  const std::string note =
      has_synthetic(doc)
          ? tr(in, "注：本报告所用数据部分为合成演示数据（synthetic = 1），见 data/README.md。",
               "Note: part of the data is synthetic demo data (synthetic = 1); see data/README.md.")
          : tr(in, "kepumap 科普资源覆盖规划", "kepumap science-resource coverage planning");
  int page_no = 0;
  auto next_page = [&]() {
    check_cancel();
    if (page_no > 0) {
      footer(cr, page, page_no, note);
      cairo_show_page(cr);
    }
    ++page_no;
  };
  const double body_x = page.margin, body_w = page.w - 2 * page.margin, body_bottom = page.h - page.margin;

  // Page 1: title block, summary, coverage map.
  next_page();
  font(cr, 20, true);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  text_at(cr, body_x, page.margin + 22, doc.config.name);
  font(cr, 10);
  text_at(cr, body_x, page.margin + 40,
          tr(in, "科普资源覆盖评估报告 · 情景：", "Science-resource coverage report · scenario: ") + scen +
              " · " + in.date);
  const auto& tot = pe.ev.coverage.total;
  std::vector<std::string> summary{tr(in, "人口：", "Population: ") + fmt("%.0f", tot.population)};
  for (std::size_t k = 0; k < pe.ev.services.size(); ++k) {
    const auto& s = pe.ev.services[k];
    std::string line = service_label(s.facility, s.label, in.english) + tr(in, "：覆盖 ", ": covers ") +
                       pct(tot.service[k].share());
    if (!s.mobile)
      line += tr(in, "，标准 ", ", standard ") + fmt("%.0f", s.standard_s / 60) +
              tr(in, " 分钟，平均 ", " min, mean ") + fmt("%.0f", tot.service[k].mean_s / 60) +
              tr(in, " 分钟", " min");
    summary.push_back(line);
  }
  summary.push_back(tr(in, "任一方式覆盖：", "Covered by any: ") + pct(tot.share_any()) +
                    tr(in, "；出行时间基尼系数 ", "; Gini of travel time ") +
                    fmt("%.3f", pe.ev.coverage.equity.gini_time));
  int passed = 0;
  for (const auto& r : pe.ev.targets) passed += r.pass ? 1 : 0;
  summary.push_back(tr(in, "规划目标达标：", "Targets met: ") + std::to_string(passed) + " / " +
                    std::to_string(pe.ev.targets.size()));
  summary.push_back(tr(in, "人口分布：", "Demand: ") + pe.area.demand_rule);
  if (!in.edits.empty()) {
    summary.push_back(tr(in, "本情景包含的假设编辑（", "What-if edits in this scenario (") +
                      std::to_string(in.edits.size()) + tr(in, " 项）：", "):"));
    for (std::size_t i = 0; i < in.edits.size(); ++i)
      summary.push_back("  " + std::to_string(i + 1) + ". " + in.edits[i]);
  }
  summary.push_back(tr(in, "分析坐标系：", "Analysis CRS: ") + doc.analysis_crs_name);
  font(cr, 9);
  double y = page.margin + 60;
  for (const auto& s : summary) {
    for (const auto& line : wrap(cr, s, body_w)) {
      text_at(cr, body_x, y, line);
      y += 13;
    }
  }
  const MapSpec cov = coverage_map(in, pe);
  font(cr, 12, true);
  text_at(cr, body_x, y + 12, cov.title);
  const double map_top = y + 20;
  files.map_layouts.push_back(draw_map_layout(cr, body_x, map_top, body_w, body_bottom - map_top - 6, cov));

  // Page 2: travel time.
  next_page();
  const MapSpec tt = travel_time_map(in, pe);
  title_bar(cr, page, tt.title, head_right);
  files.map_layouts.push_back(
      draw_map_layout(cr, body_x, page.margin + 24, body_w, body_bottom - page.margin - 30, tt));

  // Tables by unit level: townships (or the finest level) and villages.
  std::vector<std::size_t> table_levels;
  for (std::size_t l = 0; l < pe.area.levels.size(); ++l)
    if (pe.area.levels[l].names.size() > 1) table_levels.push_back(l);
  std::reverse(table_levels.begin(), table_levels.end());  // coarser first
  for (std::size_t l : table_levels) {
    const PdfTable t = unit_table(in, pe, l);
    std::size_t row = 0;
    const std::string level_name = pe.area.levels[l].name;
    const std::string title = tr(in, "分单元覆盖：", "Coverage by unit: ") +
                              (level_name == "village"    ? tr(in, "嘎查村", "villages")
                               : level_name == "township" ? tr(in, "苏木镇", "townships")
                               : level_name == "county"   ? tr(in, "旗县", "counties")
                               : level_name == "league"   ? tr(in, "盟市", "leagues")
                                                          : level_name);
    do {
      next_page();
      title_bar(cr, page, title, head_right);
      row = draw_table(cr, body_x, page.margin + 26, body_w, body_bottom, t, row);
    } while (row < t.rows.size());
  }

  // Equity and targets.
  next_page();
  title_bar(cr, page, tr(in, "均衡性：牧区与边境", "Equity: pastoral and border areas"), head_right);
  draw_table(cr, body_x, page.margin + 26, body_w, body_bottom, equity_table(in, pe), 0, 8.5);
  {
    const PdfTable t = targets_table(in, pe);
    std::size_t row = 0;
    double top = page.margin + 150;
    font(cr, 12, true);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, body_x, top - 8, tr(in, "规划目标核查", "The plan's targets"));
    do {
      row = draw_table(cr, body_x, top, body_w, body_bottom, t, row);
      if (row < t.rows.size()) {
        next_page();
        title_bar(cr, page, tr(in, "规划目标核查（续）", "The plan's targets (continued)"), head_right);
        top = page.margin + 26;
      }
    } while (row < t.rows.size());
  }

  // Accessibility and balance: the Lorenz curve and the relative index by township.
  const ReportAccess access_page = report_access(in, pe);
  next_page();
  title_bar(cr, page,
            tr(in, "可达性与均衡：洛伦兹曲线与各苏木相对指数",
               "Accessibility and balance: Lorenz curve and index by township"),
            head_right);
  {
    font(cr, 9);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    double ay = page.margin + 34;
    for (const auto& line :
         wrap(cr, access_page.problem.empty() ? access_page.sentence : access_page.problem, body_w)) {
      text_at(cr, body_x, ay, line);
      ay += 13;
    }
    if (access_page.problem.empty()) {
      const AccessCharts& c = access_page.charts;
      const double lorenz_h = std::min(400.0, (body_bottom - ay) * 0.5);
      draw_lorenz(cr, body_x, ay, body_w, lorenz_h, c.lorenz, c.gini, c.lorenz_title, in.english);
      ay += lorenz_h + 6;
      if (c.has_bars)
        draw_index_bars(cr, body_x, ay, body_w, std::min(index_bars_height(c.names.size()), body_bottom - ay),
                        c.names, c.values, c.bars_title, in.style, in.english);
    }
  }

  // Before/after: the base and the scenario side by side.
  if (in.base) {
    next_page();
    title_bar(cr, page, tr(in, "情景对比：现状与", "Before and after: current vs ") + scen, head_right);
    const double half = (body_w - 10) / 2, mh = half * 1.3;
    ReportInputs base_in = in;
    const MapSpec before = coverage_map(base_in, *in.base);
    const std::vector<double>* base_breaks = nullptr;
    for (const MapLayer& ml : before.layers)
      if (ml.style.choropleth) base_breaks = &ml.style.choropleth->breaks;
    const MapSpec after = coverage_map(in, pe, base_breaks);  // same classes, so colours compare
    font(cr, 10, true);
    text_at(cr, body_x, page.margin + 36, tr(in, "现状", "current"));
    text_at(cr, body_x + half + 10, page.margin + 36, scen);
    files.map_layouts.push_back(draw_map_layout(cr, body_x, page.margin + 42, half, mh, before));
    files.map_layouts.push_back(draw_map_layout(cr, body_x + half + 10, page.margin + 42, half, mh, after));
    PdfTable diff;
    diff.headers = {tr(in, "服务", "service"), tr(in, "现状覆盖率", "current share"),
                    tr(in, "情景覆盖率", "scenario share"), tr(in, "变化", "change")};
    diff.weights = {2, 1, 1, 1};
    diff.right = {false, true, true, true};
    const auto& bt = in.base->ev.coverage.total;
    for (std::size_t k = 0; k < pe.ev.services.size() && k < in.base->ev.services.size(); ++k) {
      const double a = bt.service[k].share(), b = tot.service[k].share();
      diff.rows.push_back({service_label(pe.ev.services[k].facility, pe.ev.services[k].label, in.english),
                           pct(a), pct(b), fmt("%+.1f", 100 * (b - a)) + tr(in, " 个百分点", " points")});
    }
    diff.rows.push_back(
        {tr(in, "任一方式", "any"), pct(bt.share_any()), pct(tot.share_any()),
         fmt("%+.1f", 100 * (tot.share_any() - bt.share_any())) + tr(in, " 个百分点", " points")});
    draw_table(cr, body_x, page.margin + 52 + mh, body_w, body_bottom, diff, 0, 8.5);
  }

  footer(cr, page, page_no, note);
  cairo_show_page(cr);
  check_cancel();
  cr_owner.reset();
  file.save();
  files.written.push_back(pdf);
  files.pages = page_no;

  // The accessibility page's figures alone, as PNG and SVG; one not drawn this time is removed,
  // so none is left from an earlier run.
  const AccessCharts& charts = access_page.charts;
  const bool with_index = access_page.problem.empty(), with_bars = with_index && charts.has_bars;
  check_cancel();
  if (with_index)
    lorenz_figure(dir / "report_lorenz", charts.lorenz, charts.gini, charts.lorenz_title, in.english, false);
  if (with_bars)
    index_bar_figure(dir / "report_index_by_township", charts.names, charts.values, charts.bars_title,
                     in.style, in.english, false);
  for (const auto& [name, drawn] :
       {std::pair<const char*, bool>{"report_lorenz", with_index}, {"report_index_by_township", with_bars}})
    for (const char* ext : {".png", ".svg"}) {
      const auto p = dir / (std::string(name) + ext);
      std::error_code ec;
      if (drawn)
        files.written.push_back(p);
      else
        std::filesystem::remove(p, ec);
    }

  // Each map alone, as PNG and SVG.
  for (const auto& [name, spec] :
       {std::pair<const char*, MapSpec>{"map_coverage", cov}, {"map_travel_time", tt}})
    for (const char* ext : {".png", ".svg"}) {
      const auto p = dir / (std::string(name) + ext);
      check_cancel();
      write_map(spec, p, 700, 700 * spec.extent.height() / std::max(1.0, spec.extent.width()), 150);
      files.written.push_back(p);
    }
  return files;
}

}  // namespace kepumap::report
