#include "geo/crs.hpp"

#include <geodesic.h>
#include <proj.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

namespace kepumap::geo {

namespace {

// ---------------------------------------------------------------------------------------------
// PROJ context: one per thread, created on first use. Each Transform keeps a share of the
// context it was built in, so the context lives as long as the thread or its last Transform.
struct ThreadContext {
  PJ_CONTEXT* ctx = nullptr;
  ThreadContext() {
    ctx = proj_context_create();
    // Never reach for the network (grids): results must not depend on connectivity.
    if (ctx) proj_context_set_enable_network(ctx, 0);
    // Failures reach the caller as CrsError or NaN; PROJ's own log would only be noise.
    if (ctx) proj_log_level(ctx, PJ_LOG_NONE);
  }
  ~ThreadContext() {
    if (ctx) proj_context_destroy(ctx);
  }
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;
};

std::shared_ptr<ThreadContext> thread_context_share() {
  thread_local std::shared_ptr<ThreadContext> tc = std::make_shared<ThreadContext>();
  return tc;
}

PJ_CONTEXT* thread_context() { return thread_context_share()->ctx; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

/// PROJ strings need "+type=crs" to be read as a CRS rather than a coordinate operation.
std::string as_crs_definition(const std::string& def) {
  std::string d = trim(def);
  if (!d.empty() && d[0] == '+' && d.find("+type=crs") == std::string::npos) d += " +type=crs";
  return d;
}

std::string proj_error_text(PJ_CONTEXT* ctx) {
  const int err = proj_context_errno(ctx);
  const char* msg = err ? proj_context_errno_string(ctx, err) : nullptr;
  return msg ? std::string(msg) : std::string("unknown PROJ error");
}

struct PjDeleter {
  void operator()(PJ* p) const {
    if (p) proj_destroy(p);
  }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

/// Creates a CRS object from a definition; throws CrsError naming it.
PjPtr make_crs(PJ_CONTEXT* ctx, const std::string& def) {
  const std::string d = as_crs_definition(def);
  if (d.empty()) throw CrsError("empty CRS definition / 坐标系定义为空");
  proj_errno_reset(nullptr);
  PjPtr crs(proj_create(ctx, d.c_str()));
  if (!crs) {
    throw CrsError("无法识别的坐标系 / unknown CRS \"" + def + "\": " + proj_error_text(ctx));
  }
  if (!proj_is_crs(crs.get())) {
    throw CrsError("不是坐标系定义 / not a CRS definition: \"" + def + "\"");
  }
  return crs;
}

enum class Offset : std::uint8_t { None, Gcj02, Bd09 };

Offset offset_kind(const std::string& def) {
  if (is_gcj02(def)) return Offset::Gcj02;
  if (is_bd09(def)) return Offset::Bd09;
  return Offset::None;
}

/// Offset system -> WGS84 longitude/latitude.
core::Vec2 offset_to_wgs84(Offset k, core::Vec2 p) {
  switch (k) {
    case Offset::Gcj02:
      return gcj02_to_wgs84(p);
    case Offset::Bd09:
      return gcj02_to_wgs84(bd09_to_gcj02(p));
    case Offset::None:
      break;
  }
  return p;
}

/// WGS84 longitude/latitude -> offset system.
core::Vec2 wgs84_to_offset(Offset k, core::Vec2 p) {
  switch (k) {
    case Offset::Gcj02:
      return wgs84_to_gcj02(p);
    case Offset::Bd09:
      return gcj02_to_bd09(wgs84_to_gcj02(p));
    case Offset::None:
      break;
  }
  return p;
}

bool finite(core::Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = std::numbers::pi;

// ---------------------------------------------------------------------------------------------
// GCJ-02: the published offset formula (Krasovsky 1940 ellipsoid constants, polynomial plus
// sine terms in the distance from 105E 35N, converted from metres to degrees).
constexpr double kKrasovskyA = 6378245.0;
constexpr double kKrasovskyE2 = 0.00669342162296594323;

bool outside_china(core::Vec2 p) { return p.x < 72.004 || p.x > 137.8347 || p.y < 0.8293 || p.y > 55.8271; }

double gcj_shift_lat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}

double gcj_shift_lon(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}

constexpr double kBdFactor = kPi * 3000.0 / 180.0;

}  // namespace

// -------------------------------------------------------------------------------------------------
// Offset systems

bool is_gcj02(const std::string& def) {
  const std::string d = lower(trim(def));
  return d == "gcj-02" || d == "gcj02" || d == "gcj" || d == "gcj_02" || d == "gcj 02";
}

bool is_bd09(const std::string& def) {
  const std::string d = lower(trim(def));
  return d == "bd-09" || d == "bd09" || d == "bd_09" || d == "bd 09" || d == "baidu";
}

core::Vec2 wgs84_to_gcj02(core::Vec2 p) {
  if (!finite(p) || outside_china(p)) return p;
  const double dx = p.x - 105.0, dy = p.y - 35.0;
  double dlat = gcj_shift_lat(dx, dy);
  double dlon = gcj_shift_lon(dx, dy);
  const double rad_lat = p.y / 180.0 * kPi;
  const double s = std::sin(rad_lat);
  const double w = 1.0 - kKrasovskyE2 * s * s;
  const double sw = std::sqrt(w);
  // Metres to degrees: meridional radius of curvature for latitude, parallel radius for longitude.
  dlat = dlat * 180.0 / ((kKrasovskyA * (1.0 - kKrasovskyE2)) / (w * sw) * kPi);
  dlon = dlon * 180.0 / (kKrasovskyA / sw * std::cos(rad_lat) * kPi);
  return {p.x + dlon, p.y + dlat};
}

core::Vec2 gcj02_to_wgs84(core::Vec2 g) {
  if (!finite(g) || outside_china(g)) return g;
  // Fixed point: w <- w + (g - f(w)). The offset varies slowly (its derivative is ~1e-3), so
  // every step gains about three digits; 1e-10 degrees is well below a millimetre.
  core::Vec2 w = g;
  for (int i = 0; i < 30; ++i) {
    const core::Vec2 f = wgs84_to_gcj02(w);
    const double ex = g.x - f.x, ey = g.y - f.y;
    w.x += ex;
    w.y += ey;
    if (std::abs(ex) < 1e-10 && std::abs(ey) < 1e-10) break;
  }
  return w;
}

core::Vec2 gcj02_to_bd09(core::Vec2 p) {
  if (!finite(p)) return p;
  const double z = std::hypot(p.x, p.y) + 0.00002 * std::sin(p.y * kBdFactor);
  const double t = std::atan2(p.y, p.x) + 0.000003 * std::cos(p.x * kBdFactor);
  return {z * std::cos(t) + 0.0065, z * std::sin(t) + 0.006};
}

core::Vec2 bd09_to_gcj02(core::Vec2 b) {
  if (!finite(b)) return b;
  // The usual closed-form approximate inverse, then refined by fixed-point iteration on the
  // forward formula so the round trip is exact to well under a millimetre.
  const double x = b.x - 0.0065, y = b.y - 0.006;
  const double z = std::hypot(x, y) - 0.00002 * std::sin(y * kBdFactor);
  const double t = std::atan2(y, x) - 0.000003 * std::cos(x * kBdFactor);
  core::Vec2 w{z * std::cos(t), z * std::sin(t)};
  for (int i = 0; i < 10; ++i) {
    const core::Vec2 f = gcj02_to_bd09(w);
    const double ex = b.x - f.x, ey = b.y - f.y;
    w.x += ex;
    w.y += ey;
    if (std::abs(ex) < 1e-11 && std::abs(ey) < 1e-11) break;
  }
  return w;
}

// -------------------------------------------------------------------------------------------------
// Transform

struct Transform::Impl {
  std::shared_ptr<ThreadContext> context;  // declared first: destroyed after `op`
  PJ_CONTEXT* ctx = nullptr;
  PjPtr op;  // null when source and target are the same PROJ CRS (after offset handling)
  Offset from_offset = Offset::None;
  Offset to_offset = Offset::None;

  bool run(std::span<core::Vec2> pts, bool forward) const {
    const Offset pre = forward ? from_offset : to_offset;
    const Offset post = forward ? to_offset : from_offset;
    bool ok = true;
    if (pre != Offset::None)
      for (core::Vec2& p : pts) p = offset_to_wgs84(pre, p);
    if (op && !pts.empty()) {
      proj_errno_reset(op.get());
      constexpr std::size_t stride = sizeof(core::Vec2);
      proj_trans_generic(op.get(), forward ? PJ_FWD : PJ_INV, &pts[0].x, stride, pts.size(), &pts[0].y,
                         stride, pts.size(), nullptr, 0, 0, nullptr, 0, 0);
    }
    for (core::Vec2& p : pts) {
      if (!finite(p)) {  // PROJ marks failures with HUGE_VAL (infinity)
        p = {kNaN, kNaN};
        ok = false;
      } else if (post != Offset::None) {
        p = wgs84_to_offset(post, p);
      }
    }
    return ok;
  }
};

Transform::Transform(const std::string& from, const std::string& to) : m(std::make_unique<Impl>()) {
  m->context = thread_context_share();
  m->ctx = m->context->ctx;
  if (!m->ctx) throw CrsError("PROJ context could not be created / 无法创建 PROJ 环境");
  m->from_offset = offset_kind(from);
  m->to_offset = offset_kind(to);
  const std::string src = m->from_offset != Offset::None ? std::string("EPSG:4326") : from;
  const std::string dst = m->to_offset != Offset::None ? std::string("EPSG:4326") : to;
  PjPtr a = make_crs(m->ctx, src);
  PjPtr b = make_crs(m->ctx, dst);
  if (trim(src) == trim(dst)) return;  // identity apart from any offset steps
  PjPtr raw(proj_create_crs_to_crs_from_pj(m->ctx, a.get(), b.get(), nullptr, nullptr));
  if (!raw) {
    throw CrsError("无法建立坐标转换 / no transformation from \"" + from + "\" to \"" + to +
                   "\": " + proj_error_text(m->ctx));
  }
  // Longitude/latitude and easting/northing order whatever the CRS's official axis order.
  m->op.reset(proj_normalize_for_visualization(m->ctx, raw.get()));
  if (!m->op) {
    throw CrsError("无法规范坐标轴顺序 / cannot normalise axis order from \"" + from + "\" to \"" + to +
                   "\": " + proj_error_text(m->ctx));
  }
}

Transform::~Transform() = default;
Transform::Transform(Transform&&) noexcept = default;
Transform& Transform::operator=(Transform&&) noexcept = default;

bool Transform::apply(std::span<core::Vec2> pts) const { return m->run(pts, true); }

core::Vec2 Transform::apply(core::Vec2 p) const {
  m->run(std::span<core::Vec2>(&p, 1), true);
  return p;
}

bool Transform::apply_inverse(std::span<core::Vec2> pts) const { return m->run(pts, false); }

core::Vec2 Transform::apply_inverse(core::Vec2 p) const {
  m->run(std::span<core::Vec2>(&p, 1), false);
  return p;
}

// -------------------------------------------------------------------------------------------------
// Analysis CRS, names, geodesics

std::string analysis_crs_for(const core::BBox& e) {
  if (e.empty() || !std::isfinite(e.min_x) || !std::isfinite(e.max_x) || !std::isfinite(e.min_y) ||
      !std::isfinite(e.max_y)) {
    throw CrsError("cannot choose an analysis CRS for an empty extent / 范围为空，无法选择分析坐标系");
  }
  if (!looks_like_lonlat(e)) {
    throw CrsError("analysis CRS needs a longitude/latitude extent / 分析坐标系需要经纬度范围");
  }
  double lat_min = e.min_y, lat_max = e.max_y;
  // A very small extent would put both standard parallels on one latitude; spread them over at
  // least one degree (harmless: the distortion over a small area is tiny either way).
  if (lat_max - lat_min < 1.0) {
    const double c = (lat_min + lat_max) / 2;
    lat_min = std::max(-89.0, c - 0.5);
    lat_max = std::min(89.0, c + 0.5);
  }
  const double span = lat_max - lat_min;
  double lat1 = lat_min + span / 6.0;
  double lat2 = lat_min + span * 5.0 / 6.0;
  // Parallels symmetric about the equator make the cone degenerate (n = 0).
  if (std::abs(lat1 + lat2) < 1e-6) lat2 += 0.5;
  const double lat0 = (e.min_y + e.max_y) / 2;
  const double lon0 = (e.min_x + e.max_x) / 2;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "+proj=aea +lat_1=%.4f +lat_2=%.4f +lat_0=%.4f +lon_0=%.4f +x_0=0 +y_0=0 "
                "+datum=WGS84 +units=m +no_defs +type=crs",
                lat1, lat2, lat0, lon0);
  return buf;
}

namespace {

/// Value of "+key=" in a PROJ string, or NaN.
double proj_param(const std::string& def, const std::string& key) {
  const std::string k = "+" + key + "=";
  const auto pos = def.find(k);
  if (pos == std::string::npos) return kNaN;
  try {
    return std::stod(def.substr(pos + k.size()));
  } catch (const std::exception&) {
    return kNaN;
  }
}

}  // namespace

std::string crs_short_name(const std::string& def) {
  if (is_gcj02(def)) return "GCJ-02";
  if (is_bd09(def)) return "BD-09";
  const std::string d = trim(def);
  if (d.find("+proj=aea") != std::string::npos) {
    const double lat0 = proj_param(d, "lat_0"), lon0 = proj_param(d, "lon_0");
    if (std::isfinite(lat0) && std::isfinite(lon0)) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "Albers %.1f%c %.1f%c", std::abs(lat0), lat0 >= 0 ? 'N' : 'S',
                    std::abs(lon0), lon0 >= 0 ? 'E' : 'W');
      return buf;
    }
  }
  PJ_CONTEXT* ctx = thread_context();
  PjPtr crs(ctx ? proj_create(ctx, as_crs_definition(d).c_str()) : nullptr);
  if (!crs) return d.size() > 60 ? d.substr(0, 57) + "..." : d;
  std::string out;
  const char* auth = proj_get_id_auth_name(crs.get(), 0);
  const char* code = proj_get_id_code(crs.get(), 0);
  if (auth && code) out = std::string(auth) + ":" + code;
  const char* name = proj_get_name(crs.get());
  if (name && *name && std::string(name) != "unknown") {
    if (!out.empty()) out += ' ';
    out += name;
  }
  if (out.empty()) out = d.size() > 60 ? d.substr(0, 57) + "..." : d;
  return out;
}

double geodesic_distance(core::Vec2 a, core::Vec2 b) {
  static const geod_geodesic wgs84 = [] {
    geod_geodesic g{};
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    return g;
  }();
  double s12 = 0.0;
  geod_inverse(&wgs84, a.y, a.x, b.y, b.x, &s12, nullptr, nullptr);
  return s12;
}

bool looks_like_lonlat(const core::BBox& b) {
  return !b.empty() && b.min_x >= -180.0 && b.max_x <= 180.0 && b.min_y >= -90.0 && b.max_y <= 90.0;
}

}  // namespace kepumap::geo
