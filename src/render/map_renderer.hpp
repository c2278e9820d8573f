#pragma once
// OpenGL 3.3 drawing of a document's layers: filled polygons (triangulated once on load),
// outlines and styled lines as screen-space quads, point symbols, rasters through a ramp.
// Needs a current GL context with glad loaded.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/style.hpp"
#include "render/triangulate.hpp"
#include "render/view.hpp"

namespace kepumap::render {

/// How the layers panel shows a layer.
struct LayerVisibility {
  bool visible = true;
  float opacity = 1.0f;  ///< 0..1, times the style's opacity
};

/// A selected feature to highlight (layer index into the renderer's layers).
struct Selection {
  std::size_t layer = SIZE_MAX;
  std::size_t feature = SIZE_MAX;
  bool valid() const { return layer != SIZE_MAX && feature != SIZE_MAX; }
};

/// One piece of drawing work: a range of one layer's geometry at one level of detail. A whole
/// frame is a list of steps (MapRenderer::plan), so a render can be spread over several frames.
struct DrawStep {
  enum class Part : std::uint8_t { Raster, Fill, Outline, Line, Points };
  std::size_t layer = 0;
  Part part = Part::Fill;
  int lod = -1;             ///< level of detail (-1 = full detail)
  std::uint32_t first = 0;  ///< first index (fills), segment (outlines, lines) or point
  std::uint32_t count = 0;
  double cost = 0;  ///< estimated work: vertices and instances, a raster's texels / 64
};

class MapRenderer {
 public:
  MapRenderer();
  ~MapRenderer();
  MapRenderer(const MapRenderer&) = delete;
  MapRenderer& operator=(const MapRenderer&) = delete;

  /// Compiles the shaders. False with a message when the GL context cannot run them.
  bool init(std::string& error);
  /// Coordinates are uploaded relative to this point (metres in the analysis CRS) so that
  /// single-precision vertices keep centimetre precision. Call before adding layers.
  void set_origin(core::Vec2 origin) { m_origin = origin; }
  /// Uploads a layer (triangulating polygons) as layer number layer_count(); returns it.
  std::size_t add_layer(const core::Layer& layer, const core::LayerStyle& style);
  /// Re-applies a style (colours, widths, symbols) to an uploaded layer.
  void restyle(std::size_t i, const core::Layer& layer, const core::LayerStyle& style);
  /// Drops every layer.
  void clear();
  std::size_t layer_count() const { return m_layers.size(); }
  /// The triangles of layer i (indices into its Geometries coords).
  const LayerTriangles& triangles(std::size_t i) const;

  /// Draws layers in `order` (bottom first) into the current framebuffer's viewport `view`.
  /// `vis` is indexed by layer number.
  void draw(const View& view, const std::vector<std::size_t>& order, const std::vector<LayerVisibility>& vis,
            const Selection& sel, core::Rgba highlight);

  /// The steps that draw the visible layers in `order` for `view`, none larger than `max_chunk`
  /// elements (the steps' order is the drawing order).
  std::vector<DrawStep> plan(const View& view, const std::vector<std::size_t>& order,
                             const std::vector<LayerVisibility>& vis,
                             std::uint32_t max_chunk = 1u << 15) const;
  /// Sets the GL state for drawing steps into the current framebuffer for `view`.
  void begin(const View& view);
  /// Draws one step of plan(view, ...); begin(view) first.
  void draw_step(const View& view, const DrawStep& s, const std::vector<LayerVisibility>& vis);
  /// The selected feature, highlighted (on top of everything; begin(view) first).
  void draw_selection(const View& view, const Selection& sel, core::Rgba highlight);
  /// Several selected features of one layer (`features` ascending), highlighted the same way.
  void draw_selection(const View& view, std::size_t layer, const std::vector<std::size_t>& features,
                      core::Rgba highlight);
  /// Counts every change to what the layers look like (add, restyle, clear).
  std::uint64_t generation() const { return m_generation; }

 private:
  struct Gpu;
  std::unique_ptr<Gpu> m;
  struct GpuLayer;
  std::vector<std::unique_ptr<GpuLayer>> m_layers;
  core::Vec2 m_origin;
  // the highlight's outline segments as uploaded: for which layer and features
  std::size_t m_uploaded_layer = SIZE_MAX;
  std::vector<std::size_t> m_uploaded_features;
  std::uint64_t m_generation = 0;
  void upload_selection(std::size_t layer, const std::vector<std::size_t>& features);
};

/// Reads the current framebuffer (RGBA, top row first) of size w x h.
std::vector<std::uint8_t> read_framebuffer(int w, int h);

}  // namespace kepumap::render
