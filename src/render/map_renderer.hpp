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

 private:
  struct Gpu;
  std::unique_ptr<Gpu> m;
  struct GpuLayer;
  std::vector<std::unique_ptr<GpuLayer>> m_layers;
  core::Vec2 m_origin;
  Selection m_uploaded_sel;
  void upload_selection(const Selection& sel);
};

/// Reads the current framebuffer (RGBA, top row first) of size w x h.
std::vector<std::uint8_t> read_framebuffer(int w, int h);

}  // namespace kepumap::render
