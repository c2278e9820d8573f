#include "render/map_renderer.hpp"

#include <glad/gl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "render/gl_program.hpp"
#include "render/symbology.hpp"

namespace kepumap::render {

namespace {

struct Rgba8 {
  std::uint8_t r, g, b, a;
};
Rgba8 to8(core::Rgba c) {
  auto q = [](float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  return {q(c.r), q(c.g), q(c.b), q(c.a)};
}

/// One wide-line segment, drawn as an instanced quad.
struct Segment {
  float p0[2];
  float p1[2];
  Rgba8 colour;
  float width;  // pixels; < 0: the uniform width
  float dist0;  // metres along the line at p0
};
static_assert(sizeof(Segment) == 28);

struct PointVertex {
  float p[2];
  Rgba8 colour;
};

GLint loc(GLuint prog, const char* name) { return glGetUniformLocation(prog, name); }

/// Generations unique across renderers (a project opened again gets a new renderer whose
/// layers must not look like the old one's to the canvas).
std::uint64_t next_generation() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

}  // namespace

struct MapRenderer::Gpu {
  GLuint fill = 0, line = 0, point = 0, raster = 0;
  GLuint corner_vbo = 0;
  // selection highlight buffers
  GLuint sel_seg_vao = 0, sel_seg_vbo = 0;
  GLsizei sel_seg_count = 0;
};

struct MapRenderer::GpuLayer {
  core::GeomKind kind = core::GeomKind::None;
  bool raster = false;
  core::LayerStyle style;
  LayerTriangles tris;
  double fill_area = 0;  ///< the triangles' area, square metres (what a fill costs in pixels)
  // polygons
  GLuint fill_vao = 0, pos_vbo = 0, col_vbo = 0, ebo = 0;
  // outlines and lines
  GLuint seg_vao = 0, seg_vbo = 0;
  std::vector<Segment> segs;
  std::vector<std::uint32_t> feature_seg_first;
  /// Coarser copies of the segments for zoomed-out views: vertices closer than `tol` metres to
  /// the previous kept one are dropped (drawn when tol is under a pixel).
  struct SegLod {
    double tol = 0;
    std::vector<Segment> segs;
    std::vector<std::uint32_t> feature_first;
    GLuint vao = 0, vbo = 0;
  };
  std::vector<SegLod> lods;
  /// Coarser fills for zoomed-out views: rings decimated like the segments, re-triangulated.
  struct FillLod {
    double tol = 0;
    core::Geometries geom;
    GLuint vao = 0, pos = 0, col = 0, ebo = 0;
    GLsizei count = 0;
  };
  std::vector<FillLod> fill_lods;
  // points
  GLuint pt_vao = 0, pt_vbo = 0;
  std::vector<PointVertex> pts;
  std::vector<std::uint32_t> feature_pt_first;
  // raster
  GLuint tex = 0, ramp_tex = 0, quad_vao = 0, quad_vbo = 0;
  float vmin = 0, vmax = 1;

  ~GpuLayer() {
    GLuint vaos[] = {fill_vao, seg_vao, pt_vao, quad_vao};
    GLuint bufs[] = {pos_vbo, col_vbo, ebo, seg_vbo, pt_vbo, quad_vbo};
    GLuint texs[] = {tex, ramp_tex};
    glDeleteVertexArrays(4, vaos);
    glDeleteBuffers(6, bufs);
    glDeleteTextures(2, texs);
    for (auto& l : lods) {
      glDeleteVertexArrays(1, &l.vao);
      glDeleteBuffers(1, &l.vbo);
    }
    for (auto& l : fill_lods) {
      GLuint b[] = {l.pos, l.col, l.ebo};
      glDeleteVertexArrays(1, &l.vao);
      glDeleteBuffers(3, b);
    }
  }
};

namespace {

void setup_segment_vao(GLuint vao, GLuint vbo, GLuint corner_vbo) {
  glBindVertexArray(vao);
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  auto stride = static_cast<GLsizei>(sizeof(Segment));
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(Segment, p0)));
  glVertexAttribDivisor(0, 1);
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(Segment, p1)));
  glVertexAttribDivisor(1, 1);
  glEnableVertexAttribArray(3);
  glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        reinterpret_cast<void*>(offsetof(Segment, colour)));
  glVertexAttribDivisor(3, 1);
  glEnableVertexAttribArray(4);
  glVertexAttribPointer(4, 1, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(Segment, width)));
  glVertexAttribDivisor(4, 1);
  glEnableVertexAttribArray(5);
  glVertexAttribPointer(5, 1, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(Segment, dist0)));
  glVertexAttribDivisor(5, 1);
  glBindBuffer(GL_ARRAY_BUFFER, corner_vbo);
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
  glVertexAttribDivisor(2, 0);
  glBindVertexArray(0);
}

/// The vertices of `ring` with those closer than `tol` to the previous kept one dropped (the
/// first and last always kept), into `kept`.
void thin_ring(std::span<const core::Vec2> ring, double tol, std::vector<core::Vec2>& kept) {
  kept.clear();
  for (std::size_t i = 0; i < ring.size(); ++i)
    if (i == 0 || i + 1 == ring.size() ||
        std::hypot(ring[i].x - kept.back().x, ring[i].y - kept.back().y) >= tol)
      kept.push_back(ring[i]);
}

/// The polygons of g with ring vertices closer than `tol` to the previous kept one dropped;
/// rings left with under 3 distinct points are dropped (a part whose exterior goes, entirely).
core::Geometries decimate(const core::Geometries& g, double tol) {
  core::Geometries out;
  out.kind = g.kind;
  std::vector<core::Vec2> kept;
  for (std::size_t f = 0; f < g.feature_count(); ++f) {
    auto fid = static_cast<core::FeatureId>(f);
    for (auto part = g.parts_begin(fid); part < g.parts_end(fid); ++part) {
      bool any = false;
      for (auto r = g.rings_begin(part); r < g.rings_end(part); ++r) {
        thin_ring(g.ring(r), tol, kept);
        if (kept.size() < 4) {
          if (r == g.rings_begin(part)) break;
          continue;
        }
        out.add_ring(kept);
        any = true;
      }
      if (any) out.end_part();
    }
    out.end_feature();
  }
  return out;
}

/// Uploads positions and triangle indices of polygons into a fresh VAO (colours filled later).
void upload_fill(const core::Geometries& g, const std::vector<std::uint32_t>& indices, core::Vec2 origin,
                 GLuint& vao, GLuint& pos_vbo, GLuint& col_vbo, GLuint& ebo) {
  std::vector<float> pos(g.coords.size() * 2);
  for (std::size_t i = 0; i < g.coords.size(); ++i) {
    pos[2 * i] = static_cast<float>(g.coords[i].x - origin.x);
    pos[2 * i + 1] = static_cast<float>(g.coords[i].y - origin.y);
  }
  glGenVertexArrays(1, &vao);
  glGenBuffers(1, &pos_vbo);
  glGenBuffers(1, &col_vbo);
  glGenBuffers(1, &ebo);
  glBindVertexArray(vao);
  glBindBuffer(GL_ARRAY_BUFFER, pos_vbo);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(pos.size() * sizeof(float)), pos.data(),
               GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
  glBindBuffer(GL_ARRAY_BUFFER, col_vbo);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(g.coords.size() * 4), nullptr, GL_DYNAMIC_DRAW);
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, nullptr);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo);
  glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(indices.size() * 4), indices.data(),
               GL_STATIC_DRAW);
  glBindVertexArray(0);
}

/// Per-vertex colours: every vertex of feature f gets fills[f].
void colour_fill(const core::Geometries& g, const std::vector<core::Rgba>& fills, core::Rgba plain,
                 GLuint col_vbo) {
  std::vector<Rgba8> cols(g.coords.size(), to8(plain));
  for (std::size_t f = 0; f < g.feature_count() && f < fills.size(); ++f) {
    Rgba8 c = to8(fills[f]);
    auto pb = g.parts_begin(static_cast<core::FeatureId>(f)),
         pe = g.parts_end(static_cast<core::FeatureId>(f));
    if (pb == pe) continue;
    auto c0 = g.ring_coords[g.rings_begin(pb)], c1 = g.ring_coords[g.rings_end(pe - 1)];
    std::fill(cols.begin() + c0, cols.begin() + c1, c);
  }
  glBindBuffer(GL_ARRAY_BUFFER, col_vbo);
  glBufferSubData(GL_ARRAY_BUFFER, 0, static_cast<GLsizeiptr>(cols.size() * 4), cols.data());
}

}  // namespace

MapRenderer::MapRenderer() : m(std::make_unique<Gpu>()) {}

MapRenderer::~MapRenderer() {
  m_layers.clear();
  if (m->fill) {
    glDeleteProgram(m->fill);
    glDeleteProgram(m->line);
    glDeleteProgram(m->point);
    glDeleteProgram(m->raster);
    glDeleteBuffers(1, &m->corner_vbo);
    glDeleteBuffers(1, &m->sel_seg_vbo);
    glDeleteVertexArrays(1, &m->sel_seg_vao);
  }
}

bool MapRenderer::init(std::string& error) {
  m->fill = link_program("fill.vert", "fill.frag", error);
  if (!m->fill) return false;
  m->line = link_program("line.vert", "line.frag", error);
  if (!m->line) return false;
  m->point = link_program("point.vert", "point.frag", error);
  if (!m->point) return false;
  m->raster = link_program("raster.vert", "raster.frag", error);
  if (!m->raster) return false;
  const float corners[12] = {0, -1, 1, -1, 1, 1, 0, -1, 1, 1, 0, 1};
  glGenBuffers(1, &m->corner_vbo);
  glBindBuffer(GL_ARRAY_BUFFER, m->corner_vbo);
  glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
  glGenVertexArrays(1, &m->sel_seg_vao);
  glGenBuffers(1, &m->sel_seg_vbo);
  setup_segment_vao(m->sel_seg_vao, m->sel_seg_vbo, m->corner_vbo);
  return true;
}

void MapRenderer::clear() {
  m_layers.clear();
  m_uploaded_layer = SIZE_MAX;
  m->sel_seg_count = 0;
  m_generation = next_generation();
}

const LayerTriangles& MapRenderer::triangles(std::size_t i) const { return m_layers.at(i)->tris; }

std::size_t MapRenderer::add_layer(const core::Layer& layer, const core::LayerStyle& style) {
  m_generation = next_generation();
  auto L = std::make_unique<GpuLayer>();
  L->kind = layer.geom.kind;
  L->raster = layer.is_raster;
  L->style = style;
  const core::Geometries& g = layer.geom;
  auto rel = [&](core::Vec2 p) {
    return std::array<float, 2>{static_cast<float>(p.x - m_origin.x), static_cast<float>(p.y - m_origin.y)};
  };
  if (layer.is_raster) {
    const core::GridF& r = layer.raster;
    GLint max_tex = 4096;
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_tex);
    int step = 1;
    while (r.width / step > max_tex || r.height / step > max_tex) ++step;
    int w = std::max(1, r.width / step), h = std::max(1, r.height / step);
    std::vector<float> vals(static_cast<std::size_t>(w) * h, NAN);
    std::vector<float> finite;
    for (int row = 0; row < h; ++row)
      for (int col = 0; col < w; ++col) {
        float v = r.at(col * step, row * step);
        if (v == r.nodata || std::isnan(v)) continue;
        vals[static_cast<std::size_t>(row) * w + col] = v;
        if (v > 0) finite.push_back(v);
      }
    L->vmin = 0;
    if (!finite.empty()) {
      auto k = static_cast<std::size_t>(0.99 * static_cast<double>(finite.size() - 1));
      std::nth_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(k), finite.end());
      L->vmax = std::max(finite[k], 1e-6f);
    }
    glGenTextures(1, &L->tex);
    glBindTexture(GL_TEXTURE_2D, L->tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, w, h, 0, GL_RED, GL_FLOAT, vals.data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    core::BBox e = r.extent();
    auto a = rel({e.min_x, e.max_y});
    auto b = rel({e.max_x, e.min_y});
    const float quad[24] = {a[0], a[1], 0, 0, b[0], a[1], 1, 0, b[0], b[1], 1, 1,
                            a[0], a[1], 0, 0, b[0], b[1], 1, 1, a[0], b[1], 0, 1};
    glGenVertexArrays(1, &L->quad_vao);
    glGenBuffers(1, &L->quad_vbo);
    glBindVertexArray(L->quad_vao);
    glBindBuffer(GL_ARRAY_BUFFER, L->quad_vbo);
    glBufferData(GL_ARRAY_BUFFER, sizeof quad, quad, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 16, nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 16, reinterpret_cast<void*>(8));
    glBindVertexArray(0);
    glGenTextures(1, &L->ramp_tex);
  } else if (g.kind == core::GeomKind::Polygon) {
    L->tris = triangulate_layer(g);
    L->fill_area = triangles_area(g.coords, L->tris.indices);
    upload_fill(g, L->tris.indices, m_origin, L->fill_vao, L->pos_vbo, L->col_vbo, L->ebo);
    std::size_t prev = g.coords.size();
    for (double tol = 60.0; tol < 1e6; tol *= 3) {
      GpuLayer::FillLod lod;
      lod.tol = tol;
      lod.geom = decimate(g, tol);
      if (lod.geom.coords.size() * 10 > prev * 8) continue;  // under 20 % fewer vertices: not worth it
      prev = lod.geom.coords.size();
      auto t = triangulate_layer(lod.geom);
      lod.count = static_cast<GLsizei>(t.indices.size());
      upload_fill(lod.geom, t.indices, m_origin, lod.vao, lod.pos, lod.col, lod.ebo);
      L->fill_lods.push_back(std::move(lod));
    }
  }
  if (!layer.is_raster && (g.kind == core::GeomKind::Polygon || g.kind == core::GeomKind::Line)) {
    // Segments of every ring, keeping only vertices at least `tol` metres from the last kept one.
    auto build = [&](double tol, std::vector<Segment>& segs, std::vector<std::uint32_t>& first) {
      first.reserve(g.feature_count() + 1);
      std::vector<core::Vec2> kept;
      for (std::size_t f = 0; f < g.feature_count(); ++f) {
        first.push_back(static_cast<std::uint32_t>(segs.size()));
        for (auto part = g.parts_begin(static_cast<core::FeatureId>(f));
             part < g.parts_end(static_cast<core::FeatureId>(f)); ++part)
          for (auto r = g.rings_begin(part); r < g.rings_end(part); ++r) {
            thin_ring(g.ring(r), tol, kept);
            double dist = 0;
            for (std::size_t i = 0; i + 1 < kept.size(); ++i) {
              Segment sg{};
              auto a = rel(kept[i]);
              auto b = rel(kept[i + 1]);
              sg.p0[0] = a[0];
              sg.p0[1] = a[1];
              sg.p1[0] = b[0];
              sg.p1[1] = b[1];
              sg.width = -1;
              sg.dist0 = static_cast<float>(dist);
              dist += std::hypot(kept[i + 1].x - kept[i].x, kept[i + 1].y - kept[i].y);
              segs.push_back(sg);
            }
          }
      }
      first.push_back(static_cast<std::uint32_t>(segs.size()));
    };
    build(0.0, L->segs, L->feature_seg_first);
    for (double tol = 60.0; tol < 1e6; tol *= 3) {
      GpuLayer::SegLod lod;
      lod.tol = tol;
      build(tol, lod.segs, lod.feature_first);
      std::size_t prev = L->lods.empty() ? L->segs.size() : L->lods.back().segs.size();
      if (lod.segs.size() * 10 > prev * 8) continue;  // not worth a level: under 20 % fewer
      glGenVertexArrays(1, &lod.vao);
      glGenBuffers(1, &lod.vbo);
      setup_segment_vao(lod.vao, lod.vbo, m->corner_vbo);
      L->lods.push_back(std::move(lod));
    }
    glGenVertexArrays(1, &L->seg_vao);
    glGenBuffers(1, &L->seg_vbo);
    setup_segment_vao(L->seg_vao, L->seg_vbo, m->corner_vbo);
  }
  if (!layer.is_raster && g.kind == core::GeomKind::Point) {
    for (std::size_t f = 0; f < g.feature_count(); ++f) {
      L->feature_pt_first.push_back(static_cast<std::uint32_t>(L->pts.size()));
      for (auto part = g.parts_begin(static_cast<core::FeatureId>(f));
           part < g.parts_end(static_cast<core::FeatureId>(f)); ++part) {
        auto p = rel(g.coords[g.ring_coords[g.rings_begin(part)]]);
        L->pts.push_back(PointVertex{{p[0], p[1]}, {}});
      }
    }
    L->feature_pt_first.push_back(static_cast<std::uint32_t>(L->pts.size()));
    glGenVertexArrays(1, &L->pt_vao);
    glGenBuffers(1, &L->pt_vbo);
    glBindVertexArray(L->pt_vao);
    glBindBuffer(GL_ARRAY_BUFFER, L->pt_vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(L->pts.size() * sizeof(PointVertex)), nullptr,
                 GL_DYNAMIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(PointVertex), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(PointVertex),
                          reinterpret_cast<void*>(offsetof(PointVertex, colour)));
    glBindVertexArray(0);
  }
  m_layers.push_back(std::move(L));
  std::size_t i = m_layers.size() - 1;
  restyle(i, layer, style);
  return i;
}

void MapRenderer::restyle(std::size_t i, const core::Layer& layer, const core::LayerStyle& style) {
  m_generation = next_generation();
  GpuLayer& L = *m_layers.at(i);
  L.style = style;
  const core::Geometries& g = layer.geom;
  if (L.raster) {
    std::vector<core::Rgba> ramp = style.raster_ramp;
    if (ramp.empty()) ramp = {{1, 1, 0.8f, 0.6f}, {0.99f, 0.55f, 0.24f, 0.85f}, {0.5f, 0, 0.15f, 1}};
    std::vector<Rgba8> tex(256);
    for (int k = 0; k < 256; ++k) tex[static_cast<std::size_t>(k)] = to8(core::ramp_at(ramp, k / 255.0));
    glBindTexture(GL_TEXTURE_2D, L.ramp_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 256, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, tex.data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return;
  }
  if (L.kind == core::GeomKind::Polygon) {
    auto fills = feature_fill_colours(layer, style);
    colour_fill(g, fills, style.fill, L.col_vbo);
    for (const auto& lod : L.fill_lods) colour_fill(lod.geom, fills, style.fill, lod.col);
  }
  if (!L.segs.empty() || L.kind == core::GeomKind::Line || L.kind == core::GeomKind::Polygon) {
    auto lines = feature_lines(layer, style);
    for (std::size_t f = 0; f + 1 < L.feature_seg_first.size(); ++f)
      for (auto s = L.feature_seg_first[f]; s < L.feature_seg_first[f + 1]; ++s) {
        L.segs[s].colour = to8(lines[f].colour);
        L.segs[s].width = L.kind == core::GeomKind::Polygon ? -1.0f : lines[f].width_px;
      }
    glBindBuffer(GL_ARRAY_BUFFER, L.seg_vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(L.segs.size() * sizeof(Segment)), L.segs.data(),
                 GL_STATIC_DRAW);
    for (auto& lod : L.lods) {
      for (std::size_t f = 0; f + 1 < lod.feature_first.size(); ++f)
        for (auto s = lod.feature_first[f]; s < lod.feature_first[f + 1]; ++s) {
          lod.segs[s].colour = to8(lines[f].colour);
          lod.segs[s].width = L.kind == core::GeomKind::Polygon ? -1.0f : lines[f].width_px;
        }
      glBindBuffer(GL_ARRAY_BUFFER, lod.vbo);
      glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(lod.segs.size() * sizeof(Segment)),
                   lod.segs.data(), GL_STATIC_DRAW);
    }
  }
  if (L.kind == core::GeomKind::Point) {
    auto fills = feature_fill_colours(layer, style);
    for (std::size_t f = 0; f + 1 < L.feature_pt_first.size(); ++f)
      for (auto p = L.feature_pt_first[f]; p < L.feature_pt_first[f + 1]; ++p)
        L.pts[p].colour = to8(fills[f]);
    glBindBuffer(GL_ARRAY_BUFFER, L.pt_vbo);
    glBufferSubData(GL_ARRAY_BUFFER, 0, static_cast<GLsizeiptr>(L.pts.size() * sizeof(PointVertex)),
                    L.pts.data());
  }
  m_uploaded_layer = SIZE_MAX;  // re-upload the highlight with the new geometry colours
}

void MapRenderer::upload_selection(std::size_t layer, const std::vector<std::size_t>& features) {
  if (layer == m_uploaded_layer && features == m_uploaded_features) return;
  m_uploaded_layer = layer;
  m_uploaded_features = features;
  m->sel_seg_count = 0;
  if (layer >= m_layers.size()) return;
  const GpuLayer& L = *m_layers[layer];
  std::vector<Segment> segs;
  for (std::size_t f : features) {
    if (f + 1 >= L.feature_seg_first.size()) continue;
    segs.insert(segs.end(), L.segs.begin() + L.feature_seg_first[f],
                L.segs.begin() + L.feature_seg_first[f + 1]);
  }
  glBindBuffer(GL_ARRAY_BUFFER, m->sel_seg_vbo);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(segs.size() * sizeof(Segment)), segs.data(),
               GL_DYNAMIC_DRAW);
  m->sel_seg_count = static_cast<GLsizei>(segs.size());
}

namespace {

/// The uniforms every program shares: map metres relative to the origin -> clip space.
struct ViewUniforms {
  float off[2], scale[2];
};
ViewUniforms view_uniforms(const View& view, core::Vec2 origin) {
  return {{static_cast<float>(origin.x - view.center.x), static_cast<float>(origin.y - view.center.y)},
          {static_cast<float>(2.0 / (view.m_per_px * view.width_px)),
           static_cast<float>(2.0 / (view.m_per_px * view.height_px))}};
}

/// Points the segment attributes of `vao` at segment `first` of `vbo` (GL 3.3 has no base
/// instance, so a range of instances starts at an offset attribute pointer).
void point_segments_at(GLuint vao, GLuint vbo, std::uint32_t first) {
  glBindVertexArray(vao);
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  auto stride = static_cast<GLsizei>(sizeof(Segment));
  auto at = [&](std::size_t field) {
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(first) * sizeof(Segment) + field);
  };
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, at(offsetof(Segment, p0)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, at(offsetof(Segment, p1)));
  glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, at(offsetof(Segment, colour)));
  glVertexAttribPointer(4, 1, GL_FLOAT, GL_FALSE, stride, at(offsetof(Segment, width)));
  glVertexAttribPointer(5, 1, GL_FLOAT, GL_FALSE, stride, at(offsetof(Segment, dist0)));
}

}  // namespace

void MapRenderer::draw(const View& view, const std::vector<std::size_t>& order,
                       const std::vector<LayerVisibility>& vis, const Selection& sel, core::Rgba highlight) {
  begin(view);
  for (const DrawStep& s : plan(view, order, vis, UINT32_MAX)) draw_step(view, s, vis);
  draw_selection(view, sel, highlight);
}

std::vector<DrawStep> MapRenderer::plan(const View& view, const std::vector<std::size_t>& order,
                                        const std::vector<LayerVisibility>& vis,
                                        std::uint32_t max_chunk) const {
  std::vector<DrawStep> steps;
  max_chunk = std::max<std::uint32_t>(max_chunk, 3);
  // elements [0, n) in chunks; `unit` keeps a chunk a whole number of triangles
  auto add = [&](std::size_t layer, DrawStep::Part part, int lod, std::size_t n, std::uint32_t unit,
                 double cost_each) {
    const std::uint32_t chunk = std::max<std::uint32_t>(unit, max_chunk / unit * unit);
    for (std::size_t first = 0; first < n; first += chunk) {
      DrawStep s;
      s.layer = layer;
      s.part = part;
      s.lod = lod;
      s.first = static_cast<std::uint32_t>(first);
      s.count = static_cast<std::uint32_t>(std::min<std::size_t>(chunk, n - first));
      s.cost = s.count * cost_each;
      steps.push_back(s);
    }
  };
  for (std::size_t i : order) {
    if (i >= m_layers.size() || i >= vis.size() || !vis[i].visible) continue;
    const GpuLayer& L = *m_layers[i];
    if (L.raster) {
      DrawStep s;
      s.layer = i;
      s.part = DrawStep::Part::Raster;
      s.count = 1;
      s.cost = static_cast<double>(view.width_px) * view.height_px / 64.0;
      steps.push_back(s);
      continue;
    }
    // the coarsest level whose dropped vertices are under 0.7 pixel apart
    int seg_lod = -1;
    std::size_t seg_count = L.segs.size();
    for (std::size_t k = 0; k < L.lods.size(); ++k)
      if (L.lods[k].tol <= 0.7 * view.m_per_px) {
        seg_lod = static_cast<int>(k);
        seg_count = L.lods[k].segs.size();
      }
    if (L.kind == core::GeomKind::Polygon) {
      int fill_lod = -1;
      std::size_t fill_count = L.tris.indices.size();
      for (std::size_t k = 0; k < L.fill_lods.size(); ++k)
        if (L.fill_lods[k].tol <= 0.7 * view.m_per_px) {
          fill_lod = static_cast<int>(k);
          fill_count = static_cast<std::size_t>(L.fill_lods[k].count);
        }
      // a fill's pixels (blended) cost as a raster's texels: the layer's area on the image at
      // most, shared among its triangles
      const double area_px = std::min(L.fill_area / (view.m_per_px * view.m_per_px),
                                      static_cast<double>(view.width_px) * view.height_px);
      add(i, DrawStep::Part::Fill, fill_lod, fill_count, 3,
          1.0 + (fill_count ? area_px / 64.0 / static_cast<double>(fill_count) : 0.0));
      if (L.style.line_width_px > 0) add(i, DrawStep::Part::Outline, seg_lod, seg_count, 1, 6.0);
    } else if (L.kind == core::GeomKind::Line) {
      add(i, DrawStep::Part::Line, seg_lod, seg_count, 1, 6.0);
    } else if (L.kind == core::GeomKind::Point) {
      add(i, DrawStep::Part::Points, -1, L.pts.size(), 1, 4.0);
    }
  }
  return steps;
}

void MapRenderer::begin(const View& view) {
  glEnable(GL_BLEND);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_SCISSOR_TEST);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glViewport(0, 0, view.width_px, view.height_px);
}

namespace {
const float k_no_override[4] = {0, 0, 0, 0};
}

void MapRenderer::draw_step(const View& view, const DrawStep& s, const std::vector<LayerVisibility>& vis) {
  if (s.layer >= m_layers.size() || s.layer >= vis.size()) return;
  const GpuLayer& L = *m_layers[s.layer];
  const float opacity = vis[s.layer].opacity * L.style.opacity;
  const ViewUniforms vu = view_uniforms(view, m_origin);
  auto use_common = [&](GLuint prog) {
    glUseProgram(prog);
    glUniform2fv(loc(prog, "u_offset"), 1, vu.off);
    glUniform2fv(loc(prog, "u_scale"), 1, vu.scale);
  };
  switch (s.part) {
    case DrawStep::Part::Raster: {
      use_common(m->raster);
      glActiveTexture(GL_TEXTURE0);
      glBindTexture(GL_TEXTURE_2D, L.tex);
      glActiveTexture(GL_TEXTURE1);
      glBindTexture(GL_TEXTURE_2D, L.ramp_tex);
      glActiveTexture(GL_TEXTURE0);
      glUniform1i(loc(m->raster, "u_values"), 0);
      glUniform1i(loc(m->raster, "u_ramp"), 1);
      glUniform1f(loc(m->raster, "u_min"), L.vmin);
      glUniform1f(loc(m->raster, "u_max"), L.vmax);
      glUniform1i(loc(m->raster, "u_log"), L.style.raster_log ? 1 : 0);
      glUniform1f(loc(m->raster, "u_opacity"), opacity);
      glBindVertexArray(L.quad_vao);
      glDrawArrays(GL_TRIANGLES, 0, 6);
      break;
    }
    case DrawStep::Part::Fill: {
      use_common(m->fill);
      glUniform1f(loc(m->fill, "u_opacity"), opacity);
      glUniform4fv(loc(m->fill, "u_override"), 1, k_no_override);
      glBindVertexArray(s.lod < 0 ? L.fill_vao : L.fill_lods[static_cast<std::size_t>(s.lod)].vao);
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(s.count), GL_UNSIGNED_INT,
                     reinterpret_cast<void*>(static_cast<std::uintptr_t>(s.first) * 4));
      break;
    }
    case DrawStep::Part::Outline:
    case DrawStep::Part::Line: {
      GLuint vao = L.seg_vao, vbo = L.seg_vbo;
      if (s.lod >= 0) {
        vao = L.lods[static_cast<std::size_t>(s.lod)].vao;
        vbo = L.lods[static_cast<std::size_t>(s.lod)].vbo;
      }
      use_common(m->line);
      glUniform2f(loc(m->line, "u_viewport"), static_cast<float>(view.width_px),
                  static_cast<float>(view.height_px));
      glUniform1f(loc(m->line, "u_width"), L.style.line_width_px);
      glUniform1f(loc(m->line, "u_m_per_px"), static_cast<float>(view.m_per_px));
      glUniform1f(loc(m->line, "u_opacity"), opacity);
      glUniform4fv(loc(m->line, "u_override"), 1, k_no_override);
      glUniform1f(loc(m->line, "u_dash"), s.part == DrawStep::Part::Line && L.style.dashed ? 8.0f : 0.0f);
      point_segments_at(vao, vbo, s.first);
      glDrawArraysInstanced(GL_TRIANGLES, 0, 6, static_cast<GLsizei>(s.count));
      if (s.first != 0) point_segments_at(vao, vbo, 0);
      break;
    }
    case DrawStep::Part::Points: {
      use_common(m->point);
      glUniform1i(loc(m->point, "u_symbol"), static_cast<int>(L.style.symbol));
      glUniform1f(loc(m->point, "u_size"), L.style.symbol_size_px);
      glUniform4f(loc(m->point, "u_outline"), L.style.line.r, L.style.line.g, L.style.line.b, L.style.line.a);
      glUniform1f(loc(m->point, "u_opacity"), opacity);
      glUniform4fv(loc(m->point, "u_override"), 1, k_no_override);
      glBindVertexArray(L.pt_vao);
      glDrawArrays(GL_POINTS, static_cast<GLint>(s.first), static_cast<GLsizei>(s.count));
      break;
    }
  }
  glBindVertexArray(0);
}

void MapRenderer::draw_selection(const View& view, const Selection& sel, core::Rgba highlight) {
  if (sel.valid()) draw_selection(view, sel.layer, {sel.feature}, highlight);
}

void MapRenderer::draw_selection(const View& view, std::size_t layer,
                                 const std::vector<std::size_t>& features, core::Rgba highlight) {
  upload_selection(layer, features);
  if (layer >= m_layers.size() || features.empty()) return;
  const ViewUniforms vu = view_uniforms(view, m_origin);
  auto use_common = [&](GLuint prog) {
    glUseProgram(prog);
    glUniform2fv(loc(prog, "u_offset"), 1, vu.off);
    glUniform2fv(loc(prog, "u_scale"), 1, vu.scale);
  };
  const float hl[4] = {highlight.r, highlight.g, highlight.b, highlight.a};
  const float hl_fill[4] = {highlight.r, highlight.g, highlight.b, 0.45f};
  const GpuLayer& L = *m_layers[layer];
  // runs of consecutive features are one draw call each (a rectangle over 20,000 villages)
  auto runs = [&](const std::vector<std::uint32_t>& first, auto&& draw) {
    std::size_t k = 0;
    while (k < features.size()) {
      const std::size_t a = features[k];
      std::size_t b = a;
      while (k + 1 < features.size() && features[k + 1] == b + 1) b = features[++k];
      ++k;
      if (b + 1 < first.size()) draw(first[a], first[b + 1]);
    }
  };
  if (L.kind == core::GeomKind::Polygon) {
    use_common(m->fill);
    glUniform1f(loc(m->fill, "u_opacity"), 1.0f);
    glUniform4fv(loc(m->fill, "u_override"), 1, hl_fill);
    glBindVertexArray(L.fill_vao);
    runs(L.tris.feature_first, [](std::uint32_t b, std::uint32_t e) {
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(e - b), GL_UNSIGNED_INT,
                     reinterpret_cast<void*>(static_cast<std::uintptr_t>(b) * 4));
    });
  }
  if ((L.kind == core::GeomKind::Polygon || L.kind == core::GeomKind::Line) && m->sel_seg_count > 0) {
    use_common(m->line);
    glUniform2f(loc(m->line, "u_viewport"), static_cast<float>(view.width_px),
                static_cast<float>(view.height_px));
    glUniform1f(loc(m->line, "u_width"), L.style.line_width_px + 3.0f);
    glUniform1f(loc(m->line, "u_m_per_px"), static_cast<float>(view.m_per_px));
    glUniform1f(loc(m->line, "u_opacity"), 1.0f);
    glUniform4fv(loc(m->line, "u_override"), 1, hl);
    glUniform1f(loc(m->line, "u_dash"), 0.0f);
    glBindVertexArray(m->sel_seg_vao);
    glDrawArraysInstanced(GL_TRIANGLES, 0, 6, m->sel_seg_count);
  }
  if (L.kind == core::GeomKind::Point) {
    use_common(m->point);
    glUniform1i(loc(m->point, "u_symbol"), static_cast<int>(L.style.symbol));
    glUniform1f(loc(m->point, "u_size"), L.style.symbol_size_px + 8.0f);
    glUniform4f(loc(m->point, "u_outline"), L.style.line.r, L.style.line.g, L.style.line.b, L.style.line.a);
    glUniform1f(loc(m->point, "u_opacity"), 1.0f);
    glUniform4fv(loc(m->point, "u_override"), 1, hl);
    glBindVertexArray(L.pt_vao);
    runs(L.feature_pt_first, [](std::uint32_t b, std::uint32_t e) {
      glDrawArrays(GL_POINTS, static_cast<GLint>(b), static_cast<GLsizei>(e - b));
    });
  }
  glBindVertexArray(0);
  glUseProgram(0);
}

std::vector<std::uint8_t> read_framebuffer(int w, int h) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  // GL rows start at the bottom: flip to top row first.
  std::vector<std::uint8_t> row(static_cast<std::size_t>(w) * 4);
  for (int y = 0; y < h / 2; ++y) {
    auto* a = px.data() + static_cast<std::size_t>(y) * w * 4;
    auto* b = px.data() + static_cast<std::size_t>(h - 1 - y) * w * 4;
    std::memcpy(row.data(), a, row.size());
    std::memcpy(a, b, row.size());
    std::memcpy(b, row.data(), row.size());
  }
  return px;
}

}  // namespace kepumap::render
