#include "io/people.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "geo/crs.hpp"
#include "geo/geos_ops.hpp"

namespace kepumap::io {

namespace {

using core::Layer;
using core::Role;

bool is_unit_layer(const Layer& l) {
  return !l.is_raster && l.geom.kind == core::GeomKind::Polygon &&
         (l.role == Role::Banner || l.role == Role::Township || l.role == Role::Village);
}

long long source_feature(const Layer& l, core::FeatureId f) {
  return f < l.source_index.size() ? l.source_index[f] : static_cast<long long>(f);
}

std::string trimmed(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
}

const core::LayerSpec* spec_of(const core::Document& doc, const Layer& l) {
  for (const auto& s : doc.config.layers)
    if (s.name == l.name) return &s;
  return nullptr;
}

// A population value that is text and not a number, negative or not finite: one error at the
// first such feature.
void check_population_field(core::Document& doc, const Layer& l) {
  const int pc = l.column(l.fields.population);
  if (pc < 0) return;
  const core::Column& col = l.attrs.columns[static_cast<std::size_t>(pc)];
  for (std::size_t f = 0; f < col.size(); ++f) {
    if (col.is_null(f)) continue;
    const std::optional<double> v = col.number(f);
    std::string what;
    if (!v && col.type == core::FieldType::Text && !trimmed(col.texts[f]).empty())
      what = "population '" + col.texts[f] + "' is not a number (人口必须是数字)";
    else if (v && !(std::isfinite(*v) && *v >= 0))
      what = "population " + col.text(f) + " is negative or not finite (人口不能为负数)";
    if (what.empty()) continue;
    doc.diagnostics.error({core::Severity::Error,
                           l.report.source,
                           l.name,
                           source_feature(l, static_cast<core::FeatureId>(f)),
                           l.fields.population,
                           0,
                           std::move(what),
                           {}});
    return;
  }
}

// Candidate seats: every town and village point, ranked largest first.
struct Candidate {
  core::Vec2 p;
  double people = -1.0;  // -1: no population known
  int rank = 0;          // towns 0, villages 1
  std::size_t order = 0;
};

std::vector<Candidate> candidate_points(const core::Document& doc) {
  std::vector<Candidate> out;
  for (const auto& l : doc.layers) {
    if (l.is_raster || l.geom.kind != core::GeomKind::Point) continue;
    if (l.role != Role::Town && l.role != Role::Village) continue;
    const int pc = l.column(l.fields.population);
    for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
      if (!l.geom.has_geometry(f)) continue;
      Candidate c;
      c.p = l.geom.first_point(f);
      if (pc >= 0)
        if (auto v = l.attrs.columns[static_cast<std::size_t>(pc)].number(f)) c.people = *v;
      c.rank = l.role == Role::Town ? 0 : 1;
      c.order = out.size();
      out.push_back(c);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    if (a.people != b.people) return a.people > b.people;
    return a.rank < b.rank;
  });
  return out;
}

void default_seats(Layer& u, const std::vector<Candidate>& cands, const std::vector<std::uint8_t>& done) {
  for (core::FeatureId f = 0; f < u.geom.feature_count(); ++f) {
    if (done[f] || !u.geom.has_geometry(f)) continue;
    const core::BBox b = u.geom.feature_bbox(f);
    bool found = false;
    for (const auto& c : cands) {  // largest first: the first inside wins
      if (c.p.x < b.min_x || c.p.x > b.max_x || c.p.y < b.min_y || c.p.y > b.max_y) continue;
      if (!core::feature_contains(u.geom, f, c.p)) continue;
      u.seats[f] = c.p;
      u.seat_from[f] = Layer::SeatFrom::Point;
      found = true;
      break;
    }
    if (found) continue;
    if (auto p = geo::point_on_surface(u.geom, f))
      u.seats[f] = *p;
    else
      u.seats[f] = core::feature_centroid(u.geom, f);
    u.seat_from[f] = Layer::SeatFrom::Inside;
  }
}

// seat = { layer = "...", by = "code"|"name", field = "..." }
void joined_seats(core::Document& doc, Layer& u, const core::LayerSpec::Seat& s,
                  std::vector<std::uint8_t>& done) {
  const std::string& file = doc.config.file.string();
  const Layer* sl = nullptr;
  for (const auto& l : doc.layers)
    if (l.name == s.layer) sl = &l;
  if (!sl) {
    doc.diagnostics.error({core::Severity::Error,
                           file,
                           u.name,
                           -1,
                           "seat.layer",
                           s.line,
                           "seat layer '" + s.layer + "' is not a layer of the project (驻地图层不存在)",
                           {}});
    return;
  }
  if (sl->is_raster || sl->geom.kind != core::GeomKind::Point) {
    doc.diagnostics.error({core::Severity::Error,
                           file,
                           u.name,
                           -1,
                           "seat.layer",
                           s.line,
                           "seat layer '" + s.layer + "' must be a point layer (驻地图层必须是点)",
                           {}});
    return;
  }
  const std::string& seat_field = s.by == "code" ? sl->fields.code : sl->fields.name;
  const std::string unit_field =
      !s.field.empty() ? s.field : (s.by == "code" ? u.fields.code : u.fields.name);
  const int sc = sl->column(seat_field), uc = u.column(unit_field);
  if (sc < 0) {
    doc.diagnostics.error(
        {core::Severity::Error,
         sl->report.source,
         sl->name,
         -1,
         s.by,
         s.line,
         "the seat layer has no mapped '" + s.by + "' field to join on (驻地图层缺少连接字段)",
         {}});
    return;
  }
  if (uc < 0) {
    doc.diagnostics.error({core::Severity::Error,
                           u.report.source,
                           u.name,
                           -1,
                           unit_field.empty() ? s.by : unit_field,
                           s.line,
                           "the unit layer has no field '" + (unit_field.empty() ? s.by : unit_field) +
                               "' to join its seats on (单元图层缺少连接字段)",
                           {}});
    return;
  }
  std::unordered_map<std::string, core::FeatureId> by_key;
  for (core::FeatureId f = 0; f < sl->geom.feature_count(); ++f)
    if (sl->geom.has_geometry(f))
      by_key.emplace(trimmed(sl->attrs.columns[static_cast<std::size_t>(sc)].text(f)), f);
  std::size_t matched = 0, outside = 0;
  long long first_missed = -1, first_outside = -1;
  std::string missed_key;
  for (core::FeatureId f = 0; f < u.geom.feature_count(); ++f) {
    const std::string key = trimmed(u.attrs.columns[static_cast<std::size_t>(uc)].text(f));
    auto it = key.empty() ? by_key.end() : by_key.find(key);
    if (it == by_key.end()) {
      if (first_missed < 0) {
        first_missed = source_feature(u, f);
        missed_key = key;
      }
      continue;
    }
    ++matched;
    u.seats[f] = sl->geom.first_point(it->second);
    u.seat_from[f] = Layer::SeatFrom::Mapped;
    done[f] = 1;
    if (!core::feature_contains(u.geom, f, u.seats[f]) && outside++ == 0)
      first_outside = source_feature(u, f);
  }
  const std::size_t n = u.geom.feature_count();
  if (matched == 0 && n > 0) {
    // The line is the project file's, so it goes with that file's name, not the data file's.
    doc.diagnostics.error({core::Severity::Error,
                           u.report.source,
                           u.name,
                           first_missed,
                           unit_field,
                           0,
                           "seat join matches nothing (驻地连接无匹配): no point of '" + sl->name + "' has " +
                               s.by + " '" + missed_key + "' (the join compares " + u.name + "." +
                               unit_field + " with " + sl->name + "." + seat_field + "; seat = { … } at " +
                               (s.line > 0 ? file + ":" + std::to_string(s.line) : file) + ")",
                           {}});
    return;
  }
  if (matched < n)
    doc.diagnostics.warn({core::Severity::Warning,
                          u.report.source,
                          u.name,
                          first_missed,
                          unit_field,
                          s.line,
                          std::to_string(n - matched) + " of " + std::to_string(n) +
                              " units have no seat in '" + sl->name + "' (first: " + s.by + " '" +
                              missed_key +
                              "'); they use the largest town/village inside, else a point inside the unit",
                          {}});
  if (outside > 0)
    doc.diagnostics.warn({core::Severity::Warning,
                          u.report.source,
                          u.name,
                          first_outside,
                          "seat",
                          s.line,
                          std::to_string(outside) + " seat(s) from '" + sl->name +
                              "' lie outside their unit (驻地在单元外); they are kept as given",
                          {}});
}

// seat = { lon = "...", lat = "..." } in WGS84 degrees.
void lonlat_seats(core::Document& doc, Layer& u, const core::LayerSpec::Seat& s,
                  std::vector<std::uint8_t>& done) {
  const int xc = u.column(s.lon), yc = u.column(s.lat);
  for (auto [col, name] : {std::pair{xc, s.lon}, std::pair{yc, s.lat}})
    if (col < 0) {
      doc.diagnostics.error(
          {core::Severity::Error,
           u.report.source,
           u.name,
           -1,
           name,
           s.line,
           "seat field '" + name + "' is not an attribute of the layer (驻地经纬度字段不存在)",
           {}});
      return;
    }
  std::optional<geo::Transform> tr;
  try {
    tr.emplace("EPSG:4326", doc.analysis_crs);
  } catch (const geo::CrsError&) {
    return;  // the analysis CRS error is reported where it was chosen
  }
  std::size_t outside = 0;
  long long first_outside = -1;
  for (core::FeatureId f = 0; f < u.geom.feature_count(); ++f) {
    const auto x = u.attrs.columns[static_cast<std::size_t>(xc)].number(f);
    const auto y = u.attrs.columns[static_cast<std::size_t>(yc)].number(f);
    if (!x || !y) {
      if (u.attrs.columns[static_cast<std::size_t>(x ? yc : xc)].is_null(f))
        continue;  // no seat given: default
      const std::string& field = x ? s.lat : s.lon;
      doc.diagnostics.error({core::Severity::Error,
                             u.report.source,
                             u.name,
                             source_feature(u, f),
                             field,
                             s.line,
                             "seat coordinate '" +
                                 u.attrs.columns[static_cast<std::size_t>(x ? yc : xc)].text(f) +
                                 "' is not a number (驻地经纬度必须是数字)",
                             {}});
      return;
    }
    if (!(*x >= -180 && *x <= 180 && *y >= -90 && *y <= 90)) {
      doc.diagnostics.error({core::Severity::Error,
                             u.report.source,
                             u.name,
                             source_feature(u, f),
                             s.lon,
                             s.line,
                             "seat longitude/latitude " + std::to_string(*x) + ", " + std::to_string(*y) +
                                 " is not in degrees (驻地经纬度超出范围)",
                             {}});
      return;
    }
    const core::Vec2 p = tr->apply(core::Vec2{*x, *y});
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    u.seats[f] = p;
    u.seat_from[f] = Layer::SeatFrom::Mapped;
    done[f] = 1;
    if (!core::feature_contains(u.geom, f, p) && outside++ == 0) first_outside = source_feature(u, f);
  }
  if (outside > 0)
    doc.diagnostics.warn(
        {core::Severity::Warning,
         u.report.source,
         u.name,
         first_outside,
         s.lon,
         s.line,
         std::to_string(outside) + " seat(s) lie outside their unit (驻地在单元外); they are kept as given",
         {}});
}

}  // namespace

void place_people(core::Document& doc) {
  for (const auto& l : doc.layers) check_population_field(doc, l);
  const std::vector<Candidate> cands = candidate_points(doc);
  for (auto& u : doc.layers) {
    if (!is_unit_layer(u)) continue;
    const std::size_t n = u.geom.feature_count();
    u.seats.assign(n, core::Vec2{});
    u.seat_from.assign(n, Layer::SeatFrom::Inside);
    std::vector<std::uint8_t> done(n, 0);
    if (const core::LayerSpec* spec = spec_of(doc, u)) {
      if (!spec->seat.layer.empty())
        joined_seats(doc, u, spec->seat, done);
      else if (!spec->seat.lon.empty())
        lonlat_seats(doc, u, spec->seat, done);
    }
    default_seats(u, cands, done);
  }
}

}  // namespace kepumap::io
