#include "ui/ui_layer.hpp"

#include <algorithm>
#include <cmath>
#include <set>

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

core::LayerStyle layer_style(const core::LayerStyle& role, const core::LayerStyleSpec& spec,
                             const core::Layer& layer) {
  core::LayerStyle st = role;
  if (!spec.given()) return st;
  if (auto c = core::parse_colour(spec.fill)) st.fill = *c;
  if (auto c = core::parse_colour(spec.line)) st.line = *c;
  if (spec.width >= 0) st.line_width_px = static_cast<float>(spec.width);
  if (auto sym = core::symbol_from_name(spec.symbol)) st.symbol = *sym;
  if (spec.size > 0) st.symbol_size_px = static_cast<float>(spec.size);
  if (spec.opacity >= 0) st.opacity = static_cast<float>(spec.opacity);
  if (spec.labels >= 0) st.labels = spec.labels == 1;
  st.label_field = spec.label_field;
  st.categories.clear();
  st.category_field.clear();
  if (spec.kind == "graduated") {
    core::Choropleth ch;
    ch.attribute = spec.field;
    ch.method = spec.method.empty() ? "quantile" : spec.method;
    ch.classes = spec.classes > 0 ? spec.classes : 5;
    if (role.choropleth && !role.choropleth->ramp.empty())
      ch.ramp = role.choropleth->ramp;
    else
      ch.ramp = {*core::parse_colour("#ffffcc"), *core::parse_colour("#fd8d3c"),
                 *core::parse_colour("#bd0026")};
    st.choropleth = std::move(ch);
  } else {
    st.choropleth.reset();
  }
  if (spec.kind == "categories") {
    st.category_field = spec.field;
    const int col = render::style_column(layer, spec.field);
    if (col >= 0) {
      const core::Column& c = layer.attrs.columns[static_cast<std::size_t>(col)];
      std::set<std::string> values;
      for (std::size_t f = 0; f < c.size(); ++f)
        if (std::string v = c.text(f); !v.empty()) values.insert(std::move(v));
      std::size_t i = 0;
      for (const auto& v : values) {
        if (i == k_max_categories) break;
        st.categories.emplace_back(v, core::category_colour(i++));
      }
    }
  }
  return st;
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
      s.method = style.choropleth->method == "equal" ? "equal" : "quantile";
      s.classes = style.choropleth->classes;
    }
  }
  if (s.kind == "single") {
    s.field.clear();
    s.method.clear();
    s.classes = 0;
  } else if (s.kind == "categories") {
    s.method.clear();
    s.classes = 0;
  } else {
    if (s.method.empty()) s.method = "quantile";
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
