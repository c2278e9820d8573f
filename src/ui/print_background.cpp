#include "ui/print_background.hpp"

#include <algorithm>
#include <cmath>

#include "io/basemap.hpp"
#include "report/background.hpp"

namespace kepumap::ui {

void add_print_backgrounds(report::MapSpec& spec, const core::Document& doc,
                           const std::vector<core::BasemapSpec>& basemaps, bool quiet,
                           const core::Style& style, double width_pt, double height_pt, double dpi,
                           std::vector<std::string>& warnings, const std::atomic<bool>* cancel) {
  if (doc.analysis_crs.empty() || spec.extent.empty()) return;
  const core::BBox cover = report::print_cover_extent(spec, width_pt, height_pt);
  // print pixels over the cover box, at most 4096 on the long side
  const double scale = dpi / 72.0 * 1.3;
  double w = width_pt * scale, h = height_pt * scale;
  const double aspect = cover.width() / cover.height();
  if (aspect > w / h)
    h = w / aspect;
  else
    w = h * aspect;
  const double shrink = std::min(1.0, 4096.0 / std::max(w, h));
  const int wpx = std::max(1, static_cast<int>(std::lround(w * shrink)));
  const int hpx = std::max(1, static_cast<int>(std::lround(h * shrink)));
  if (quiet) {
    io::BackgroundLayers layers;
    std::string error;
    if (!io::load_background(io::default_background_file(), doc.analysis_crs, layers, error)) {
      warnings.push_back(error);
    } else {
      report::MapBackground bg;
      bg.image = report::render_quiet_background({&layers.lakes, &layers.rivers, &layers.borders}, style,
                                                 cover, wpx, hpx, std::max(1.0, wpx / 1500.0));
      bg.attribution = layers.attribution;
      report::add_background(spec, std::move(bg));
    }
  }
  io::BasemapOptions opts;
  opts.allow_network_files = doc.config.limits.allow_network_sources;
  for (const auto& b : basemaps) {
    if (!b.visible || b.opacity <= 0) continue;
    auto opened = io::open_basemap(b, doc.config.file, opts);
    if (!opened.handle) {
      warnings.push_back(opened.error);
      continue;
    }
    auto r = io::render_basemap(*opened.handle, cover, doc.analysis_crs, wpx, hpx, cancel);
    if (!r.error.empty()) {
      warnings.push_back(r.error);
      continue;
    }
    if (r.cancelled) return;
    report::MapBackground bg;
    bg.image = std::move(r.image);
    bg.opacity = static_cast<float>(b.opacity);
    bg.attribution = io::basemap_attribution(b);
    report::add_background(spec, std::move(bg));
  }
}

}  // namespace kepumap::ui
