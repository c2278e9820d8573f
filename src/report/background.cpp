#include "report/background.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>

#include "core/resources.hpp"

namespace kepumap::report {

namespace {

/// World (analysis CRS metres) to image pixels for an image covering `e` edge to edge.
struct PixelFrame {
  double sx, sy, min_x, max_y;
  PixelFrame(const core::BBox& e, int w, int h)
      : sx(w / (e.max_x - e.min_x)), sy(h / (e.max_y - e.min_y)), min_x(e.min_x), max_y(e.max_y) {}
};

void trace(cairo_t* cr, const PixelFrame& f, const core::Geometries& g, core::FeatureId id, bool close) {
  for (std::uint32_t p = g.parts_begin(id); p < g.parts_end(id); ++p)
    for (std::uint32_t r = g.rings_begin(p); r < g.rings_end(p); ++r) {
      bool first = true;
      for (const core::Vec2& q : g.ring(r)) {
        const double x = (q.x - f.min_x) * f.sx, y = (f.max_y - q.y) * f.sy;
        if (first)
          cairo_move_to(cr, x, y);
        else
          cairo_line_to(cr, x, y);
        first = false;
      }
      if (close && !first) cairo_close_path(cr);
    }
}

void rgba(cairo_t* cr, core::Rgba c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

/// True when feature `id` of `g` may touch `e` (its bounds overlap), so far-off features cost nothing.
bool near(const core::Geometries& g, core::FeatureId id, const core::BBox& e) {
  core::BBox b;
  for (std::uint32_t p = g.parts_begin(id); p < g.parts_end(id); ++p)
    for (std::uint32_t r = g.rings_begin(p); r < g.rings_end(p); ++r)
      for (const core::Vec2& q : g.ring(r)) b.add(q);
  return !b.empty() && b.min_x <= e.max_x && b.max_x >= e.min_x && b.min_y <= e.max_y && b.max_y >= e.min_y;
}

}  // namespace

core::ImageRgba render_quiet_background(const QuietLayers& layers, const core::Style& style,
                                        const core::BBox& extent, int width_px, int height_px,
                                        double px_scale) {
  core::ImageRgba out;
  out.extent = extent;
  if (width_px <= 0 || height_px <= 0 || extent.empty() || !(extent.max_x > extent.min_x) ||
      !(extent.max_y > extent.min_y))
    return out;
  core::require_memory("the background image is " + core::thousands(static_cast<std::uint64_t>(width_px)) +
                           " × " + core::thousands(static_cast<std::uint64_t>(height_px)) + " pixels",
                       static_cast<std::uint64_t>(width_px) * static_cast<std::uint64_t>(height_px) * 8, 0.0,
                       "use a smaller image");
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width_px, height_px);
  cairo_t* cr = cairo_create(surface);
  const PixelFrame f(extent, width_px, height_px);
  const auto& q = style.quiet;
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  if (layers.lakes) {
    const auto& g = layers.lakes->geom;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (core::FeatureId id = 0; id < g.feature_count(); ++id) {
      if (!near(g, id, extent)) continue;
      trace(cr, f, g, id, true);
      rgba(cr, q.water);
      cairo_fill_preserve(cr);
      rgba(cr, q.water_line);
      cairo_set_line_width(cr, 0.8 * px_scale);
      cairo_stroke(cr);
    }
  }
  auto lines = [&](const core::Layer* l, core::Rgba c, double width) {
    if (!l || width <= 0) return;
    const auto& g = l->geom;
    for (core::FeatureId id = 0; id < g.feature_count(); ++id)
      if (near(g, id, extent)) trace(cr, f, g, id, false);
    rgba(cr, c);
    cairo_set_line_width(cr, width * px_scale);
    cairo_stroke(cr);
  };
  lines(layers.rivers, q.river, q.river_width_px);
  lines(layers.borders, q.border, q.border_width_px);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  // premultiplied ARGB32 (native endian) to straight RGBA bytes
  out.width = width_px;
  out.height = height_px;
  out.pixels.resize(static_cast<std::size_t>(width_px) * static_cast<std::size_t>(height_px) * 4);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  for (int y = 0; y < height_px; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
    for (int x = 0; x < width_px; ++x) {
      const std::uint32_t v = row[x];
      const std::uint32_t a = v >> 24;
      auto un = [&](std::uint32_t c) {
        return static_cast<std::uint8_t>(a == 0 ? 0 : std::min<std::uint32_t>(255, (c * 255 + a / 2) / a));
      };
      std::uint8_t* p =
          out.pixels.data() +
          (static_cast<std::size_t>(y) * static_cast<std::size_t>(width_px) + static_cast<std::size_t>(x)) *
              4;
      p[0] = un((v >> 16) & 0xff);
      p[1] = un((v >> 8) & 0xff);
      p[2] = un(v & 0xff);
      p[3] = static_cast<std::uint8_t>(a);
    }
  }
  cairo_surface_destroy(surface);
  return out;
}

core::BBox print_cover_extent(const MapSpec& spec, double width_pt, double height_pt) {
  const core::BBox& e = spec.extent;
  if (e.empty() || width_pt <= 0 || height_pt <= 0) return e;
  const double ew = std::max(e.max_x - e.min_x, 1.0), eh = std::max(e.max_y - e.min_y, 1.0);
  // the page's shape around the extent's centre, then a margin for a legend beside the map
  double w = ew, h = eh;
  if (width_pt / height_pt > ew / eh)
    w = eh * width_pt / height_pt;
  else
    h = ew * height_pt / width_pt;
  w *= 1.3;
  h *= 1.3;
  const double cx = (e.min_x + e.max_x) / 2, cy = (e.min_y + e.max_y) / 2;
  core::BBox out;
  out.add(core::Vec2{cx - w / 2, cy - h / 2});
  out.add(core::Vec2{cx + w / 2, cy + h / 2});
  return out;
}

void add_background(MapSpec& spec, MapBackground bg) {
  if (!bg.attribution.empty()) {
    const std::string zh = "数据来源：", en = "Data sources: ";
    auto it = std::find_if(spec.notes.begin(), spec.notes.end(),
                           [&](const std::string& n) { return n.rfind(zh, 0) == 0 || n.rfind(en, 0) == 0; });
    if (it != spec.notes.end()) {
      if (it->find(bg.attribution) == std::string::npos) *it += (spec.english ? "; " : "；") + bg.attribution;
    } else {
      spec.notes.push_back((spec.english ? en : zh) + bg.attribution);
    }
  }
  spec.backgrounds.push_back(std::move(bg));
}

}  // namespace kepumap::report
