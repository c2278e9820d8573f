#include "geo/geos_ops.hpp"

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "geo/spatial_index.hpp"

namespace kepumap::geo {

namespace {

using core::FeatureId;
using core::Geometries;
using core::GeomKind;
using core::Vec2;

// ---------------------------------------------------------------------------------------------
// GEOS context: one per thread. GEOS reports errors through a handler; the last message is
// kept so a failed call can say why.
struct ThreadGeos {
  GEOSContextHandle_t h = nullptr;
  std::string last_error;
  ThreadGeos() {
    h = GEOS_init_r();
    GEOSContext_setErrorMessageHandler_r(
        h, [](const char* msg, void* self) { static_cast<ThreadGeos*>(self)->last_error = msg; }, this);
    GEOSContext_setNoticeMessageHandler_r(
        h, [](const char*, void*) {}, nullptr);
  }
  ~ThreadGeos() { GEOS_finish_r(h); }
  ThreadGeos(const ThreadGeos&) = delete;
  ThreadGeos& operator=(const ThreadGeos&) = delete;
};

ThreadGeos& geos() {
  thread_local ThreadGeos t;
  return t;
}
GEOSContextHandle_t ctx() { return geos().h; }

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const {
    if (g) GEOSGeom_destroy_r(ctx(), g);
  }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
  void operator()(const GEOSPreparedGeometry* g) const {
    if (g) GEOSPreparedGeom_destroy_r(ctx(), g);
  }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

// ---------------------------------------------------------------------------------------------
// core -> GEOS

GEOSCoordSequence* make_seq(std::span<const Vec2> pts, bool close) {
  const bool add_close = close && !pts.empty() && !(pts.front() == pts.back());
  const auto n = static_cast<unsigned>(pts.size() + (add_close ? 1 : 0));
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx(), n, 2);
  if (!seq) return nullptr;
  for (unsigned i = 0; i < pts.size(); ++i) GEOSCoordSeq_setXY_r(ctx(), seq, i, pts[i].x, pts[i].y);
  if (add_close) GEOSCoordSeq_setXY_r(ctx(), seq, n - 1, pts[0].x, pts[0].y);
  return seq;
}

/// Number of coordinates of a ring once closed.
std::size_t closed_size(std::span<const Vec2> r) {
  return r.empty() ? 0 : r.size() + (r.front() == r.back() ? 0 : 1);
}

/// A GEOS linear ring, or null if it would have fewer than 4 coordinates once closed.
GEOSGeometry* make_ring(std::span<const Vec2> r) {
  if (closed_size(r) < 4) return nullptr;
  GEOSCoordSequence* seq = make_seq(r, true);
  return seq ? GEOSGeom_createLinearRing_r(ctx(), seq) : nullptr;
}

GeomPtr make_collection(int type, std::vector<GEOSGeometry*>& parts) {
  GEOSGeometry* c =
      GEOSGeom_createCollection_r(ctx(), type, parts.data(), static_cast<unsigned>(parts.size()));
  if (!c)
    for (GEOSGeometry* p : parts) GEOSGeom_destroy_r(ctx(), p);
  parts.clear();
  return GeomPtr(c);
}

/// Polygon part p; degenerate rings (fewer than 4 coordinates) are left out and flagged.
GEOSGeometry* make_polygon(const Geometries& g, std::uint32_t p, bool& dropped) {
  const auto r0 = g.rings_begin(p), r1 = g.rings_end(p);
  if (r0 == r1) {
    dropped = true;
    return nullptr;
  }
  GEOSGeometry* shell = make_ring(g.ring(r0));
  if (!shell) {
    dropped = true;
    return nullptr;
  }
  std::vector<GEOSGeometry*> holes;
  for (auto r = r0 + 1; r < r1; ++r) {
    if (GEOSGeometry* h = make_ring(g.ring(r)))
      holes.push_back(h);
    else
      dropped = true;
  }
  return GEOSGeom_createPolygon_r(ctx(), shell, holes.data(), static_cast<unsigned>(holes.size()));
}

/// Feature f as one GEOS geometry (a single or multi geometry of the layer's kind). A feature
/// without geometry becomes an empty geometry. `dropped` is set when degenerate rings or
/// lines were left out; the result is null only if GEOS refused the geometry.
GeomPtr to_geos(const Geometries& g, FeatureId f, bool& dropped) {
  std::vector<GEOSGeometry*> parts;
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p) {
    GEOSGeometry* part = nullptr;
    switch (g.kind) {
      case GeomKind::Polygon:
        part = make_polygon(g, p, dropped);
        break;
      case GeomKind::Line: {
        const auto r = g.ring(g.rings_begin(p));
        if (g.rings_end(p) > g.rings_begin(p) && r.size() >= 2) {
          GEOSCoordSequence* seq = make_seq(r, false);
          part = seq ? GEOSGeom_createLineString_r(ctx(), seq) : nullptr;
        } else {
          dropped = true;
        }
        break;
      }
      case GeomKind::Point: {
        if (g.rings_end(p) > g.rings_begin(p) && !g.ring(g.rings_begin(p)).empty()) {
          const Vec2 c = g.ring(g.rings_begin(p))[0];
          part = GEOSGeom_createPointFromXY_r(ctx(), c.x, c.y);
        } else {
          dropped = true;
        }
        break;
      }
      case GeomKind::None:
        break;
    }
    if (part) parts.push_back(part);
  }
  switch (g.kind) {
    case GeomKind::Polygon:
      if (parts.empty()) return GeomPtr(GEOSGeom_createEmptyPolygon_r(ctx()));
      if (parts.size() == 1) return GeomPtr(parts[0]);
      return make_collection(GEOS_MULTIPOLYGON, parts);
    case GeomKind::Line:
      if (parts.empty()) return GeomPtr(GEOSGeom_createEmptyLineString_r(ctx()));
      if (parts.size() == 1) return GeomPtr(parts[0]);
      return make_collection(GEOS_MULTILINESTRING, parts);
    case GeomKind::Point:
      if (parts.empty()) return GeomPtr(GEOSGeom_createEmptyPoint_r(ctx()));
      if (parts.size() == 1) return GeomPtr(parts[0]);
      return make_collection(GEOS_MULTIPOINT, parts);
    case GeomKind::None:
      break;
  }
  return GeomPtr(GEOSGeom_createEmptyCollection_r(ctx(), GEOS_GEOMETRYCOLLECTION));
}

GeomPtr to_geos(const Geometries& g, FeatureId f) {
  bool dropped = false;
  return to_geos(g, f, dropped);
}

// ---------------------------------------------------------------------------------------------
// GEOS -> core

std::vector<Vec2> read_seq(const GEOSGeometry* line) {
  std::vector<Vec2> pts;
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx(), line);
  unsigned n = 0;
  if (!seq || !GEOSCoordSeq_getSize_r(ctx(), seq, &n)) return pts;
  pts.resize(n);
  for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(ctx(), seq, i, &pts[i].x, &pts[i].y);
  return pts;
}

/// Adds a ring with the orientation wanted (exteriors counter-clockwise, holes clockwise).
void add_oriented_ring(Geometries& out, std::vector<Vec2>& pts, bool exterior) {
  const double a = core::ring_signed_area(pts);
  if ((exterior && a < 0) || (!exterior && a > 0)) std::reverse(pts.begin(), pts.end());
  out.add_ring(pts);
}

/// Appends every part of `g` of the wanted kind (recursing into collections); returns the
/// number of parts added.
std::size_t append_parts(const GEOSGeometry* g, GeomKind kind, Geometries& out) {
  if (!g || GEOSisEmpty_r(ctx(), g) == 1) return 0;
  const int type = GEOSGeomTypeId_r(ctx(), g);
  switch (type) {
    case GEOS_POLYGON: {
      if (kind != GeomKind::Polygon) return 0;
      std::vector<Vec2> pts = read_seq(GEOSGetExteriorRing_r(ctx(), g));
      if (pts.size() < 4) return 0;
      add_oriented_ring(out, pts, true);
      const int nh = GEOSGetNumInteriorRings_r(ctx(), g);
      for (int i = 0; i < nh; ++i) {
        std::vector<Vec2> h = read_seq(GEOSGetInteriorRingN_r(ctx(), g, i));
        if (h.size() >= 4) add_oriented_ring(out, h, false);
      }
      out.end_part();
      return 1;
    }
    case GEOS_LINESTRING:
    case GEOS_LINEARRING: {
      if (kind != GeomKind::Line) return 0;
      std::vector<Vec2> pts = read_seq(g);
      if (pts.size() < 2) return 0;
      out.add_ring(pts);
      out.end_part();
      return 1;
    }
    case GEOS_POINT: {
      if (kind != GeomKind::Point) return 0;
      std::vector<Vec2> pts = read_seq(g);
      if (pts.empty()) return 0;
      out.add_ring(std::span<const Vec2>(pts.data(), 1));
      out.end_part();
      return 1;
    }
    case GEOS_MULTIPOINT:
    case GEOS_MULTILINESTRING:
    case GEOS_MULTIPOLYGON:
    case GEOS_GEOMETRYCOLLECTION: {
      std::size_t added = 0;
      const int n = GEOSGetNumGeometries_r(ctx(), g);
      for (int i = 0; i < n; ++i) added += append_parts(GEOSGetGeometryN_r(ctx(), g, i), kind, out);
      return added;
    }
    default:
      return 0;
  }
}

/// Copies feature f of g into out as it is, closing open polygon rings and normalising ring
/// orientation.
void copy_feature(const Geometries& g, FeatureId f, Geometries& out) {
  std::vector<Vec2> pts;
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p) {
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
      auto ring = g.ring(r);
      if (g.kind == GeomKind::Polygon) {
        pts.assign(ring.begin(), ring.end());
        if (!pts.empty() && !(pts.front() == pts.back())) pts.push_back(pts.front());
        add_oriented_ring(out, pts, r == g.rings_begin(p));
      } else {
        out.add_ring(ring);
      }
    }
    out.end_part();
  }
  out.end_feature();
}

bool feature_finite(const Geometries& g, FeatureId f) {
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r)
      for (const Vec2& c : g.ring(r))
        if (!finite(c)) return false;
  return true;
}

/// Repairs one polygonal GEOS geometry: the "structure" method (rings made valid, shells
/// merged, holes subtracted: the area a planner means), falling back to the linework method;
/// polygonal parts only. Null if GEOS could not repair it.
GeomPtr repair_polygonal(const GEOSGeometry* geom) {
  struct ParamsDeleter {
    void operator()(GEOSMakeValidParams* p) const {
      if (p) GEOSMakeValidParams_destroy_r(ctx(), p);
    }
  };
  std::unique_ptr<GEOSMakeValidParams, ParamsDeleter> params(GEOSMakeValidParams_create_r(ctx()));
  GeomPtr fixed;
  if (params) {
    GEOSMakeValidParams_setMethod_r(ctx(), params.get(), GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx(), params.get(), 0);
    fixed.reset(GEOSMakeValidWithParams_r(ctx(), geom, params.get()));
  }
  if (!fixed) fixed.reset(GEOSMakeValid_r(ctx(), geom));
  return fixed;
}

/// The polygonal parts of `g` as one feature of a fresh layer.
Geometries polygonal_feature(const GEOSGeometry* g) {
  Geometries out;
  out.kind = GeomKind::Polygon;
  append_parts(g, GeomKind::Polygon, out);
  out.end_feature();
  return out;
}

void append_feature(const Geometries& one, Geometries& out) {
  // `one` holds exactly one feature; copy its parts and rings.
  for (auto p = one.parts_begin(0); p < one.parts_end(0); ++p) {
    for (auto r = one.rings_begin(p); r < one.rings_end(p); ++r) out.add_ring(one.ring(r));
    out.end_part();
  }
  out.end_feature();
}

/// Union of every feature of g as one GEOS geometry (invalid polygons repaired first).
GeomPtr union_geos(const Geometries& g) {
  std::vector<GEOSGeometry*> parts;
  for (FeatureId f = 0; f < g.feature_count(); ++f) {
    if (!g.has_geometry(f) || !feature_finite(g, f)) continue;
    GeomPtr geom = to_geos(g, f);
    if (!geom || GEOSisEmpty_r(ctx(), geom.get()) == 1) continue;
    if (g.kind == GeomKind::Polygon && GEOSisValid_r(ctx(), geom.get()) != 1) {
      GeomPtr fixed = repair_polygonal(geom.get());
      if (!fixed) continue;
      geom = std::move(fixed);
    }
    parts.push_back(geom.release());
  }
  GeomPtr coll = make_collection(GEOS_GEOMETRYCOLLECTION, parts);
  if (!coll) throw std::runtime_error("GEOS: cannot build a collection: " + geos().last_error);
  GeomPtr u(GEOSUnaryUnion_r(ctx(), coll.get()));
  if (!u) throw std::runtime_error("GEOS union failed: " + geos().last_error);
  return u;
}

/// Intersection of a with the prepared/plain clip geometry; retries with a repaired `a` when
/// GEOS hits a topology error.
GeomPtr intersect(const GEOSGeometry* a, const GEOSGeometry* clip_geom) {
  GeomPtr r(GEOSIntersection_r(ctx(), a, clip_geom));
  if (r) return r;
  GeomPtr fixed(GEOSMakeValid_r(ctx(), a));
  if (fixed) r.reset(GEOSIntersection_r(ctx(), fixed.get(), clip_geom));
  return r;
}

// ---------------------------------------------------------------------------------------------
// WKT writing (our own, so any flat geometry can be shown, degenerate or not)

void put_number(std::string& s, double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  s.append(buf, res.ptr);
}

void put_coords(std::string& s, std::span<const Vec2> pts) {
  s += '(';
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (i) s += ", ";
    put_number(s, pts[i].x);
    s += ' ';
    put_number(s, pts[i].y);
  }
  s += ')';
}

}  // namespace

// -------------------------------------------------------------------------------------------------

namespace {

enum class FixStatus : std::uint8_t { NoGeometry, Valid, Repaired, Emptied };

/// Repair outcome of one feature; `fixed` (one feature) only when Repaired.
struct FeatureFix {
  FixStatus status = FixStatus::NoGeometry;
  Geometries fixed;
};

FeatureFix fix_feature(const Geometries& polys, FeatureId f) {
  FeatureFix r;
  if (!polys.has_geometry(f)) return r;  // no geometry on input: nothing repaired, nothing lost
  if (!feature_finite(polys, f)) {
    r.status = FixStatus::Emptied;
    return r;
  }
  bool dropped = false;
  GeomPtr geom = to_geos(polys, f, dropped);
  const bool valid = geom && GEOSisValid_r(ctx(), geom.get()) == 1;
  if (valid && !dropped) {
    r.status = FixStatus::Valid;
    return r;
  }
  // Invalid, or valid only once degenerate rings were left out: repair.
  r.fixed.kind = GeomKind::Polygon;
  if (geom && GEOSisEmpty_r(ctx(), geom.get()) != 1) {
    GeomPtr fixed = valid ? std::move(geom) : repair_polygonal(geom.get());
    r.fixed = polygonal_feature(fixed.get());
    // Polygons picked out of a mixed collection could touch along an edge: merge them then.
    if (fixed && GEOSGeomTypeId_r(ctx(), fixed.get()) == GEOS_GEOMETRYCOLLECTION &&
        r.fixed.part_count() > 1) {
      GeomPtr check = to_geos(r.fixed, 0);
      if (check && GEOSisValid_r(ctx(), check.get()) != 1) {
        GeomPtr merged(GEOSUnaryUnion_r(ctx(), check.get()));
        if (merged) r.fixed = polygonal_feature(merged.get());
      }
    }
  } else {
    r.fixed.end_feature();
  }
  r.status = (r.fixed.part_count() == 0 || core::feature_area(r.fixed, 0) <= 0.0) ? FixStatus::Emptied
                                                                                  : FixStatus::Repaired;
  return r;
}

/// Runs fix_feature over every feature, on several threads for big layers (each thread has its
/// own GEOS context); the result does not depend on the number of threads.
std::vector<FeatureFix> fix_all(const Geometries& polys) {
  const std::size_t n = polys.feature_count();
  std::vector<FeatureFix> fixes(n);
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = polys.coords.size() < 20'000 ? 1 : std::min<std::size_t>({hw, 8, (n + 1) / 2});
  if (threads <= 1) {
    for (FeatureId f = 0; f < n; ++f) fixes[f] = fix_feature(polys, f);
    return fixes;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(threads);
  auto work = [&](std::size_t t) {
    try {
      for (std::size_t f = next++; f < n; f = next++)
        fixes[f] = fix_feature(polys, static_cast<FeatureId>(f));
    } catch (...) {
      errors[t] = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
  return fixes;
}

}  // namespace

core::Geometries make_valid(const core::Geometries& polys, RepairReport& report) {
  Geometries out;
  out.kind = GeomKind::Polygon;
  if (polys.kind != GeomKind::Polygon) {
    // Nothing polygonal to repair: keep the features as they are.
    out.kind = polys.kind;
    for (FeatureId f = 0; f < polys.feature_count(); ++f) copy_feature(polys, f, out);
    return out;
  }
  const std::vector<FeatureFix> fixes = fix_all(polys);
  for (FeatureId f = 0; f < polys.feature_count(); ++f) {
    switch (fixes[f].status) {
      case FixStatus::NoGeometry:
        out.end_feature();
        break;
      case FixStatus::Valid:
        copy_feature(polys, f, out);
        break;
      case FixStatus::Repaired:
        append_feature(fixes[f].fixed, out);
        report.repaired.push_back(f);
        break;
      case FixStatus::Emptied:
        out.end_feature();
        report.emptied.push_back(f);
        break;
    }
  }
  return out;
}

bool is_valid(const core::Geometries& g, core::FeatureId f, std::string* reason) {
  bool dropped = false;
  GeomPtr geom = to_geos(g, f, dropped);
  if (dropped) {
    if (reason) *reason = "degenerate ring or line (too few coordinates)";
    return false;
  }
  if (!geom) {
    if (reason) *reason = "GEOS could not build the geometry: " + geos().last_error;
    return false;
  }
  const char v = GEOSisValid_r(ctx(), geom.get());
  if (v == 1) return true;
  if (reason) {
    char* why = GEOSisValidReason_r(ctx(), geom.get());
    *reason = why ? why : "invalid";
    if (why) GEOSFree_r(ctx(), why);
  }
  return false;
}

core::Geometries from_wkt(const std::string& wkt) {
  struct ReaderDeleter {
    void operator()(GEOSWKTReader* r) const {
      if (r) GEOSWKTReader_destroy_r(ctx(), r);
    }
  };
  std::unique_ptr<GEOSWKTReader, ReaderDeleter> reader(GEOSWKTReader_create_r(ctx()));
  GeomPtr g(reader ? GEOSWKTReader_read_r(ctx(), reader.get(), wkt.c_str()) : nullptr);
  if (!g) throw std::invalid_argument("bad WKT: " + geos().last_error);
  Geometries out;
  auto kind_of = [](int type) {
    switch (type) {
      case GEOS_POINT:
      case GEOS_MULTIPOINT:
        return GeomKind::Point;
      case GEOS_LINESTRING:
      case GEOS_LINEARRING:
      case GEOS_MULTILINESTRING:
        return GeomKind::Line;
      case GEOS_POLYGON:
      case GEOS_MULTIPOLYGON:
        return GeomKind::Polygon;
      default:
        return GeomKind::None;
    }
  };
  const int type = GEOSGeomTypeId_r(ctx(), g.get());
  out.kind = kind_of(type);
  if (type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(ctx(), g.get());
    for (int i = 0; i < n; ++i) {
      const GeomKind k = kind_of(GEOSGeomTypeId_r(ctx(), GEOSGetGeometryN_r(ctx(), g.get(), i)));
      if (out.kind != GeomKind::None && k != out.kind)
        throw std::invalid_argument("bad WKT: mixed geometry types in one collection");
      out.kind = k;
    }
  }
  append_parts(g.get(), out.kind, out);
  out.end_feature();
  return out;
}

std::string to_wkt(const core::Geometries& g, core::FeatureId f) {
  const auto p0 = g.parts_begin(f), p1 = g.parts_end(f);
  const std::size_t n = p1 - p0;
  std::string s;
  const char* single = g.kind == GeomKind::Polygon ? "POLYGON"
                       : g.kind == GeomKind::Line  ? "LINESTRING"
                       : g.kind == GeomKind::Point ? "POINT"
                                                   : "GEOMETRYCOLLECTION";
  if (n == 0) return std::string(single) + " EMPTY";
  if (n > 1) s += "MULTI";
  s += single;
  s += ' ';
  if (n > 1) s += '(';
  for (auto p = p0; p < p1; ++p) {
    if (p > p0) s += ", ";
    if (g.kind == GeomKind::Polygon) {
      s += '(';
      for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
        if (r > g.rings_begin(p)) s += ", ";
        put_coords(s, g.ring(r));
      }
      s += ')';
    } else if (g.rings_end(p) > g.rings_begin(p)) {
      put_coords(s, g.ring(g.rings_begin(p)));
    }
  }
  if (n > 1) s += ')';
  return s;
}

core::Geometries clip(const core::Geometries& g, const core::Geometries& clip_polys) {
  Geometries out;
  out.kind = g.kind;
  GeomPtr cu;
  if (clip_polys.kind == GeomKind::Polygon && clip_polys.feature_count() > 0) cu = union_geos(clip_polys);
  if (!cu || GEOSisEmpty_r(ctx(), cu.get()) == 1) {
    for (FeatureId f = 0; f < g.feature_count(); ++f) out.end_feature();
    return out;
  }
  PreparedPtr prep(GEOSPrepare_r(ctx(), cu.get()));
  for (FeatureId f = 0; f < g.feature_count(); ++f) {
    if (!g.has_geometry(f) || !feature_finite(g, f)) {
      out.end_feature();
      continue;
    }
    GeomPtr geom = to_geos(g, f);
    if (!geom || GEOSisEmpty_r(ctx(), geom.get()) == 1 ||
        (prep && GEOSPreparedIntersects_r(ctx(), prep.get(), geom.get()) == 0)) {
      out.end_feature();
      continue;
    }
    if (prep && GEOSPreparedContainsProperly_r(ctx(), prep.get(), geom.get()) == 1) {
      copy_feature(g, f, out);
      continue;
    }
    GeomPtr r = intersect(geom.get(), cu.get());
    if (!r) throw std::runtime_error("GEOS intersection failed: " + geos().last_error);
    append_parts(r.get(), g.kind, out);
    out.end_feature();
  }
  return out;
}

core::Geometries buffer(const core::Geometries& g, double distance) {
  Geometries out;
  out.kind = GeomKind::Polygon;
  for (FeatureId f = 0; f < g.feature_count(); ++f) {
    if (g.has_geometry(f) && feature_finite(g, f)) {
      GeomPtr geom = to_geos(g, f);
      GeomPtr b(geom ? GEOSBuffer_r(ctx(), geom.get(), distance, 8) : nullptr);
      if (!b && geom && g.kind == GeomKind::Polygon) {
        GeomPtr fixed = repair_polygonal(geom.get());
        if (fixed) b.reset(GEOSBuffer_r(ctx(), fixed.get(), distance, 8));
      }
      if (!b) throw std::runtime_error("GEOS buffer failed: " + geos().last_error);
      append_parts(b.get(), GeomKind::Polygon, out);
    }
    out.end_feature();
  }
  return out;
}

core::Geometries union_all(const core::Geometries& g) {
  Geometries out;
  out.kind = g.kind;
  if (g.feature_count() > 0 && g.kind != GeomKind::None) {
    GeomPtr u = union_geos(g);
    append_parts(u.get(), g.kind, out);
  }
  out.end_feature();
  return out;
}

core::Geometries voronoi(std::span<const core::Vec2> sites, const core::Geometries& envelope) {
  Geometries out;
  out.kind = GeomKind::Polygon;
  if (sites.empty()) return out;

  // The clip area: the envelope's union, or (no envelope) the sites' box grown by 10 %.
  GeomPtr area;
  if (envelope.kind == GeomKind::Polygon && envelope.feature_count() > 0) area = union_geos(envelope);
  if (!area || GEOSisEmpty_r(ctx(), area.get()) == 1) {
    core::BBox b;
    for (Vec2 s : sites)
      if (finite(s)) b.add(s);
    if (b.empty()) {
      for (std::size_t i = 0; i < sites.size(); ++i) out.end_feature();
      return out;
    }
    const double m = std::max({b.width(), b.height(), 1.0}) * 0.1;
    area.reset(GEOSGeom_createRectangle_r(ctx(), b.min_x - m, b.min_y - m, b.max_x + m, b.max_y + m));
  }
  PreparedPtr prep(GEOSPrepare_r(ctx(), area.get()));

  // Distinct finite sites; a repeated site gets an empty cell (its first occurrence owns it).
  std::vector<std::uint32_t> order(sites.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return sites[a].x < sites[b].x || (sites[a].x == sites[b].x && sites[a].y < sites[b].y);
  });
  std::vector<std::uint32_t> owner(sites.size(), core::INVALID_ID);  // site -> unique index
  std::vector<std::uint32_t> unique_sites;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::uint32_t i = order[k];
    if (!finite(sites[i])) continue;
    if (k > 0 && sites[order[k - 1]] == sites[i]) continue;
    owner[i] = static_cast<std::uint32_t>(unique_sites.size());
    unique_sites.push_back(i);
  }

  // Cell (as a GEOS geometry borrowed from `diagram`, or the whole area) per unique site.
  std::vector<const GEOSGeometry*> cell_of(unique_sites.size(), nullptr);
  GeomPtr diagram;
  if (unique_sites.size() == 1) {
    cell_of[0] = area.get();
  } else if (unique_sites.size() > 1) {
    std::vector<GEOSGeometry*> pts;
    for (std::uint32_t i : unique_sites)
      pts.push_back(GEOSGeom_createPointFromXY_r(ctx(), sites[i].x, sites[i].y));
    GeomPtr mp = make_collection(GEOS_MULTIPOINT, pts);
    diagram.reset(mp ? GEOSVoronoiDiagram_r(ctx(), mp.get(), area.get(), 0.0, 0) : nullptr);
    if (!diagram) throw std::runtime_error("GEOS Voronoi diagram failed: " + geos().last_error);
    // Match cells to sites: the cell containing the site (cells come back in no fixed order).
    Geometries cells;
    cells.kind = GeomKind::Polygon;
    const int n = GEOSGetNumGeometries_r(ctx(), diagram.get());
    std::vector<const GEOSGeometry*> cell_geom;
    for (int c = 0; c < n; ++c) {
      const GEOSGeometry* cg = GEOSGetGeometryN_r(ctx(), diagram.get(), c);
      append_parts(cg, GeomKind::Polygon, cells);
      cells.end_feature();
      cell_geom.push_back(cg);
    }
    const PolygonLocator locator(cells);
    const SpatialIndex index(cells);
    for (std::size_t u = 0; u < unique_sites.size(); ++u) {
      const Vec2 s = sites[unique_sites[u]];
      FeatureId c = locator.locate(s);
      if (c == core::INVALID_ID) c = index.nearest(s);  // a site on a cell edge by rounding
      if (c != core::INVALID_ID) cell_of[u] = cell_geom[c];
    }
  }

  for (std::size_t i = 0; i < sites.size(); ++i) {
    const std::uint32_t u = owner[i];
    const GEOSGeometry* cell = u == core::INVALID_ID ? nullptr : cell_of[u];
    if (cell) {
      if (cell == area.get() || (prep && GEOSPreparedContainsProperly_r(ctx(), prep.get(), cell) == 1)) {
        append_parts(cell, GeomKind::Polygon, out);
      } else {
        GeomPtr r = intersect(cell, area.get());
        if (!r) throw std::runtime_error("GEOS intersection failed: " + geos().last_error);
        append_parts(r.get(), GeomKind::Polygon, out);
      }
    }
    out.end_feature();
  }
  return out;
}

double distance_to(const core::Geometries& g, core::FeatureId f, core::Vec2 p) {
  if (!g.has_geometry(f)) return std::numeric_limits<double>::infinity();
  GeomPtr geom = to_geos(g, f);
  GeomPtr pt(GEOSGeom_createPointFromXY_r(ctx(), p.x, p.y));
  double d = std::numeric_limits<double>::infinity();
  if (!geom || !pt || GEOSDistance_r(ctx(), geom.get(), pt.get(), &d) != 1)
    return std::numeric_limits<double>::infinity();
  return d;
}

}  // namespace kepumap::geo

namespace kepumap::geo {

std::optional<core::Vec2> point_on_surface(const core::Geometries& g, core::FeatureId f) {
  if (!g.has_geometry(f)) return std::nullopt;
  GeomPtr geom = to_geos(g, f);
  if (!geom) return std::nullopt;
  GeomPtr pt(GEOSPointOnSurface_r(ctx(), geom.get()));
  double x = 0, y = 0;
  if (!pt || GEOSisEmpty_r(ctx(), pt.get()) == 1 || GEOSGeomGetX_r(ctx(), pt.get(), &x) != 1 ||
      GEOSGeomGetY_r(ctx(), pt.get(), &y) != 1)
    return std::nullopt;
  return core::Vec2{x, y};
}

}  // namespace kepumap::geo
