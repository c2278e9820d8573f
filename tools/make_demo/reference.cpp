#include "make_demo/reference.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "geo/geos_ops.hpp"
#include "make_demo/synth.hpp"

namespace kepumap::make_demo {
using core::Geometries;
using core::GeomKind;
using core::Vec2;
using Ty = Field::Type;

namespace {

std::string attr(const std::map<std::string, std::string>& a, const std::string& k) {
  const auto it = a.find(k);
  return it == a.end() ? std::string() : it->second;
}

std::string fmt1(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

/// What SOURCES.md says about a lake whose water has changed since WDBII mapped it.
struct LakeNote {
  std::string note;
  bool dry = false;  ///< dry today: not a barrier
};

LakeNote lake_note(const std::map<std::string, std::string>& a) {
  const std::string name = attr(a, "name");
  const double lon = std::stod(attr(a, "point_lon")), lat = std::stod(attr(a, "point_lat"));
  auto near = [&](double x, double y) { return std::abs(lon - x) < 0.01 && std::abs(lat - y) < 0.01; };
  if (name.find("岱海") != std::string::npos || name.find("黄旗海") != std::string::npos)
    return {"much smaller today than the GSHHG outline (SOURCES.md)", false};
  if (name.find("索果诺尔") != std::string::npos)
    return {"East Juyan Lake: dry around 1992–2002, refilled by water transfers since (SOURCES.md)", false};
  if (near(114.86, 43.40))
    return {
        "most likely the west basin of 查干淖尔, which dried out in the 2000s (SOURCES.md): dry land "
        "today, so not a barrier",
        true};
  if (near(115.01, 43.45))
    return {"most likely the east basin of 查干淖尔; its west basin dried out in the 2000s (SOURCES.md)",
            false};
  return {};
}

OutLayer lake_layer(const std::string& name) {
  return OutLayer{name,
                  {},
                  {{"name", Ty::Text},
                   {"lake_id", Ty::Integer},
                   {"area_km2", Ty::Real},
                   {"area_here_km2", Ty::Real},
                   {"clipped", Ty::Integer},
                   {"note", Ty::Text},
                   {"source", Ty::Text},
                   {"synthetic", Ty::Integer}},
                  {}};
}

}  // namespace

double geodesic_length_m(const Geometries& lines_ll) {
  double len = 0;
  for (std::uint32_t r = 0; r < lines_ll.ring_count(); ++r) {
    const auto pts = lines_ll.ring(r);
    for (std::size_t i = 1; i < pts.size(); ++i) len += geo::geodesic_distance(pts[i - 1], pts[i]);
  }
  return len;
}

Geometries margin_area_ll(const Geometries& study_ll, const geo::Transform& tf) {
  const Geometries grown = geo::buffer(geo::union_all(transformed(study_ll, tf)), REFERENCE_MARGIN_M);
  if (grown.feature_count() != 1 || !grown.has_geometry(0))
    throw std::runtime_error("reference layers: the study area grown by the margin is empty");
  return transformed(grown, tf, true);
}

ReferenceWater reference_water(const SourceLayer& lakes_src, const SourceLayer& rivers_src,
                               const Geometries& area_ll, const geo::Transform& tf) {
  ReferenceWater out;
  out.lakes = lake_layer("lakes");
  out.dried = lake_layer("dried_basins");
  out.lakes.geom.kind = out.dried.geom.kind = GeomKind::Polygon;
  const Geometries lakes = geo::clip(lakes_src.geom, area_ll);
  for (core::FeatureId f = 0; f < lakes.feature_count(); ++f) {
    if (!lakes.has_geometry(f)) continue;
    const auto& a = lakes_src.attrs[f];
    Geometries here;
    here.kind = GeomKind::Polygon;
    append_feature(here, lakes, f);
    const double here_km2 = total_area(transformed(here, tf)) / 1e6;
    if (!(here_km2 > 0.01)) continue;  // a sliver at the margin
    const double whole_km2 = std::stod(attr(a, "area_km2"));
    const bool clipped = here_km2 < whole_km2 * 0.999;
    std::string name = attr(a, "name");
    if (name.empty()) name = "GSHHG lake " + attr(a, "lake_id");
    const LakeNote note = lake_note(a);
    OutLayer& L = note.dry ? out.dried : out.lakes;
    append_feature(L.geom, lakes, f);
    L.rows.push_back({name, static_cast<std::int64_t>(std::stoll(attr(a, "lake_id"))), whole_km2,
                      std::round(here_km2 * 10) / 10, std::int64_t{clipped ? 1 : 0}, note.note,
                      std::string(SOURCE_GSHHG), std::int64_t{0}});
    std::string line = name + " (" + fmt1(whole_km2) + " km²";
    if (clipped) line += ", " + fmt1(here_km2) + " km² of it inside the margin";
    line += ")";
    if (!note.note.empty()) line += ": " + note.note;
    (note.dry ? out.dried_lines : out.lake_lines).push_back(line);
  }

  auto river_layer = [](const std::string& name) {
    OutLayer L{name,
               {},
               {{"river_class", Ty::Integer},
                {"class_name", Ty::Text},
                {"length_km", Ty::Real},
                {"source", Ty::Text},
                {"synthetic", Ty::Integer}},
               {}};
    L.geom.kind = GeomKind::Line;
    return L;
  };
  out.rivers = river_layer("rivers");
  out.intermittent = river_layer("intermittent_rivers");
  const Geometries rivers = geo::clip(rivers_src.geom, area_ll);
  std::map<int, std::pair<std::string, double>> by_class;
  for (core::FeatureId f = 0; f < rivers.feature_count(); ++f) {
    if (!rivers.has_geometry(f)) continue;
    const auto& a = rivers_src.attrs[f];
    Geometries one;
    one.kind = GeomKind::Line;
    append_feature(one, rivers, f);
    const double km = geodesic_length_m(one) / 1000;
    if (!(km > 0.01)) continue;
    const int cls = std::stoi(attr(a, "river_class"));
    // WDBII classes 5-7 are intermittent rivers: dry most of the year.
    OutLayer& L = cls >= 5 && cls <= 7 ? out.intermittent : out.rivers;
    append_feature(L.geom, rivers, f);
    L.rows.push_back({std::int64_t{cls}, attr(a, "class_name"), std::round(km * 10) / 10,
                      std::string(SOURCE_WDBII_RIVERS), std::int64_t{0}});
    (&L == &out.rivers ? out.river_km : out.intermittent_km) += km;
    by_class[cls].first = attr(a, "class_name");
    by_class[cls].second += km;
  }
  for (const auto& [cls, v] : by_class)
    out.river_km_by_class.push_back({std::to_string(cls) + " " + v.first, v.second});
  return out;
}

Geometries wdbii_border(const SourceLayer& borders_src, const std::vector<std::string>& codes,
                        const Geometries& area_ll) {
  const Geometries cut = geo::clip(borders_src.geom, area_ll);
  Geometries out;
  out.kind = GeomKind::Line;
  for (core::FeatureId f = 0; f < cut.feature_count(); ++f) {
    bool want = false;
    for (const auto& c : codes) want = want || attr(borders_src.attrs[f], "border") == c;
    if (!want) continue;
    for (std::uint32_t p = cut.parts_begin(f); p < cut.parts_end(f); ++p)
      for (std::uint32_t r = cut.rings_begin(p); r < cut.rings_end(p); ++r) {
        out.add_ring(cut.ring(r));
        out.end_part();
      }
  }
  out.end_feature();
  return out;
}

}  // namespace kepumap::make_demo
