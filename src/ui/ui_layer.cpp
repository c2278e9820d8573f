#include "ui/ui_layer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "render/symbology.hpp"

namespace kepumap::ui {

core::Vec2 interior_point(const core::Geometries& g, std::uint32_t part) {
  // centroid of the exterior ring
  auto outer = g.ring(g.rings_begin(part));
  double a = 0, cx = 0, cy = 0;
  for (std::size_t i = 0; i + 1 < outer.size(); ++i) {
    double c = outer[i].x * outer[i + 1].y - outer[i + 1].x * outer[i].y;
    a += c;
    cx += (outer[i].x + outer[i + 1].x) * c;
    cy += (outer[i].y + outer[i + 1].y) * c;
  }
  core::BBox b;
  for (auto p : outer) b.add(p);
  double y = a != 0 ? cy / (3 * a) : b.center().y;
  if (!(y > b.min_y && y < b.max_y)) y = b.center().y;
  std::vector<double> xs;
  for (auto r = g.rings_begin(part); r < g.rings_end(part); ++r) {
    auto ring = g.ring(r);
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      core::Vec2 p = ring[i], q = ring[i + 1];
      if ((p.y <= y) != (q.y <= y)) xs.push_back(p.x + (y - p.y) * (q.x - p.x) / (q.y - p.y));
    }
  }
  std::sort(xs.begin(), xs.end());
  double best = -1, bx = a != 0 ? cx / (3 * a) : b.center().x;
  for (std::size_t i = 0; i + 1 < xs.size(); i += 2)
    if (xs[i + 1] - xs[i] > best) {
      best = xs[i + 1] - xs[i];
      bx = (xs[i] + xs[i + 1]) / 2;
    }
  return {bx, y};
}

void compute_layer_cache(const core::Layer& layer, LayerUi& ui) {
  const core::Geometries& g = layer.geom;
  std::size_t n = layer.is_raster ? 0 : g.feature_count();
  ui.bbox.resize(n);
  ui.anchor.resize(n);
  ui.weight.assign(n, 0.0);
  ui.names.resize(n);
  // the labels show the style's label field when it names a column, else the mapped name
  const int label_col = ui.style.label_field.empty() ? -1 : render::style_column(layer, ui.style.label_field);
  for (std::size_t f = 0; f < n; ++f) {
    auto fid = static_cast<core::FeatureId>(f);
    ui.bbox[f] = g.feature_bbox(fid);
    const core::Column* lc =
        label_col >= 0 ? &layer.attrs.columns[static_cast<std::size_t>(label_col)] : nullptr;
    ui.names[f] = lc ? (f < lc->size() ? lc->text(f) : std::string()) : render::feature_name(layer, f);
    if (!g.has_geometry(fid)) continue;
    if (g.kind == core::GeomKind::Polygon) {
      // label in the largest part
      double best = -1;
      for (auto part = g.parts_begin(fid); part < g.parts_end(fid); ++part) {
        double a = std::abs(core::ring_signed_area(g.ring(g.rings_begin(part))));
        if (a > best) {
          best = a;
          ui.anchor[f] = interior_point(g, part);
        }
      }
      if (f < layer.seats.size()) ui.anchor[f] = layer.seats[f];  // units: at their seat, inside them
      ui.weight[f] = core::feature_area(g, fid);
    } else if (g.kind == core::GeomKind::Line) {
      // middle vertex of the first part
      auto ring = g.ring(g.rings_begin(g.parts_begin(fid)));
      ui.anchor[f] = ring[ring.size() / 2];
      ui.weight[f] = core::feature_length(g, fid);
    } else {
      ui.anchor[f] = g.first_point(fid);
    }
  }
}

bool parse_breaks(const std::string& text, std::vector<double>& out) {
  std::string t = text;
  for (const char* sep : {"，", "、", "；"})  // the Chinese separators as spaces
    for (std::size_t p = t.find(sep); p != std::string::npos; p = t.find(sep)) t.replace(p, 3, " ");
  for (char& c : t)
    if (c == ',' || c == ';' || c == '\t') c = ' ';
  std::vector<double> b;
  const char* p = t.c_str();
  while (*p) {
    if (*p == ' ') {
      ++p;
      continue;
    }
    char* end = nullptr;
    const double v = std::strtod(p, &end);
    if (end == p || !std::isfinite(v) || (*end != ' ' && *end != 0)) return false;
    if (!b.empty() && v <= b.back()) return false;
    b.push_back(v);
    p = end;
  }
  if (b.empty() || b.size() > 8) return false;
  out = std::move(b);
  return true;
}

std::string breaks_text(const std::vector<double>& breaks) {
  std::string s;
  for (double b : breaks) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", b);
    s += (s.empty() ? "" : ", ") + std::string(buf);
  }
  return s;
}

void set_category_colour(core::LayerStyleSpec& spec, const std::string& value, const std::string& hex) {
  auto& cc = spec.category_colors;
  auto it = std::lower_bound(cc.begin(), cc.end(), value,
                             [](const auto& p, const std::string& v) { return p.first < v; });
  if (it != cc.end() && it->first == value)
    it->second = hex;
  else
    cc.insert(it, {value, hex});
}

std::string short_hex(core::Rgba c) {
  std::string h = core::colour_hex(c);
  if (h.size() == 9 && h.substr(7) == "ff") h.resize(7);
  return h;
}

core::LayerStyleSpec capture_style(const core::LayerStyle& style, const core::LayerStyleSpec& choice) {
  core::LayerStyleSpec s = choice;
  if (s.kind.empty()) {
    s.kind = style.choropleth ? "graduated" : "single";
    if (style.choropleth) {
      s.field = style.choropleth->attribute;
      s.method = style.choropleth->method;
      if (s.method == "manual") s.breaks = style.choropleth->breaks;
      s.classes = style.choropleth->classes;
    }
  }
  if (s.kind != "graduated") {
    s.method.clear();
    s.classes = 0;
    s.breaks.clear();
    s.ramp.clear();
  }
  if (s.kind != "categories") s.category_colors.clear();
  if (s.kind == "single") {
    s.field.clear();
  } else if (s.kind == "graduated") {
    if (s.method != "equal" && s.method != "manual") s.method = "quantile";
    if (s.method == "manual" && s.breaks.empty()) s.method = "quantile";
    if (s.method == "manual")
      s.classes = static_cast<int>(s.breaks.size()) + 1;
    else
      s.breaks.clear();
    if (s.classes <= 0) s.classes = 5;
  }
  s.fill = short_hex(style.fill);
  s.line = short_hex(style.line);
  s.width = std::round(static_cast<double>(style.line_width_px) * 100) / 100;
  s.symbol = std::string(core::symbol_name(style.symbol));
  s.size = std::round(static_cast<double>(style.symbol_size_px) * 100) / 100;
  s.opacity = std::round(static_cast<double>(style.opacity) * 100) / 100;
  s.labels = style.labels ? 1 : 0;
  return s;
}

double distance_to_feature(const core::Geometries& g, std::size_t f, core::Vec2 p) {
  double best = INFINITY;
  auto fid = static_cast<core::FeatureId>(f);
  for (auto part = g.parts_begin(fid); part < g.parts_end(fid); ++part)
    for (auto r = g.rings_begin(part); r < g.rings_end(part); ++r) {
      auto ring = g.ring(r);
      if (ring.size() == 1) best = std::min(best, std::hypot(ring[0].x - p.x, ring[0].y - p.y));
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        core::Vec2 a = ring[i], b = ring[i + 1];
        double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
        double t = l2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / l2, 0.0, 1.0) : 0.0;
        best = std::min(best, std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y));
      }
    }
  return best;
}

}  // namespace kepumap::ui
