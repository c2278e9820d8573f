#pragma once
// Linking the GLSL programs of shaders/ (embedded). Needs a current GL context.
#include <string>
#include <string_view>

namespace kepumap::render {

/// Compiles and links shaders/<vs> and shaders/<fs>; 0 with `error` set when that fails.
unsigned link_program(std::string_view vs, std::string_view fs, std::string& error);

/// One image quad: 4 vertices of (x, y) in clip space and (u, v), drawn as a triangle strip;
/// attribute 0 is the position, 1 the texture coordinate (shaders canvas.vert, basemap.vert).
class ImageQuad {
 public:
  ImageQuad() = default;
  ~ImageQuad() { release(); }
  ImageQuad(const ImageQuad&) = delete;
  ImageQuad& operator=(const ImageQuad&) = delete;
  /// Makes the vertex array (once).
  void init();
  /// Frees it (with the GL context still current).
  void release();
  /// Draws the strip bottom-left, bottom-right, top-left, top-right with the bound program.
  void draw(const float xyuv[16]) const;

 private:
  unsigned m_vao = 0, m_vbo = 0;
};

}  // namespace kepumap::render
