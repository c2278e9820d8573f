#include "report/map_render.hpp"

#include "report/cairo_file.hpp"
#include "report/print_font.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/labels.hpp"
#include "core/layer_style.hpp"
#include "core/resources.hpp"

namespace kepumap::report {

namespace {

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

// `text` cut into lines no wider than `max_w` at the current font, between UTF-8 characters,
// preferring a break after a space or a Chinese/ASCII semicolon or comma.
std::vector<std::string> wrap_text(cairo_t* cr, const std::string& text, double max_w) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start, last_break = std::string::npos;
    while (end < text.size()) {
      std::size_t next = end + 1;
      while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
      cairo_text_extents_t te;
      cairo_text_extents(cr, text.substr(start, next - start).c_str(), &te);
      if (te.x_advance > max_w && end > start) break;
      const std::string ch = text.substr(end, next - end);
      if (ch == " " || ch == ";" || ch == "," || ch == "；" || ch == "，" || ch == "、") last_break = next;
      end = next;
    }
    if (end < text.size() && last_break != std::string::npos && last_break > start) end = last_break;
    lines.push_back(text.substr(start, end - start));
    start = end;
    while (start < text.size() && text[start] == ' ') ++start;
  }
  return lines;
}

void set_rgba(cairo_t* cr, core::Rgba c, double opacity = 1.0) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

// World (analysis CRS metres) to page points, uniform scale, centred in the rectangle.
struct View {
  double scale = 1.0, ox = 0.0, oy = 0.0, min_x = 0.0, max_y = 0.0;
  View(const core::BBox& e, double x, double y, double w, double h) {
    const double ew = std::max(e.width(), 1.0), eh = std::max(e.height(), 1.0);
    scale = std::min(w / ew, h / eh);
    ox = x + (w - ew * scale) / 2;
    oy = y + (h - eh * scale) / 2;
    min_x = e.min_x;
    max_y = e.max_y;
  }
  double px(double wx) const { return ox + (wx - min_x) * scale; }
  double py(double wy) const { return oy + (max_y - wy) * scale; }
};

// The attribute column a style's field key refers to: a mapped field name, or a column name.
int column_for(const core::Layer& l, const std::string& key) {
  const core::FieldMap& f = l.fields;
  const std::pair<const char*, const std::string*> keys[] = {{"name", &f.name},
                                                             {"name_en", &f.name_en},
                                                             {"code", &f.code},
                                                             {"population", &f.population},
                                                             {"level", &f.level},
                                                             {"capacity", &f.capacity},
                                                             {"road_class", &f.road_class},
                                                             {"speed", &f.speed},
                                                             {"pastoral", &f.pastoral}};
  for (const auto& [k, v] : keys)
    if (key == k && !v->empty()) return l.attrs.find(*v);
  return l.attrs.find(key);
}

void path_rings(cairo_t* cr, const View& v, const core::Geometries& g, core::FeatureId f, bool close) {
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
      auto ring = g.ring(r);
      if (ring.empty()) continue;
      cairo_move_to(cr, v.px(ring[0].x), v.py(ring[0].y));
      for (std::size_t i = 1; i < ring.size(); ++i) cairo_line_to(cr, v.px(ring[i].x), v.py(ring[i].y));
      if (close) cairo_close_path(cr);
    }
}

void symbol_path(cairo_t* cr, core::Symbol s, double x, double y, double size) {
  const double r = size / 2;
  switch (s) {
    case core::Symbol::Circle:
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, r, 0, 2 * M_PI);
      break;
    case core::Symbol::Square:
      cairo_rectangle(cr, x - r, y - r, size, size);
      break;
    case core::Symbol::Triangle:
      cairo_move_to(cr, x, y - r);
      cairo_line_to(cr, x + r, y + r * 0.8);
      cairo_line_to(cr, x - r, y + r * 0.8);
      cairo_close_path(cr);
      break;
    case core::Symbol::Diamond:
      cairo_move_to(cr, x, y - r);
      cairo_line_to(cr, x + r, y);
      cairo_line_to(cr, x, y + r);
      cairo_line_to(cr, x - r, y);
      cairo_close_path(cr);
      break;
    case core::Symbol::Star:
      for (int k = 0; k < 10; ++k) {
        const double a = -M_PI / 2 + k * M_PI / 5, rr = (k % 2 == 0) ? r : r * 0.45;
        if (k == 0)
          cairo_move_to(cr, x + rr * std::cos(a), y + rr * std::sin(a));
        else
          cairo_line_to(cr, x + rr * std::cos(a), y + rr * std::sin(a));
      }
      cairo_close_path(cr);
      break;
    case core::Symbol::Cross:
      cairo_rectangle(cr, x - r, y - r * 0.3, size, r * 0.6);
      cairo_rectangle(cr, x - r * 0.3, y - r, r * 0.6, size);
      break;
  }
}

// The style's dash pattern in points (`unit` points per style pixel); solid when it has none.
std::vector<float> dash_of(const core::LayerStyle& st) {
  if (!st.dash_px.empty()) return st.dash_px;
  if (st.dashed) return {6.0f, 3.0f};
  return {};
}

void set_dash(cairo_t* cr, const core::LayerStyle& st, double unit) {
  std::vector<double> d;
  for (float on_off : dash_of(st)) d.push_back(on_off * unit);
  cairo_set_dash(cr, d.empty() ? nullptr : d.data(), static_cast<int>(d.size()), 0);
}

core::Rgba feature_fill(const MapLayer& ml, core::FeatureId f) {
  if (f < ml.fills.size()) return ml.fills[f];
  if (ml.style.choropleth && f < ml.values.size() && std::isfinite(ml.values[f]))
    return ml.style.choropleth->class_colour(ml.style.choropleth->class_of(ml.values[f]));
  return ml.style.fill;
}

core::Rgba line_colour(const MapLayer& ml, int class_col, core::FeatureId f, float& width) {
  width = ml.style.line_width_px;
  if (class_col >= 0) {
    const std::string v = ml.layer->attrs.columns[class_col].text(f);
    for (const auto& lc : ml.style.line_classes)
      if (lc.value == v) {
        width = lc.width_px;
        return lc.line;
      }
  }
  return ml.style.line;
}

void draw_raster(cairo_t* cr, const View& v, const MapRaster& r) {
  const core::GridF& g = *r.grid;
  if (g.width <= 0 || g.height <= 0 || r.ramp.empty()) return;
  core::require_memory("the report raster is " + core::thousands(static_cast<std::uint64_t>(g.width)) +
                           " × " + core::thousands(static_cast<std::uint64_t>(g.height)) + " pixels",
                       static_cast<std::uint64_t>(g.width) * static_cast<std::uint64_t>(g.height) * 4, 0.0,
                       "use a larger cell_size_m");
  cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, g.width, g.height);
  const int stride = cairo_image_surface_get_stride(img);
  unsigned char* px = cairo_image_surface_get_data(img);
  const double lo = r.log ? std::log1p(std::max(0.0, r.min)) : r.min;
  const double hi = r.log ? std::log1p(std::max(0.0, r.max)) : r.max;
  for (int row = 0; row < g.height; ++row) {
    auto* line = reinterpret_cast<std::uint32_t*>(px + static_cast<std::size_t>(row) * stride);
    for (int col = 0; col < g.width; ++col) {
      const float val = g.at(col, row);
      if (!std::isfinite(val) || val == g.nodata) {
        line[col] = 0;
        continue;
      }
      double t = r.log ? std::log1p(std::max(0.0f, val)) : val;
      t = hi > lo ? (t - lo) / (hi - lo) : 0.0;
      const core::Rgba c = core::ramp_at(r.ramp, t);
      const double a = c.a * r.opacity;
      // Cairo wants premultiplied ARGB.
      line[col] =
          (static_cast<std::uint32_t>(a * 255) << 24) | (static_cast<std::uint32_t>(c.r * a * 255) << 16) |
          (static_cast<std::uint32_t>(c.g * a * 255) << 8) | static_cast<std::uint32_t>(c.b * a * 255);
    }
  }
  cairo_surface_mark_dirty(img);
  cairo_save(cr);
  cairo_translate(cr, v.px(g.origin_x), v.py(g.origin_y));
  cairo_scale(cr, g.cell * v.scale, g.cell * v.scale);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(img);
}

/// A background image placed at its extent (Cairo wants premultiplied ARGB).
void draw_background(cairo_t* cr, const View& v, const MapBackground& bg) {
  const core::ImageRgba& im = bg.image;
  if (im.empty() || im.extent.empty() || bg.opacity <= 0) return;
  core::require_memory("the map's background image is " +
                           core::thousands(static_cast<std::uint64_t>(im.width)) + " × " +
                           core::thousands(static_cast<std::uint64_t>(im.height)) + " pixels",
                       static_cast<std::uint64_t>(im.width) * static_cast<std::uint64_t>(im.height) * 4, 0.0,
                       "print at a lower resolution");
  cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, im.width, im.height);
  const int stride = cairo_image_surface_get_stride(img);
  unsigned char* px = cairo_image_surface_get_data(img);
  for (int row = 0; row < im.height; ++row) {
    auto* line = reinterpret_cast<std::uint32_t*>(px + static_cast<std::size_t>(row) * stride);
    for (int col = 0; col < im.width; ++col) {
      const std::uint8_t* p = im.at(col, row);
      const std::uint32_t a = p[3];
      auto pm = [&](std::uint8_t c) { return (static_cast<std::uint32_t>(c) * a + 127) / 255; };
      line[col] = (a << 24) | (pm(p[0]) << 16) | (pm(p[1]) << 8) | pm(p[2]);
    }
  }
  cairo_surface_mark_dirty(img);
  cairo_save(cr);
  cairo_translate(cr, v.px(im.extent.min_x), v.py(im.extent.max_y));
  cairo_scale(cr, (im.extent.max_x - im.extent.min_x) * v.scale / im.width,
              (im.extent.max_y - im.extent.min_y) * v.scale / im.height);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
  cairo_paint_with_alpha(cr, std::clamp(static_cast<double>(bg.opacity), 0.0, 1.0));
  cairo_restore(cr);
  cairo_surface_destroy(img);
}

struct LegendRow {
  enum Kind { Title, Fill, Line, Point, Ramp } kind;
  std::string text;
  core::Rgba fill, line;
  float width = 1;
  std::vector<float> dash;  ///< on/off lengths in style pixels; empty = solid
  core::Symbol symbol = core::Symbol::Circle;
  const MapRaster* raster = nullptr;
};

std::vector<LegendRow> legend_rows(const MapSpec& spec) {
  std::vector<LegendRow> rows;
  if (spec.raster && !spec.raster->legend_title.empty()) {
    rows.push_back({LegendRow::Title, spec.raster->legend_title, {}, {}, 1, {}, {}, nullptr});
    rows.push_back({LegendRow::Ramp, "", {}, {}, 1, {}, {}, &*spec.raster});
  }
  for (const MapLayer& ml : spec.layers) {
    if (ml.legend_label.empty() || !ml.layer) continue;
    const core::GeomKind kind = ml.layer->geom.kind;
    if (!ml.style.categories.empty() && !ml.fills.empty()) {
      rows.push_back({LegendRow::Title, ml.legend_label, {}, {}, 1, {}, {}, nullptr});
      for (const auto& [value, colour] : ml.style.categories)
        if (kind == core::GeomKind::Point)
          rows.push_back({LegendRow::Point,
                          value,
                          colour,
                          ml.style.line,
                          ml.style.line_width_px,
                          {},
                          ml.style.symbol,
                          nullptr});
        else
          rows.push_back({LegendRow::Fill, value, colour, ml.style.line, 0.5f, {}, {}, nullptr});
    } else if (ml.style.choropleth && !ml.values.empty()) {
      const core::Choropleth& ch = *ml.style.choropleth;
      rows.push_back({LegendRow::Title, ml.legend_label, {}, {}, 1, {}, {}, nullptr});
      const int classes = static_cast<int>(ch.breaks.size()) + 1;
      for (int k = 0; k < classes; ++k) {
        // the labels the app's legend and the QGIS style print (core::Choropleth::class_label)
        rows.push_back(
            {LegendRow::Fill, ch.class_label(k), ch.class_colour(k), ml.style.line, 0.5f, {}, {}, nullptr});
      }
    } else if (kind == core::GeomKind::Line && !ml.style.line_classes.empty()) {
      rows.push_back({LegendRow::Title, ml.legend_label, {}, {}, 1, {}, {}, nullptr});
      for (const auto& lc : ml.style.line_classes)
        rows.push_back({LegendRow::Line,
                        lc.label.empty() ? lc.value : lc.label,
                        {},
                        lc.line,
                        lc.width_px,
                        dash_of(ml.style),
                        {},
                        nullptr});
    } else if (kind == core::GeomKind::Line) {
      rows.push_back({LegendRow::Line,
                      ml.legend_label,
                      {},
                      ml.style.line,
                      ml.style.line_width_px,
                      dash_of(ml.style),
                      {},
                      nullptr});
    } else if (kind == core::GeomKind::Point) {
      rows.push_back({LegendRow::Point,
                      ml.legend_label,
                      ml.style.fill,
                      ml.style.line,
                      ml.style.line_width_px,
                      {},
                      ml.style.symbol,
                      nullptr});
    } else {
      rows.push_back({LegendRow::Fill,
                      ml.legend_label,
                      ml.style.fill,
                      ml.style.line,
                      ml.style.line_width_px,
                      {},
                      {},
                      nullptr});
    }
  }
  return rows;
}

}  // namespace

double nice_length(double max_m) {
  if (!(max_m > 0)) return 0.0;
  const double p = std::pow(10.0, std::floor(std::log10(max_m)));
  for (double m : {5.0, 2.0, 1.0})
    if (m * p <= max_m) return m * p;
  return p;
}

MapLayout draw_map_layout(cairo_t* cr, double x, double y, double w, double frame_h, const MapSpec& spec,
                          bool draw_labels) {
  MapLayout out;
  out.frame.add(core::Vec2{x, y});
  out.frame.add(core::Vec2{x + w, y + frame_h});
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, frame_h);
  set_rgba(cr, spec.background);
  cairo_fill_preserve(cr);
  cairo_clip(cr);
  select_print_font(cr, spec.font.c_str(), false);
  // The notes, wrapped to the frame's width, take a strip at the bottom.
  const double note_fs = 7.5 * std::max(0.5, std::min(w, frame_h) / 600.0);
  cairo_set_font_size(cr, note_fs);
  std::vector<std::string> note_lines;
  for (const std::string& n : spec.notes)
    for (std::string& l : wrap_text(cr, n, w - 12 * std::max(0.5, std::min(w, frame_h) / 600.0)))
      note_lines.push_back(std::move(l));
  const double note_h = note_lines.empty() ? 0.0 : note_fs * (1.45 * note_lines.size() + 0.6);
  const double h = frame_h - note_h;  // the map above the notes strip
  const double pad = 8.0;
  const double unit = std::max(0.5, std::min(w, h) / 600.0);  // style pixels → points

  // Legend size first: where it goes decides the map's view.
  const double fs = 9.0 * unit;
  cairo_set_font_size(cr, fs);
  const std::vector<LegendRow> rows = legend_rows(spec);
  double legend_w = 0;
  for (const auto& r : rows) {
    cairo_text_extents_t te;
    cairo_text_extents(cr, r.text.c_str(), &te);
    legend_w = std::max(legend_w, te.x_advance + (r.kind == LegendRow::Title ? 0 : 22 * unit));
  }
  legend_w = std::max(legend_w, 90.0 * unit) + 12 * unit;
  const double row_h = fs * 1.6;
  double legend_h = 0;
  for (const auto& r : rows) legend_h += r.kind == LegendRow::Ramp ? row_h * 2.2 : row_h;
  legend_h += row_h + 8 * unit;
  const double gap = 6 * unit;
  const double sb_h = fs * 2 + 20 * unit, na_h = 36 * unit + 16;  // scale bar and north arrow bands

  // The study area on the page for a view; the legend's corners, tried in turn.
  const core::BBox study = spec.study_area.empty() ? spec.extent : spec.study_area;
  auto study_on_page = [&](const View& vv) {
    core::BBox b;
    b.add(core::Vec2{vv.px(study.min_x), vv.py(study.max_y)});
    b.add(core::Vec2{vv.px(study.max_x), vv.py(study.min_y)});
    return b;
  };
  auto box = [](double bx, double by, double bw, double bh) {
    core::BBox b;
    b.add(core::Vec2{bx, by});
    b.add(core::Vec2{bx + bw, by + bh});
    return b;
  };
  auto overlaps = [](const core::BBox& a, const core::BBox& b) {
    return a.min_x < b.max_x && b.min_x < a.max_x && a.min_y < b.max_y && b.min_y < a.max_y;
  };
  View v(spec.extent, x + pad, y + pad, w - 2 * pad, h - 2 * pad);
  double lx = 0, ly = 0;
  bool placed_legend = false;
  {
    const core::BBox s = study_on_page(v);
    // Bottom right, top right (under the north arrow), top left, bottom left (above the scale bar).
    const std::pair<double, double> corners[] = {{x + w - legend_w - gap, y + h - legend_h - gap},
                                                 {x + w - legend_w - gap, y + na_h},
                                                 {x + gap, y + gap},
                                                 {x + gap, y + h - legend_h - sb_h}};
    for (const auto& [cx, cy] : corners)
      if (cy >= y && cy + legend_h <= y + h && !overlaps(box(cx, cy, legend_w, legend_h), s)) {
        lx = cx;
        ly = cy;
        placed_legend = true;
        break;
      }
  }
  if (!placed_legend) {
    // No clear corner: a margin beside the map (right) or under it, whichever keeps it larger.
    const View right(spec.extent, x + pad, y + pad, w - 2 * pad - legend_w - gap, h - 2 * pad);
    const View below(spec.extent, x + pad, y + pad, w - 2 * pad, h - 2 * pad - legend_h - gap);
    if (right.scale >= below.scale || h - legend_h - gap < 4 * pad) {
      v = right;
      lx = x + w - legend_w - gap;
      ly = y + h - legend_h - gap;
    } else {
      v = below;
      lx = x + w - legend_w - gap;
      ly = y + h - legend_h - gap;
    }
    out.legend_in_margin = true;
  }
  out.study_area = study_on_page(v);
  out.legend = box(lx, ly, legend_w, legend_h);

  for (const MapBackground& bg : spec.backgrounds) draw_background(cr, v, bg);
  bool raster_drawn = false;
  for (const MapLayer& ml : spec.layers) {
    if (!ml.layer || ml.layer->is_raster) continue;
    const core::Geometries& g = ml.layer->geom;
    const double op = ml.style.opacity;
    if (g.kind == core::GeomKind::Polygon) {
      cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
      for (core::FeatureId f = 0; f < g.feature_count(); ++f) {
        path_rings(cr, v, g, f, true);
        set_rgba(cr, feature_fill(ml, f), op);
        cairo_fill_preserve(cr);
        set_rgba(cr, ml.style.line, op);
        cairo_set_line_width(cr, ml.style.line_width_px * unit * 0.6);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
      }
      if (spec.raster && spec.raster->grid && !raster_drawn) {
        draw_raster(cr, v, *spec.raster);
        raster_drawn = true;
      }
    } else if (g.kind == core::GeomKind::Line) {
      const int class_col = ml.style.class_field.empty() ? -1 : column_for(*ml.layer, ml.style.class_field);
      cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
      set_dash(cr, ml.style, unit);
      for (core::FeatureId f = 0; f < g.feature_count(); ++f) {
        float width = 1;
        const core::Rgba c = line_colour(ml, class_col, f, width);
        path_rings(cr, v, g, f, false);
        set_rgba(cr, c, op);
        cairo_set_line_width(cr, width * unit * 0.6);
        cairo_stroke(cr);
      }
      cairo_set_dash(cr, nullptr, 0, 0);
    } else if (g.kind == core::GeomKind::Point) {
      const double size = ml.style.symbol_size_px * unit;
      for (core::FeatureId f = 0; f < g.feature_count(); ++f) {
        if (!g.has_geometry(f)) continue;
        const core::Vec2 p = g.first_point(f);
        symbol_path(cr, ml.style.symbol, v.px(p.x), v.py(p.y), size);
        set_rgba(cr, feature_fill(ml, f), op);
        cairo_fill_preserve(cr);
        set_rgba(cr, ml.style.line, op);
        cairo_set_line_width(cr, std::max(0.5, ml.style.line_width_px * unit * 0.5));
        cairo_stroke(cr);
      }
    }
  }
  if (spec.raster && spec.raster->grid && !raster_drawn) draw_raster(cr, v, *spec.raster);

  // Legend, scale bar (bottom left), north arrow (top right): obstacles for labels.
  cairo_set_font_size(cr, fs);
  std::vector<core::BBox> obstacles;
  core::BBox legend_box;
  legend_box.add(core::Vec2{lx, ly});
  legend_box.add(core::Vec2{lx + legend_w, ly + legend_h});
  obstacles.push_back(legend_box);
  const double sb_y = y + h - 14 * unit, sb_x = x + 10 * unit;
  core::BBox sb_box;
  sb_box.add(core::Vec2{sb_x - 2, sb_y - fs * 2});
  sb_box.add(core::Vec2{sb_x + w * 0.3, sb_y + 6 * unit});
  obstacles.push_back(sb_box);
  const double na_x = x + w - 22 * unit, na_y = y + 12 * unit;
  core::BBox na_box;
  na_box.add(core::Vec2{na_x - 12 * unit, na_y - 4});
  na_box.add(core::Vec2{na_x + 12 * unit, na_y + 36 * unit});
  obstacles.push_back(na_box);

  // Labels: candidates from every labelled layer, placed without overlap.
  std::vector<core::LabelCandidate> cands;
  std::vector<std::string> texts;
  std::vector<double> sizes;
  for (const MapLayer& ml : spec.layers) {
    if (!ml.layer || ml.label_column < 0 || ml.layer->is_raster) continue;
    const core::Geometries& g = ml.layer->geom;
    const double lfs = ml.style.label_size_px * unit * 0.7;
    cairo_set_font_size(cr, lfs);
    for (core::FeatureId f = 0; f < g.feature_count(); ++f) {
      if (!g.has_geometry(f)) continue;
      const std::string text = ml.layer->attrs.columns[ml.label_column].text(f);
      if (text.empty()) continue;
      // Units are labelled at their seat (always inside them), other features at their centroid.
      core::Vec2 a = g.kind == core::GeomKind::Point ? g.first_point(f)
                     : f < ml.layer->seats.size()    ? ml.layer->seats[f]
                                                     : core::feature_centroid(g, f);
      cairo_text_extents_t te;
      cairo_text_extents(cr, text.c_str(), &te);
      core::LabelCandidate c;
      c.anchor = {v.px(a.x), v.py(a.y)};
      c.width = te.x_advance;
      c.height = lfs * 1.2;
      c.priority = ml.label_priority;
      c.weight = g.kind == core::GeomKind::Polygon ? core::feature_area(g, f) : 0.0;
      c.centred = g.kind == core::GeomKind::Polygon;
      c.offset = ml.style.symbol_size_px * unit * 0.6;
      cands.push_back(c);
      texts.push_back(text);
      sizes.push_back(lfs);
    }
  }
  core::BBox bounds;
  bounds.add(core::Vec2{x + 2, y + 2});
  bounds.add(core::Vec2{x + w - 2, y + h - 2});
  const auto placed = core::place_labels(cands, bounds, obstacles);
  for (const auto& p : placed) {
    const double bx = p.top_left.x, by = p.top_left.y + sizes[p.index] * 0.95;
    out.labels.push_back({texts[p.index], bx, by, sizes[p.index]});
    if (!draw_labels) continue;
    cairo_set_font_size(cr, sizes[p.index]);
    cairo_move_to(cr, bx, by);
    cairo_text_path(cr, texts[p.index].c_str());
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_set_line_width(cr, 2.2 * unit);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_move_to(cr, bx, by);
    cairo_set_source_rgba(cr, 0.1, 0.1, 0.1, 1);
    cairo_show_text(cr, texts[p.index].c_str());
  }

  // Legend box.
  cairo_set_font_size(cr, fs);
  cairo_rectangle(cr, lx, ly, legend_w, legend_h);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
  cairo_fill_preserve(cr);
  cairo_set_source_rgba(cr, 0.3, 0.3, 0.3, 1);
  cairo_set_line_width(cr, 0.6);
  cairo_stroke(cr);
  double cy = ly + row_h;
  cairo_move_to(cr, lx + 6 * unit, cy);
  cairo_show_text(cr, spec.english ? "Legend" : "图例");
  cy += row_h;
  for (const auto& r : rows) {
    const double sx = lx + 6 * unit, tx = lx + 26 * unit;
    switch (r.kind) {
      case LegendRow::Title:
        cairo_set_source_rgba(cr, 0.1, 0.1, 0.1, 1);
        cairo_move_to(cr, sx, cy);
        cairo_show_text(cr, r.text.c_str());
        break;
      case LegendRow::Fill:
        cairo_rectangle(cr, sx, cy - fs * 0.85, 14 * unit, fs);
        set_rgba(cr, r.fill);
        cairo_fill_preserve(cr);
        set_rgba(cr, r.line);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        break;
      case LegendRow::Line:
        if (!r.dash.empty()) {
          std::vector<double> d;
          for (float on_off : r.dash) d.push_back(on_off * unit * 0.7);
          cairo_set_dash(cr, d.data(), static_cast<int>(d.size()), 0);
        }
        cairo_move_to(cr, sx, cy - fs * 0.35);
        cairo_line_to(cr, sx + 14 * unit, cy - fs * 0.35);
        set_rgba(cr, r.line);
        cairo_set_line_width(cr, r.width * unit * 0.6);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
        break;
      case LegendRow::Point:
        symbol_path(cr, r.symbol, sx + 7 * unit, cy - fs * 0.35, fs);
        set_rgba(cr, r.fill);
        cairo_fill_preserve(cr);
        set_rgba(cr, r.line);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
        break;
      case LegendRow::Ramp: {
        const double bw = legend_w - 12 * unit, bh = fs * 0.9;
        cairo_pattern_t* grad = cairo_pattern_create_linear(sx, 0, sx + bw, 0);
        const auto& ramp = r.raster->ramp;
        for (std::size_t k = 0; k < ramp.size(); ++k)
          cairo_pattern_add_color_stop_rgba(grad, ramp.size() > 1 ? double(k) / (ramp.size() - 1) : 0.0,
                                            ramp[k].r, ramp[k].g, ramp[k].b, ramp[k].a);
        cairo_rectangle(cr, sx, cy - bh, bw, bh);
        cairo_set_source(cr, grad);
        cairo_fill(cr);
        cairo_pattern_destroy(grad);
        cairo_set_source_rgba(cr, 0.1, 0.1, 0.1, 1);
        const double lo = r.raster->log ? std::log1p(r.raster->min) : r.raster->min;
        const double hi = r.raster->log ? std::log1p(r.raster->max) : r.raster->max;
        for (const auto& [val, text] : r.raster->legend_stops) {
          const double vv = r.raster->log ? std::log1p(val) : val;
          const double t = hi > lo ? std::clamp((vv - lo) / (hi - lo), 0.0, 1.0) : 0.0;
          cairo_text_extents_t te;
          cairo_text_extents(cr, text.c_str(), &te);
          cairo_move_to(cr, std::clamp(sx + t * bw - te.x_advance / 2, sx, sx + bw - te.x_advance), cy + fs);
          cairo_show_text(cr, text.c_str());
        }
        cy += row_h * 1.2;
        break;
      }
    }
    if (r.kind != LegendRow::Title && r.kind != LegendRow::Ramp) {
      cairo_set_source_rgba(cr, 0.1, 0.1, 0.1, 1);
      cairo_move_to(cr, tx, cy);
      cairo_show_text(cr, r.text.c_str());
    }
    cy += row_h;
  }

  // Scale bar: a round length of at most a quarter of the map width.
  const double len_m = nice_length((w / 4) / v.scale);
  const double len_pt = len_m * v.scale;
  cairo_set_source_rgba(cr, 0.1, 0.1, 0.1, 1);
  cairo_rectangle(cr, sb_x, sb_y - 3 * unit, len_pt / 2, 3 * unit);
  cairo_fill(cr);
  cairo_rectangle(cr, sb_x, sb_y - 3 * unit, len_pt, 3 * unit);
  cairo_set_line_width(cr, 0.6);
  cairo_stroke(cr);
  char sb[64];
  if (len_m >= 1000)
    std::snprintf(sb, sizeof sb, spec.english ? "%g km" : "%g 公里", len_m / 1000);
  else
    std::snprintf(sb, sizeof sb, spec.english ? "%g m" : "%g 米", len_m);
  cairo_move_to(cr, sb_x, sb_y - 5 * unit);
  cairo_show_text(cr, sb);

  // North arrow (the analysis CRS is centred on the area, so grid north is true north at the centre).
  cairo_move_to(cr, na_x, na_y + 4 * unit);
  cairo_line_to(cr, na_x + 7 * unit, na_y + 26 * unit);
  cairo_line_to(cr, na_x, na_y + 20 * unit);
  cairo_line_to(cr, na_x - 7 * unit, na_y + 26 * unit);
  cairo_close_path(cr);
  cairo_fill(cr);
  cairo_text_extents_t te;
  const char* north = spec.english ? "N" : "北";
  cairo_text_extents(cr, north, &te);
  cairo_move_to(cr, na_x - te.x_advance / 2, na_y + 36 * unit);
  cairo_show_text(cr, north);

  // Notes strip under the map: 示意图, sources, 审图号.
  if (!spec.notes.empty()) {
    cairo_rectangle(cr, x, y + h, w, note_h);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
    cairo_move_to(cr, x, y + h);
    cairo_line_to(cr, x + w, y + h);
    cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 1);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    cairo_set_font_size(cr, note_fs);
    double ny = y + h + note_fs * 1.3;
    for (const std::string& n : note_lines) {
      cairo_move_to(cr, x + 6 * unit, ny);
      cairo_show_text(cr, n.c_str());
      out.notes.push_back({n, x + 6 * unit, ny, note_fs});
      ny += note_fs * 1.45;
    }
  }

  cairo_restore(cr);
  // Frame.
  cairo_rectangle(cr, x, y, w, frame_h);
  cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 1);
  cairo_set_line_width(cr, 0.8);
  cairo_stroke(cr);
  return out;
}

int draw_map(cairo_t* cr, double x, double y, double w, double h, const MapSpec& spec) {
  return static_cast<int>(draw_map_layout(cr, x, y, w, h, spec).labels.size());
}

MapLayout write_map(const MapSpec& spec, const std::filesystem::path& out, double width_pt, double height_pt,
                    double dpi) {
  const std::string ext = out.extension().string();
  MapLayout layout;
  auto draw = [&](cairo_surface_t* surface, double scale, bool draw_labels) {
    cairo_t* cr = cairo_create(surface);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double top = 0.0;
    if (!spec.heading.empty()) {  // a heading strip, the map under it
      const double fs = std::clamp(std::min(width_pt, height_pt) / 32.0, 11.0, 26.0);
      select_print_font(cr, spec.font.c_str(), true);
      cairo_set_font_size(cr, fs);
      cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
      cairo_move_to(cr, fs, fs * 1.6);
      cairo_show_text(cr, spec.heading.c_str());
      top = fs * 2.4;
    }
    layout = draw_map_layout(cr, 0, top, width_pt, height_pt - top, spec, draw_labels);
    cairo_destroy(cr);
  };
  if (ext == ".png") {
    const double scale = dpi / 72.0;
    const double px = std::max(0.0, width_pt * scale) * std::max(0.0, height_pt * scale);
    core::require_memory(out.string() + ": the map image is " +
                             core::thousands(static_cast<std::uint64_t>(width_pt * scale)) + " × " +
                             core::thousands(static_cast<std::uint64_t>(height_pt * scale)) + " pixels",
                         static_cast<std::uint64_t>(px * 4), 0.0, "use a lower dpi or a smaller page");
    cairo_surface_t* surface = cairo_image_surface_create(
        CAIRO_FORMAT_ARGB32, static_cast<int>(width_pt * scale), static_cast<int>(height_pt * scale));
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(surface);
      throw std::runtime_error(out.string() + ": cannot create the image");
    }
    draw(surface, scale, true);
    try {
      save_png(surface, out);
    } catch (...) {
      cairo_surface_destroy(surface);
      throw;
    }
    cairo_surface_destroy(surface);
    return layout;
  }
  if (ext != ".svg" && ext != ".pdf")
    throw std::runtime_error(out.string() + ": unknown map format '" + ext + "' (use .png, .svg or .pdf)");
  CairoFile file(out, width_pt, height_pt);
  const bool svg = ext == ".svg";
  draw(file.surface(), 1.0, !svg);
  if (!svg) {
    file.save();
    return layout;
  }
  // SVG: cairo writes glyphs as outlines, so the labels go in as <text> a reader can search,
  // with the same white halo (a stroke painted under the fill). SVG user units are points here.
  std::string svg_text = file.finish();
  std::string labels = "<g font-family=\"" + xml_escape(spec.font) +
                       "\" fill=\"#1a1a1a\" stroke=\"#ffffff\" stroke-opacity=\"0.85\" "
                       "stroke-linejoin=\"round\" paint-order=\"stroke\">\n";
  const double unit = std::max(0.5, std::min(width_pt, height_pt) / 600.0);
  for (const DrawnLabel& l : layout.labels) {
    char head[160];
    std::snprintf(head, sizeof head, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" stroke-width=\"%.2f\">",
                  l.x, l.y, l.size, 2.2 * unit);
    labels += head + xml_escape(l.text) + "</text>\n";
  }
  labels += "</g>\n";
  const std::size_t end = svg_text.rfind("</svg>");
  if (end == std::string::npos) throw std::runtime_error(out.string() + ": cairo wrote no </svg>");
  svg_text.insert(end, labels);
  save_bytes(out, svg_text);
  return layout;
}

void categorize(MapLayer& ml) {
  ml.values.clear();
  ml.fills.clear();
  if (!ml.layer) return;
  const core::Layer& l = *ml.layer;
  const std::size_t n = l.geom.feature_count();
  if (!ml.style.categories.empty()) {
    const int col = core::style_field_column(l, ml.style.category_field);
    if (col < 0) return;
    const core::Column& c = l.attrs.columns[static_cast<std::size_t>(col)];
    ml.fills.assign(n, ml.style.fill);
    for (std::size_t f = 0; f < n && f < c.size(); ++f) {
      const std::string v = c.text(f);
      for (const auto& [value, colour] : ml.style.categories)
        if (value == v) ml.fills[f] = colour;
    }
  } else if (ml.style.choropleth) {
    const int col = core::style_field_column(l, ml.style.choropleth->attribute);
    if (col < 0) {
      ml.style.choropleth.reset();
      return;
    }
    const core::Column& c = l.attrs.columns[static_cast<std::size_t>(col)];
    ml.values.assign(n, NAN);
    for (std::size_t f = 0; f < n && f < c.size(); ++f)
      if (auto v = c.number(f)) ml.values[f] = *v;
    ml.style.choropleth->compute_breaks(ml.values);
  }
}

}  // namespace kepumap::report
