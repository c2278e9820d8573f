#include "report/access_outputs.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>

#include "analysis/grid_regions.hpp"
#include "core/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/gpkg_meta.hpp"
#include "io/raster_gpkg.hpp"
#include "io/raster_io.hpp"
#include "io/vector_writer.hpp"
#include "report/cairo_file.hpp"
#include "report/coverage_tables.hpp"
#include "report/print_font.hpp"
#include "report/qgis_style.hpp"

namespace kepumap::report {

namespace {

const char* k_font = "Noto Sans CJK SC";

std::string L(bool english, const char* zh, const char* en) { return english ? en : zh; }

bool is_capacity(const analysis::AccessOutcome& o) {
  return o.request.method == analysis::AccessMethod::Capacity;
}

double rel(const analysis::AccessOutcome& o, double v) { return o.mean > 0 ? v / o.mean : 0.0; }

// Renders one figure as PDF (unless `pdf` is false), PNG and SVG (each through a temporary
// renamed into place).
void emit(const std::filesystem::path& base, double w, double h, const std::function<void(cairo_t*)>& draw,
          bool pdf = true) {
  auto paint = [&](cairo_surface_t* s, double scale) {
    cairo_t* cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw(cr);
    cairo_destroy(cr);
  };
  for (const char* ext : {".pdf", ".svg"}) {
    if (!pdf && std::string(ext) == ".pdf") continue;
    std::filesystem::path dst = base;
    dst += ext;
    CairoFile file(dst, w, h);
    paint(file.surface(), 1.0);
    file.save();
  }
  std::filesystem::path dst = base;
  dst += ".png";
  cairo_surface_t* s =
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(w * 2), static_cast<int>(h * 2));
  paint(s, 2.0);
  try {
    save_png(s, dst);
  } catch (...) {
    cairo_surface_destroy(s);
    throw;
  }
  cairo_surface_destroy(s);
}

// The figures' font; on PDF surfaces as outlines, so every glyph prints (report/print_font.hpp).
void font(cairo_t* cr, double size, bool bold = false) {
  select_print_font(cr, k_font, bold);
  cairo_set_font_size(cr, size);
}

// Text with its left (align 0), centre (0.5) or right (1) at x, baseline at y.
void text(cairo_t* cr, double x, double y, const std::string& s, double align = 0.0) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  cairo_move_to(cr, x - align * e.x_advance, y);
  cairo_show_text(cr, s.c_str());
}

std::string fmt(double v, int decimals) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

}  // namespace

std::vector<Sheet> access_unit_sheets(const analysis::StudyArea& area, const analysis::AccessOutcome& out,
                                      bool english) {
  std::vector<Sheet> sheets;
  const bool cap = is_capacity(out);
  for (std::size_t l = 0; l < area.levels.size(); ++l) {
    const auto& lv = area.levels[l];
    Sheet s;
    s.name = "access_" + lv.name;
    s.headers = {L(english, "名称", "name"), L(english, "代码", "code"), L(english, "人口", "population")};
    if (cap) {
      for (const char* h : {"容量内覆盖人数|covered within capacity", "可达人数|within reach",
                            "容量内覆盖率|share within capacity", "可达率|share within reach",
                            "相对指数(均值=1)|relative (mean = 1)"}) {
        const std::string hs = h;
        const auto bar = hs.find('|');
        s.headers.push_back(english ? hs.substr(bar + 1) : hs.substr(0, bar));
      }
    } else {
      s.headers.push_back(L(english, "人均供给", "supply per person"));
      s.headers.push_back(L(english, "每万人供给", "supply per 10k people"));
      s.headers.push_back(L(english, "相对指数(均值=1)", "relative (mean = 1)"));
    }
    for (std::size_t u = 0; u < lv.names.size(); ++u) {
      const double p = u < out.units.people[l].size() ? out.units.people[l][u] : 0.0;
      const double v = u < out.units.value[l].size() ? out.units.value[l][u] : 0.0;
      std::vector<Cell> row{Cell(lv.names[u]), Cell(u < lv.codes.size() ? lv.codes[u] : std::string()),
                            Cell(p, 0)};
      if (cap) {
        const double sv = out.unit_served[l][u], rc = out.unit_reach[l][u];
        row.insert(row.end(), {Cell(sv, 0), Cell(rc, 0), Cell(p > 0 ? sv / p : 0.0, 3),
                               Cell(p > 0 ? rc / p : 0.0, 3), Cell(rel(out, v), 3)});
      } else {
        row.insert(row.end(), {Cell(v, 6), Cell(v * 1e4, 2), Cell(rel(out, v), 3)});
      }
      s.rows.push_back(std::move(row));
    }
    sheets.push_back(std::move(s));
  }
  return sheets;
}

Sheet access_facility_sheet(const analysis::FacilitySet& set, const analysis::AccessOutcome& out,
                            bool english) {
  Sheet s;
  s.name = "facilities";
  const bool cap = is_capacity(out);
  s.headers = {L(english, "设施", "facility"), L(english, "级别", "level")};
  if (cap) {
    const std::string unit = set.capacity_unit.empty() ? std::string() : " (" + set.capacity_unit + ")";
    s.headers.push_back(L(english, "容量", "capacity") + unit);
    s.headers.push_back(L(english, "实际服务", "realised"));
    s.headers.push_back(L(english, "剩余容量", "residual"));
    s.headers.push_back(L(english, "标准内人口", "people within the standard"));
    s.headers.push_back(L(english, "服务圈时间(分钟)", "catchment time (min)"));
    s.headers.push_back(L(english, "处理顺序", "order"));
  } else {
    s.headers.push_back(L(english, "供给", "supply") + " (" + out.supply + ")");
    s.headers.push_back(L(english, "服务圈每万人供给", "supply per 10k people in its catchment"));
  }
  for (std::size_t j = 0; j < set.points.size(); ++j) {
    std::vector<Cell> row{Cell(set.names[j]), Cell(j < set.levels.size() ? set.levels[j] : std::string())};
    if (cap) {
      const auto& f = out.capacity.facilities[j];
      row.push_back(std::isfinite(f.capacity) ? Cell(f.capacity, 0) : Cell(L(english, "不限", "unlimited")));
      row.insert(row.end(),
                 {Cell(f.realised, 0), std::isfinite(f.capacity) ? Cell(f.residual(), 0) : Cell(""),
                  Cell(f.within_standard, 0), Cell(f.catchment_s / 60.0, 1),
                  Cell(static_cast<double>(f.rank + 1), 0)});
    } else {
      row.push_back(Cell(out.facility_supply[j], 1));
      row.push_back(Cell(j < out.fca.facility_ratio.size() ? out.fca.facility_ratio[j] * 1e4 : 0.0, 3));
    }
    s.rows.push_back(std::move(row));
  }
  return s;
}

Sheet access_equity_sheet(const analysis::StudyArea& area, const analysis::AccessOutcome& out, bool english) {
  Sheet s;
  s.name = "equity";
  s.headers = {L(english, "指标", "figure"), L(english, "数值", "value"), L(english, "人口", "people")};
  const auto& e = out.equity;
  s.rows.push_back(
      {Cell(L(english, "基尼系数（按最细单元）", "Gini (finest units)")), Cell(e.gini, 3), Cell("")});
  s.rows.push_back({Cell(L(english, "区域均值", "region mean (per person)")), Cell(out.mean, 6), Cell("")});
  s.rows.push_back({Cell(L(english, "牧区 相对指数", "pastoral, relative")), Cell(e.pastoral, 3),
                    Cell(e.pastoral_people, 0)});
  s.rows.push_back(
      {Cell(L(english, "非牧区 相对指数", "other, relative")), Cell(e.other, 3), Cell(e.other_people, 0)});
  s.rows.push_back({Cell(L(english, "边境带 相对指数", "border zone, relative")), Cell(e.border, 3),
                    Cell(e.border_people, 0)});
  s.rows.push_back({Cell(L(english, "内地 相对指数", "interior, relative")), Cell(e.interior, 3),
                    Cell(e.interior_people, 0)});
  if (!area.levels.empty())
    for (core::Id u : e.lowest)
      s.rows.push_back(
          {Cell(L(english, "低于均值最多: ", "farthest below the mean: ") + area.levels[0].names[u]),
           Cell(rel(out, out.units.value[0][u]), 3), Cell(out.units.people[0][u], 0)});
  return s;
}

void draw_lorenz(cairo_t* cr, double x, double y, double w, double h,
                 const std::vector<analysis::LorenzPoint>& lorenz, double gini, const std::string& title,
                 bool english) {
  // The plot is a square under the title and the Gini, above the x-axis labels (420 × 400 gives
  // the standalone figure's 300-point square at 60, 50).
  const double side = std::max(10.0, std::min(w - 120, h - 100));
  const double x0 = x + (w - side) / 2, y0 = y + 50 + side;
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  font(cr, 13, true);
  text(cr, x + w / 2, y + 24, title, 0.5);
  font(cr, 10);
  text(cr, x + w / 2, y + 42, L(english, "基尼系数 ", "Gini ") + fmt(gini, 3), 0.5);
  // Axes, grid and the line of equality.
  cairo_set_line_width(cr, 0.5);
  for (int k = 0; k <= 4; ++k) {
    const double t = k / 4.0;
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_move_to(cr, x0 + t * side, y0);
    cairo_line_to(cr, x0 + t * side, y0 - side);
    cairo_move_to(cr, x0, y0 - t * side);
    cairo_line_to(cr, x0 + side, y0 - t * side);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    font(cr, 8);
    text(cr, x0 + t * side, y0 + 12, fmt(100 * t, 0) + "%", 0.5);
    text(cr, x0 - 4, y0 - t * side + 3, fmt(100 * t, 0) + "%", 1.0);
  }
  cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
  cairo_set_line_width(cr, 1);
  const double dash[] = {4, 3};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x0 + side, y0 - side);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
  if (!lorenz.empty()) {
    cairo_move_to(cr, x0, y0);
    for (const auto& p : lorenz) cairo_line_to(cr, x0 + p.population * side, y0 - p.index * side);
    cairo_line_to(cr, x0 + side, y0);
    cairo_close_path(cr);
    cairo_set_source_rgba(cr, 0.70, 0.09, 0.17, 0.15);
    cairo_fill(cr);
    cairo_move_to(cr, x0, y0);
    for (const auto& p : lorenz) cairo_line_to(cr, x0 + p.population * side, y0 - p.index * side);
    cairo_set_source_rgb(cr, 0.70, 0.09, 0.17);
    cairo_set_line_width(cr, 2);
    cairo_stroke(cr);
  }
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  font(cr, 9);
  text(cr, x0 + side / 2, y0 + 28,
       L(english, "人口累计占比（指数由低到高）", "cumulative share of people (lowest index first)"), 0.5);
  cairo_translate(cr, x0 - 44, y0 - side / 2);
  cairo_rotate(cr, -M_PI / 2);
  text(cr, 0, 0, L(english, "供给累计占比", "cumulative share of supply"), 0.5);
  cairo_restore(cr);
}

namespace {

constexpr std::size_t k_max_bars = 40;               // the bar chart shows the 40 lowest units
constexpr double k_bar_top = 50, k_bar_bottom = 40;  // title above the bars, mean label below
constexpr double k_bar_pitch = 18, k_bar_fill = 14;  // full bar size: 14 of every 18 points

}  // namespace

double index_bars_height(std::size_t n) {
  return k_bar_top + static_cast<double>(std::min(n, k_max_bars)) * k_bar_pitch + k_bar_bottom;
}

void draw_index_bars(cairo_t* cr, double x, double y, double w, double h,
                     const std::vector<std::string>& names, const std::vector<double>& values,
                     const std::string& title, const core::Style& style, bool english) {
  std::vector<std::size_t> idx(std::min(names.size(), values.size()));
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  if (idx.size() > k_max_bars) idx.resize(k_max_bars);  // the lowest
  const double left = 150, right = 60, top = y + k_bar_top;
  const double n = static_cast<double>(idx.size());
  // Bars shrink (and their labels with them) when the rectangle is shorter than the full size.
  const double pitch =
      idx.empty() ? k_bar_pitch : std::clamp((h - k_bar_top - k_bar_bottom) / n, 0.0, k_bar_pitch);
  const double k = pitch / k_bar_pitch, bar = k_bar_fill * k;
  double vmax = 1.0;
  for (std::size_t i : idx) vmax = std::max(vmax, values[i]);
  const double scale = std::max(1.0, w - left - right) / vmax;
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  font(cr, 13, true);
  text(cr, x + w / 2, y + 24, title, 0.5);
  font(cr, std::max(4.0, 9 * k));
  for (std::size_t r = 0; r < idx.size(); ++r) {
    const std::size_t i = idx[r];
    const double by = top + static_cast<double>(r) * pitch;
    const core::Rgba c = core::index_colour(style, values[i]);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_rectangle(cr, x + left, by, std::max(0.5, values[i] * scale), bar);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text(cr, x + left - 6, by + bar - 3 * k, names[i], 1.0);
    text(cr, x + left + values[i] * scale + 4, by + bar - 3 * k, fmt(values[i], 2));
  }
  // The region's mean.
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_set_line_width(cr, 1);
  const double dash[] = {4, 3};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_move_to(cr, x + left + scale, top - 6);
  cairo_line_to(cr, x + left + scale, top + n * pitch);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
  font(cr, 9);
  text(cr, x + left + scale, y + h - 14, L(english, "区域均值 = 1", "region mean = 1"), 0.5);
  cairo_restore(cr);
}

void lorenz_figure(const std::filesystem::path& base, const std::vector<analysis::LorenzPoint>& lorenz,
                   double gini, const std::string& title, bool english, bool pdf) {
  const double W = 420, H = 400;
  emit(
      base, W, H, [&](cairo_t* cr) { draw_lorenz(cr, 0, 0, W, H, lorenz, gini, title, english); }, pdf);
}

void index_bar_figure(const std::filesystem::path& base, const std::vector<std::string>& names,
                      const std::vector<double>& values, const std::string& title, const core::Style& style,
                      bool english, bool pdf) {
  const double W = 520, H = index_bars_height(std::min(names.size(), values.size()));
  emit(
      base, W, H, [&](cairo_t* cr) { draw_index_bars(cr, 0, 0, W, H, names, values, title, style, english); },
      pdf);
}

void index_map_figure(const std::filesystem::path& base, const core::GridF& relative,
                      const std::string& title, const core::Style& style, bool english) {
  const double maxw = 520, maxh = 520;
  const double s = std::min(maxw / std::max(1, relative.width), maxh / std::max(1, relative.height));
  const double W = relative.width * s + 40, H = relative.height * s + 110;
  // The raster as an image, one pixel per cell, drawn scaled.
  cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, std::max(1, relative.width),
                                                    std::max(1, relative.height));
  cairo_surface_flush(img);
  unsigned char* px = cairo_image_surface_get_data(img);
  const int stride = cairo_image_surface_get_stride(img);
  for (int r = 0; r < relative.height; ++r)
    for (int c = 0; c < relative.width; ++c) {
      auto* p = reinterpret_cast<std::uint32_t*>(px + r * stride) + c;
      const float v = relative.at(c, r);
      if (!std::isfinite(v) || v < 0) {  // nodata (-1): outside the study area or unreachable
        *p = 0;
        continue;
      }
      const core::Rgba col = core::index_colour(style, v);
      auto byte = [](float x) {
        return static_cast<std::uint32_t>(std::lround(std::clamp(x, 0.0f, 1.0f) * 255));
      };
      *p = 0xFF000000u | (byte(col.r) << 16) | (byte(col.g) << 8) | byte(col.b);
    }
  cairo_surface_mark_dirty(img);
  emit(base, W, H, [&](cairo_t* cr) {
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    font(cr, 13, true);
    text(cr, W / 2, 24, title, 0.5);
    cairo_save(cr);
    cairo_translate(cr, 20, 40);
    cairo_scale(cr, s, s);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
    // Legend: the ramp over the style's breaks, log scale, a tick at each break and at 1.
    const double lx = 60, ly = H - 50, lw = W - 120;
    const double b0 = std::log2(style.index_breaks.empty() ? 0.25 : style.index_breaks.front());
    const double b1 = std::log2(style.index_breaks.empty() ? 4.0 : style.index_breaks.back());
    const double span = b1 > b0 ? b1 - b0 : 1.0;
    for (int k = 0; k < 100; ++k) {
      const core::Rgba c = core::index_colour(style, std::pow(2.0, b0 + span * (k + 0.5) / 100.0));
      cairo_set_source_rgb(cr, c.r, c.g, c.b);
      cairo_rectangle(cr, lx + lw * k / 100.0, ly, lw / 100.0 + 0.5, 10);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    font(cr, 8);
    std::vector<double> ticks = style.index_breaks;
    if (std::find(ticks.begin(), ticks.end(), 1.0) == ticks.end()) ticks.push_back(1.0);
    for (double v : ticks) text(cr, lx + lw * (std::log2(v) - b0) / span, ly + 22, fmt(v, 2), 0.5);
    text(cr, W / 2, ly + 36, L(english, "相对指数（区域均值 = 1）", "relative index (region mean = 1)"), 0.5);
  });
  cairo_surface_destroy(img);
}

std::string access_method_title(analysis::AccessMethod m, bool english) {
  switch (m) {
    case analysis::AccessMethod::TwoStep:
      return english ? "2SFCA" : "两步移动搜索法";
    case analysis::AccessMethod::Enhanced:
      return english ? "E2SFCA" : "增强两步移动搜索法";
    case analysis::AccessMethod::Ratio:
      return english ? "supply ratio" : "供给比";
    case analysis::AccessMethod::Capacity:
      return english ? "capacity-limited coverage" : "容量限制覆盖";
  }
  return {};
}

AccessCharts access_charts(const analysis::StudyArea& area, const analysis::FacilitySet& set,
                           const analysis::AccessOutcome& out, bool english) {
  AccessCharts c;
  const std::string what =
      set.label.substr(0, set.label.find(' ')) + " — " + access_method_title(out.request.method, english);
  c.lorenz_title = L(english, "洛伦兹曲线 ", "Lorenz curve: ") + what;
  c.bars_title = L(english, "各单元相对指数 ", "Relative index by unit: ") + what;
  c.lorenz = out.equity.lorenz;
  c.gini = out.equity.gini;
  std::size_t bl = 0;
  for (std::size_t l = 0; l < area.levels.size(); ++l)
    if (area.levels[l].name == "township" || area.levels[l].name == "county") {
      bl = l;
      break;
    }
  c.has_bars = !area.levels.empty();
  if (!c.has_bars) return c;
  c.bar_level = area.levels[bl].name;
  for (std::size_t u = 0; u < area.levels[bl].names.size(); ++u) {
    if (!(out.units.people[bl][u] > 0)) continue;
    c.names.push_back(area.levels[bl].names[u]);
    c.values.push_back(rel(out, out.units.value[bl][u]));
  }
  return c;
}

std::string write_access_outputs(const std::filesystem::path& dir, const core::Document& doc,
                                 const analysis::ProjectEvaluation& pe, const analysis::AccessOutcome& out,
                                 bool english, const core::Style& style, const std::string& output_crs) {
  const auto& area = pe.area;
  const auto& set = pe.ev.sets[out.set];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "error: " + dir.string() + ": cannot create the output folder: " + ec.message();
  try {
    const bool cap = is_capacity(out);
    // access.gpkg is updated like coverage.gpkg: kepumap's layers and rasters are replaced, the
    // planner's own layers and saved styles kept, all on a staging copy renamed into place.
    const auto gpkg = dir / "access.gpkg";
    core::TempFile stage(gpkg);
    const auto& tmp_gpkg = stage.path();
    if (std::filesystem::exists(gpkg)) {
      std::filesystem::copy_file(gpkg, tmp_gpkg, ec);
      if (ec) {
        const std::string why = core::write_failure(gpkg, ec.value());
        return "error: " + gpkg.string() +
               ": cannot copy the GeoPackage to update it: " + (why.empty() ? ec.message() : why);
      }
    }
    // Unit polygons with the index, graduated on the relative index (the style's diverging classes).
    const core::Choropleth index_classes = core::index_classes(style, "relative");
    std::vector<core::Table> tables;
    std::vector<io::LayerToWrite> layers;
    std::vector<io::GpkgLayerMeta> meta;
    tables.reserve(area.levels.size());
    const FieldAliases unit_aliases = {
        {"name", L(english, "名称", "name")},
        {"code", L(english, "代码", "code")},
        {"population", L(english, "人口", "population")},
        {cap ? "share_capacity" : "index", cap ? L(english, "容量内覆盖率", "share within capacity")
                                               : L(english, "指数（每人供给）", "index (supply per person)")},
        {"relative", L(english, "相对指数（均值=1）", "relative index (mean = 1)")},
        {cap ? "share_reach" : "per_10k", cap ? L(english, "可达率", "share within reach")
                                              : L(english, "每万人供给", "supply per 10,000 people")}};
    const std::string method_name = access_method_title(out.request.method, english);
    for (std::size_t l = 0; l < area.levels.size(); ++l) {
      if (!area.level_layers[l]) continue;
      io::GpkgLayerMeta m;
      m.table = "access_" + area.levels[l].name;
      const std::string level = level_label(area.levels[l].name, english);
      m.title = english ? "accessibility (" + method_name + ") by " + level
                        : level + "可达性指数（" + method_name + "）";
      m.description = english ? "kepumap access: supply per person reached, relative to the region's mean = 1"
                              : "kepumap 可达性：每人可及的供给，相对指数以区域均值为 1";
      m.qml = qml_choropleth_polygons(index_classes, "relative", style.for_role(area.level_layers[l]->role),
                                      "name", unit_aliases);
      m.aliases = unit_aliases;
      meta.push_back(std::move(m));
      core::Table t;
      const int cn = t.add_column("name", core::FieldType::Text),
                cc = t.add_column("code", core::FieldType::Text);
      const int cp = t.add_column("population", core::FieldType::Real);
      const int ci = t.add_column(cap ? "share_capacity" : "index", core::FieldType::Real);
      const int cr = t.add_column("relative", core::FieldType::Real);
      const int ck = t.add_column(cap ? "share_reach" : "per_10k", core::FieldType::Real);
      const auto& lv = area.levels[l];
      for (std::size_t u = 0; u < lv.names.size(); ++u) {
        const double p = out.units.people[l][u], v = out.units.value[l][u];
        t.columns[cn].push_text(lv.names[u]);
        t.columns[cc].push_text(u < lv.codes.size() ? lv.codes[u] : std::string());
        t.columns[cp].push_real(p);
        t.columns[ci].push_real(v);
        t.columns[cr].push_real(rel(out, v));
        t.columns[ck].push_real(cap ? (p > 0 ? out.unit_reach[l][u] / p : 0.0) : v * 1e4);
      }
      tables.push_back(std::move(t));
      layers.push_back({"access_" + lv.name, &area.level_layers[l]->geom, &tables.back()});
    }
    // Capacity catchments: the cells each facility took most of the people of, as one polygon
    // per facility (a split cell goes to the facility that took the larger share).
    core::Geometries catchments;
    core::Table catchment_table;
    if (cap) {
      const int nf = static_cast<int>(set.points.size());
      catchments = analysis::grid_regions(out.catchment, nf);
      std::vector<double> cells(set.points.size(), 0.0);
      for (const std::int32_t v : out.catchment.data)
        if (v >= 0 && v < nf) cells[static_cast<std::size_t>(v)] += 1.0;
      core::Table& t = catchment_table;
      const int cn = t.add_column("name", core::FieldType::Text),
                cc = t.add_column("capacity", core::FieldType::Real),
                cr = t.add_column("realised", core::FieldType::Real),
                cm = t.add_column("catchment_min", core::FieldType::Real),
                ck = t.add_column("cells", core::FieldType::Real),
                ca = t.add_column("area_km2", core::FieldType::Real);
      const double cell_km2 = out.catchment.cell * out.catchment.cell / 1e6;
      for (std::size_t j = 0; j < set.points.size(); ++j) {
        const auto& f = out.capacity.facilities[j];
        t.columns[cn].push_text(set.names[j]);
        t.columns[cc].push_real(std::isfinite(f.capacity) ? f.capacity : -1.0);
        t.columns[cr].push_real(f.realised);
        t.columns[cm].push_real(f.catchment_s / 60.0);
        t.columns[ck].push_real(cells[j]);
        t.columns[ca].push_real(cells[j] * cell_km2);
      }
      layers.push_back({"capacity_catchments", &catchments, &catchment_table});
      io::GpkgLayerMeta m;
      m.table = "capacity_catchments";
      m.title = english ? "capacity catchments" : "容量服务圈";
      m.description = english
                          ? "kepumap access: the cells each facility took most of the people of, within its "
                            "capacity and the standard's minutes"
                          : "kepumap 可达性：各设施在容量与服务标准内所服务人口的范围";
      m.aliases = {{"name", L(english, "设施", "facility")},
                   {"capacity", L(english, "容量", "capacity")},
                   {"realised", L(english, "实际服务人数", "realised")},
                   {"catchment_min", L(english, "服务圈时间（分钟）", "catchment (minutes)")},
                   {"cells", L(english, "格数", "cells")},
                   {"area_km2", L(english, "面积（平方公里）", "area (km²)")}};
      m.qml = qml_category_polygons("name", set.names, 0.45f, "name", m.aliases);
      meta.push_back(std::move(m));
    }
    io::WriteOptions wo;
    wo.analysis_crs = doc.analysis_crs;
    wo.output_crs = output_crs;
    wo.in_place = true;
    io::write_layers(tmp_gpkg, layers, wo);
    core::GridF relg = out.index;
    relg.nodata = -1.0f;
    for (float& v : relg.data)
      v = std::isfinite(v) && out.mean > 0 ? static_cast<float>(v / out.mean) : -1.0f;
    io::drop_gpkg_rasters(tmp_gpkg, {"access_relative", "catchment_facility"});
    io::add_raster_to_gpkg(relg, doc.analysis_crs, tmp_gpkg, "access_relative");
    {
      io::GpkgLayerMeta m;
      m.table = "access_relative";
      m.title = english ? "relative accessibility index per cell (mean = 1)" : "每格相对可达性指数（均值=1）";
      m.description = m.title;
      meta.push_back(std::move(m));
    }
    if (cap) {
      core::GridF cg(out.catchment.width, out.catchment.height, out.catchment.origin_x,
                     out.catchment.origin_y, out.catchment.cell, -1.0f);
      for (std::size_t i = 0; i < cg.data.size(); ++i) cg.data[i] = static_cast<float>(out.catchment.data[i]);
      io::add_raster_to_gpkg(cg, doc.analysis_crs, tmp_gpkg, "catchment_facility");
      io::GpkgLayerMeta m;
      m.table = "catchment_facility";
      m.title = english ? "facility that took most of each cell (index)" : "各格主要服务设施（序号）";
      m.description = m.title;
      meta.push_back(std::move(m));
    }
    io::write_gpkg_meta(tmp_gpkg, meta);
    if (const std::string why = stage.commit(); !why.empty())
      return "error: " + gpkg.string() + ": cannot write (无法写入): " + why;
    // QGIS 3.22 keeps no styles for GeoPackage raster tables, so the rasters are also written as
    // GeoTIFFs with a .qml beside each, which QGIS reads as their default style.
    io::write_geotiff(relg, doc.analysis_crs, dir / "access_relative.tif",
                      L(english, "相对可达性指数（均值=1）", "relative accessibility index (mean = 1)"), "1");
    std::vector<std::pair<std::filesystem::path, std::string>> qmls = {
        {dir / "access_relative.qml", qml_classed_raster(index_classes)}};
    if (cap) {
      core::GridI ci = out.catchment;
      ci.nodata = -1;
      io::write_geotiff_classes(ci, doc.analysis_crs, dir / "catchment_facility.tif", set.names,
                                L(english, "主要服务设施（见属性表）",
                                  "facility that took most of the cell (see the attribute table)"));
      qmls.emplace_back(dir / "catchment_facility.qml", qml_class_raster(set.names));
    }
    for (const auto& [file, qml] : qmls) {
      std::string why;
      if (!core::write_file_atomic(file, qml, &why))
        return "error: " + file.string() + ": cannot write (无法写入): " + why;
    }

    std::vector<Sheet> sheets = access_unit_sheets(area, out, english);
    for (std::size_t l = 0; l < area.levels.size(); ++l)
      write_csv(dir / ("access_" + area.levels[l].name + ".csv"), sheets[l]);
    sheets.push_back(access_facility_sheet(set, out, english));
    write_csv(dir / "access_facilities.csv", sheets.back());
    sheets.push_back(access_equity_sheet(area, out, english));
    write_csv(dir / "access_equity.csv", sheets.back());
    write_xlsx(dir / "access.xlsx", sheets);

    // Figures.
    const AccessCharts charts = access_charts(area, set, out, english);
    lorenz_figure(dir / "lorenz", charts.lorenz, charts.gini, charts.lorenz_title, english);
    if (charts.has_bars)
      index_bar_figure(dir / "index_by_township", charts.names, charts.values, charts.bars_title, style,
                       english);
    const std::string what = set.label.substr(0, set.label.find(' ')) + " — " + method_name;
    index_map_figure(dir / "index_map", relg, L(english, "相对指数图 ", "Relative index: ") + what, style,
                     english);
  } catch (const io::DataError& e) {
    return e.problem.to_line();
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
  return {};
}

}  // namespace kepumap::report
