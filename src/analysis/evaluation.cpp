#include "analysis/evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "analysis/access_project.hpp"
#include "core/rasterize.hpp"
#include "geo/spatial_index.hpp"

namespace kepumap::analysis {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

const core::Layer* find_polygons(const core::Document& doc, core::Role role) {
  for (const auto& l : doc.layers)
    if (l.role == role && !l.is_raster && l.geom.kind == core::GeomKind::Polygon &&
        l.geom.feature_count() > 0)
      return &l;
  return nullptr;
}

std::string text_of(const core::Layer& l, int col, core::FeatureId f) {
  return col >= 0 ? l.attrs.columns[col].text(f) : std::string();
}

/// Where a facility feature stands: the point, or the centroid of a polygon or line.
core::Vec2 facility_point(const core::Geometries& g, core::FeatureId f) {
  return g.kind == core::GeomKind::Point ? g.first_point(f) : core::feature_centroid(g, f);
}

double number_of(const core::Layer& l, int col, core::FeatureId f, double fallback) {
  if (col < 0) return fallback;
  const auto v = l.attrs.columns[col].number(f);
  return v ? *v : fallback;
}

UnitLevel level_from_layer(const core::Layer& l, std::string name) {
  UnitLevel lv;
  lv.name = std::move(name);
  const int nc = l.column(l.fields.name), cc = l.column(l.fields.code);
  for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
    std::string n = text_of(l, nc, f);
    if (n.empty()) n = l.name + " #" + std::to_string(f + 1);
    lv.names.push_back(std::move(n));
    lv.codes.push_back(text_of(l, cc, f));
  }
  lv.parent.assign(lv.names.size(), core::INVALID_ID);
  return lv;
}

// Parent of each child polygon: the parent polygon holding most of the child's cells, or the
// one containing its centroid when the child is smaller than a cell.
std::vector<core::Id> parents_by_overlap(const core::Layer& child, const core::Layer& parent,
                                         const core::GridF& frame) {
  core::GridI pid(frame.width, frame.height, frame.origin_x, frame.origin_y, frame.cell, -1);
  core::rasterize_feature_ids(pid, parent.geom);
  std::vector<core::Id> out(child.geom.feature_count(), core::INVALID_ID);
  std::vector<double> xs;
  std::map<std::int32_t, int> votes;
  for (core::FeatureId f = 0; f < child.geom.feature_count(); ++f) {
    votes.clear();
    core::for_each_cell_in_feature(pid, child.geom, f, xs, [&](int c, int r) {
      if (pid.at(c, r) >= 0) ++votes[pid.at(c, r)];
    });
    int best = 0;
    for (const auto& [p, n] : votes)
      if (n > best) {
        best = n;
        out[f] = static_cast<core::Id>(p);
      }
    if (out[f] == core::INVALID_ID) {
      const core::Vec2 c = core::feature_centroid(child.geom, f);
      for (core::FeatureId p = 0; p < parent.geom.feature_count(); ++p)
        if (core::feature_contains(parent.geom, p, c)) {
          out[f] = p;
          break;
        }
    }
  }
  return out;
}

core::GridF frame_like(const core::GridF& frame, float fill) {
  return core::GridF(frame.width, frame.height, frame.origin_x, frame.origin_y, frame.cell, fill);
}

// Demand without a population raster: people of populated town/village points at their cells;
// the rest of each finest unit's population total (its field minus the points inside it) goes
// [demand] seat_share at its seat and the remainder evenly over its land cells (lake cells left out).
void place_point_and_unit_people(const core::Document& doc, const core::Layer& fin, const core::GridF& frame,
                                 StudyArea& area, core::Diagnostics& diag) {
  const std::size_t nu = fin.geom.feature_count();
  const double share = std::clamp(doc.config.demand.seat_share, 0.0, 1.0);
  std::vector<double> at_points(nu, 0.0);
  double point_people = 0, lost_people = 0;
  std::size_t points = 0, lost = 0;
  std::string point_layers;
  for (const auto& l : doc.layers) {
    if (l.is_raster || l.geom.kind != core::GeomKind::Point) continue;
    if (l.role != core::Role::Town && l.role != core::Role::Village) continue;
    const int pc = l.column(l.fields.population);
    if (pc < 0) continue;
    point_layers += (point_layers.empty() ? "'" : ", '") + l.name + "'";
    for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
      const double v = number_of(l, pc, f, 0.0);
      if (!(v > 0) || !l.geom.has_geometry(f)) continue;
      const core::Vec2 p = l.geom.first_point(f);
      const int c = frame.col_of(p.x), r = frame.row_of(p.y);
      const std::int32_t u = frame.in_bounds(c, r) ? area.demand.unit.at(c, r) : -1;
      std::int32_t unit = u;
      if (unit < 0 && frame.in_bounds(c, r))  // a point just outside its polygon's cells
        for (core::FeatureId g = 0; g < nu && unit < 0; ++g)
          if (core::feature_contains(fin.geom, g, p)) unit = static_cast<std::int32_t>(g);
      if (unit < 0) {
        lost_people += v;
        ++lost;
        continue;
      }
      area.demand.people.at(c, r) += static_cast<float>(v);
      if (u < 0) area.demand.unit.at(c, r) = unit;
      at_points[static_cast<std::size_t>(unit)] += v;
      point_people += v;
      ++points;
    }
  }
  if (lost > 0)
    diag.warn({core::Severity::Warning,
               doc.config.file.string(),
               "",
               -1,
               "population",
               0,
               std::to_string(lost) + " populated point(s) with " +
                   std::to_string(static_cast<long long>(std::llround(lost_people))) +
                   " people lie outside every " + fin.name +
                   " unit (在研究区外 outside the study area) and are not counted",
               {}});
  const int pc = fin.column(fin.fields.population);
  if (pc < 0 && points == 0)
    diag.warn({core::Severity::Warning,
               fin.report.source,
               fin.name,
               -1,
               "population",
               0,
               "no population raster, no population field and no populated town/village points: every figure "
               "will be zero",
               {}});
  std::vector<double> rest(nu, 0.0);
  std::size_t over = 0;
  long long first_over = -1;
  for (core::FeatureId f = 0; f < nu; ++f) {
    if (pc < 0) continue;
    const double total = std::max(0.0, number_of(fin, pc, f, 0.0));
    rest[f] = std::max(0.0, total - at_points[f]);
    if (at_points[f] > total + 0.5 && over++ == 0)
      first_over = f < fin.source_index.size() ? fin.source_index[f] : f;
  }
  if (over > 0)
    diag.warn({core::Severity::Warning,
               fin.report.source,
               fin.name,
               first_over,
               fin.fields.population,
               0,
               std::to_string(over) +
                   " unit(s) hold more people at their points than their population field says; "
                   "the points are counted as given",
               {}});
  core::Grid<std::uint8_t> lakes(frame.width, frame.height, frame.origin_x, frame.origin_y, frame.cell, 0);
  const ProjectWater water = project_water(doc);
  if (water.lakes.feature_count() > 0) fill_polygons(lakes, water.lakes, std::uint8_t{1});
  const core::GridF spread = spread_population(area.demand.unit, rest, area.facts.seat, share, lakes.data);
  for (std::size_t i = 0; i < spread.data.size(); ++i) area.demand.people.data[i] += spread.data[i];

  char pct[64];
  std::snprintf(pct, sizeof pct, "%g %% at its seat, %g %%", 100.0 * share, 100.0 * (1.0 - share));
  char share_text[32];
  std::snprintf(share_text, sizeof share_text, "%g", share);
  std::string rule;
  if (points > 0)
    rule = std::to_string(static_cast<long long>(std::llround(point_people))) + " people at " +
           std::to_string(points) + " points of " + point_layers + "; ";
  if (pc >= 0)
    rule += std::string(points > 0 ? "the rest of " : "") + "each " + fin.name +
            " unit's population: " + pct +
            " over its land (lakes excluded) ([demand] seat_share = " + std::string(share_text) + ")";
  else if (points == 0)
    rule = "no population";
  area.demand_rule = rule;
}

}  // namespace

StudyArea build_study_area(const core::Document& doc, const core::GridF& frame, core::Diagnostics& diag) {
  StudyArea area;
  const core::Layer* village = find_polygons(doc, core::Role::Village);
  const core::Layer* township = find_polygons(doc, core::Role::Township);
  const core::Layer* banner = find_polygons(doc, core::Role::Banner);
  const std::string top_name = doc.config.name.empty() ? "全部" : doc.config.name;

  // Levels, finest first, with parents by overlap.
  std::vector<const core::Layer*> chain;
  if (village) chain.push_back(village);
  if (township) chain.push_back(township);
  if (banner && (!chain.empty() || banner->geom.feature_count() == 1)) chain.push_back(banner);
  if (!chain.empty()) {
    for (std::size_t i = 0; i < chain.size(); ++i) {
      const core::Layer* l = chain[i];
      area.levels.push_back(level_from_layer(*l, l == village    ? "village"
                                                 : l == township ? "township"
                                                                 : "banner"));
      area.level_layers.push_back(l);
      if (i > 0) area.levels[i - 1].parent = parents_by_overlap(*chain[i - 1], *l, frame);
    }
    if (area.levels.back().names.size() > 1) {
      UnitLevel top{"banner", {top_name}, {doc.config.region}, {core::INVALID_ID}};
      std::fill(area.levels.back().parent.begin(), area.levels.back().parent.end(), 0);
      area.levels.push_back(std::move(top));
      area.level_layers.push_back(nullptr);
    }
    area.finest = chain.front();
  } else if (banner) {
    // A region project: counties, their leagues (column "league"), the region.
    area.finest = banner;
    area.levels.push_back(level_from_layer(*banner, "county"));
    area.level_layers.push_back(banner);
    const int lc = banner->attrs.find("league");
    if (lc >= 0) {
      UnitLevel leagues{"league", {}, {}, {}};
      for (core::FeatureId f = 0; f < banner->geom.feature_count(); ++f) {
        const std::string name = banner->attrs.columns[lc].text(f);
        auto it = std::find(leagues.names.begin(), leagues.names.end(), name);
        if (it == leagues.names.end()) {
          leagues.names.push_back(name);
          leagues.codes.emplace_back();
          leagues.parent.push_back(0);
          it = leagues.names.end() - 1;
        }
        area.levels[0].parent[f] = static_cast<core::Id>(it - leagues.names.begin());
      }
      area.levels.push_back(std::move(leagues));
      area.level_layers.push_back(nullptr);
    } else {
      std::fill(area.levels[0].parent.begin(), area.levels[0].parent.end(), 0);
    }
    area.levels.push_back({"region", {top_name}, {doc.config.region}, {core::INVALID_ID}});
    area.level_layers.push_back(nullptr);
  } else {
    diag.error({core::Severity::Error,
                doc.config.file.string(),
                "",
                -1,
                "",
                0,
                "no polygon layer with role village, township or banner: nothing to measure coverage over",
                {}});
    return area;
  }

  // Finest unit per cell.
  const core::Layer& fin = *area.finest;
  area.demand.unit = core::GridI(frame.width, frame.height, frame.origin_x, frame.origin_y, frame.cell, -1);
  core::rasterize_feature_ids(area.demand.unit, fin.geom);
  const std::size_t nu = fin.geom.feature_count();

  // Seats: as loaded (io::place_people: the seat mapping, the largest town/village inside, or a
  // point inside the unit); for documents built in memory, the unit's representative point. The
  // same seats are what travel/times.csv reports from.
  area.facts.seat.resize(nu);
  if (fin.seats.size() == nu) {
    area.facts.seat = fin.seats;
  } else {
    for (core::FeatureId f = 0; f < nu; ++f) area.facts.seat[f] = core::representative_point(fin.geom, f);
  }

  // Demand: the population raster if there is one, else the finest units' populations.
  const core::Layer* pop_raster = nullptr;
  for (const auto& l : doc.layers)
    if (l.role == core::Role::Population && l.is_raster) pop_raster = &l;
  area.demand.people = frame_like(frame, 0.0f);
  if (pop_raster) {
    const core::GridF& src = pop_raster->raster;
    double total = 0, placed = 0;
    for (int r = 0; r < src.height; ++r)
      for (int c = 0; c < src.width; ++c) {
        const float v = src.at(c, r);
        if (!(v > 0) || v == src.nodata) continue;
        total += v;
        const core::Vec2 p = src.cell_center(c, r);
        const int fc = frame.col_of(p.x), fr = frame.row_of(p.y);
        if (!frame.in_bounds(fc, fr)) continue;
        area.demand.people.at(fc, fr) += v;
        placed += v;
      }
    area.demand_rule = "population raster '" + pop_raster->name + "' summed into " +
                       std::to_string(static_cast<int>(frame.cell)) + " m cells";
    if (total > 0 && placed < total * 0.999)
      diag.warn({core::Severity::Warning,
                 pop_raster->report.source,
                 pop_raster->name,
                 -1,
                 "",
                 0,
                 "part of the population raster lies outside the travel grid and is not counted",
                 {}});
  } else {
    place_point_and_unit_people(doc, fin, frame, area, diag);
  }

  // People in cells whose centre lies just outside every unit (along the edges) belong to the
  // nearest unit cell within three cells, so unit totals add up to the demand total.
  {
    core::GridI& ug = area.demand.unit;
    const core::GridI snapshot = ug;
    for (int r = 0; r < ug.height; ++r)
      for (int c = 0; c < ug.width; ++c) {
        if (snapshot.at(c, r) >= 0 || !(area.demand.people.at(c, r) > 0)) continue;
        std::int32_t found = -1;
        double best = 1e300;
        for (int dr = -3; dr <= 3; ++dr)
          for (int dc = -3; dc <= 3; ++dc) {
            const int cc = c + dc, rr = r + dr;
            if (!snapshot.in_bounds(cc, rr) || snapshot.at(cc, rr) < 0) continue;
            const double d = dc * dc + dr * dr;
            if (d < best) {
              best = d;
              found = snapshot.at(cc, rr);
            }
          }
        ug.at(c, r) = found;
      }
  }

  // Pastoral flag (or share), border distance from the seat.
  area.facts.pastoral.assign(nu, 0.0);
  const int pc = fin.column(fin.fields.pastoral);
  for (core::FeatureId f = 0; f < nu; ++f)
    area.facts.pastoral[f] = std::clamp(number_of(fin, pc, f, 0.0), 0.0, 1.0);
  // Border distance where the people are: per populated cell (its centre), and per unit the
  // nearest of its populated cells (its seat when it has none).
  area.facts.border_distance_m.assign(nu, k_inf);
  area.facts.border_cell_m = core::GridF();
  for (const auto& l : doc.layers) {
    if (l.role != core::Role::Border || l.is_raster || l.geom.feature_count() == 0) continue;
    const geo::SpatialIndex index(l.geom);
    if (area.facts.border_cell_m.data.empty())
      area.facts.border_cell_m = frame_like(frame, static_cast<float>(k_inf));
    const core::GridF& people = area.demand.people;
    std::vector<std::uint8_t> has_people(nu, 0);
    for (int r = 0; r < people.height; ++r)
      for (int c = 0; c < people.width; ++c) {
        const std::int32_t u = area.demand.unit.at(c, r);
        if (!(people.at(c, r) > 0) || u < 0) continue;
        double d = k_inf;
        if (index.nearest(people.cell_center(c, r), &d) == core::INVALID_ID) continue;
        float& cell = area.facts.border_cell_m.at(c, r);
        cell = std::min(cell, static_cast<float>(d));
        has_people[u] = 1;
        area.facts.border_distance_m[u] =
            std::min(area.facts.border_distance_m[u], static_cast<double>(cell));
      }
    for (core::FeatureId f = 0; f < nu; ++f) {
      double d = k_inf;
      if (!has_people[f] && index.nearest(area.facts.seat[f], &d) != core::INVALID_ID)
        area.facts.border_distance_m[f] = std::min(area.facts.border_distance_m[f], d);
    }
  }
  area.facts.remoteness_s.assign(nu, 0.0);
  return area;
}

std::string describe_demand(const core::Document& doc) {
  for (const auto& l : doc.layers)
    if (l.role == core::Role::Population && l.is_raster)
      return "population raster '" + l.name + "' (人口栅格), summed into the travel cells";
  const core::Layer* fin = find_polygons(doc, core::Role::Village);
  if (!fin) fin = find_polygons(doc, core::Role::Township);
  if (!fin) fin = find_polygons(doc, core::Role::Banner);
  std::string points;
  for (const auto& l : doc.layers)
    if (!l.is_raster && l.geom.kind == core::GeomKind::Point &&
        (l.role == core::Role::Town || l.role == core::Role::Village) && l.column(l.fields.population) >= 0)
      points += (points.empty() ? "'" : ", '") + l.name + "'";
  std::string out;
  if (!points.empty()) out = "people of the points of " + points + " at those points (人口点); ";
  if (fin && fin->column(fin->fields.population) >= 0) {
    const double share = std::clamp(doc.config.demand.seat_share, 0.0, 1.0);
    char b[160];
    std::snprintf(b, sizeof b,
                  "%g %% at its seat, %g %% evenly over its land, lakes excluded ([demand] seat_share = %g",
                  100.0 * share, 100.0 * (1.0 - share), share);
    out += std::string(points.empty() ? "" : "the rest of ") + "each '" + fin->name +
           "' unit's population field: " + b + (doc.config.demand.line > 0 ? ")" : "; the default)");
  } else if (points.empty()) {
    out = "none: no population raster, population field or populated town/village points (无人口数据)";
  }
  return out;
}

void fill_seat_access(StudyArea& area, const TravelModel& model) {
  const std::size_t nu = area.facts.seat.size();
  area.facts.seat_cell.assign(nu, -1);
  area.facts.seat_access_s.assign(nu, 0.0);
  const core::GridI& ug = area.demand.unit;
  for (std::size_t u = 0; u < nu; ++u) {
    const PointAnchor a = anchor_point(model, area.facts.seat[u]);
    if (!a.ok) continue;
    const core::Vec2 cp = model.node_point(a.node);
    const int c = ug.col_of(cp.x), r = ug.row_of(cp.y);
    if (!ug.in_bounds(c, r)) continue;
    area.facts.seat_cell[u] = static_cast<std::int64_t>(r) * ug.width + c;
    area.facts.seat_access_s[u] = a.cost / DS_PER_S;
  }
}

void fill_remoteness(StudyArea& area, const core::Document& doc, const TravelModel& model) {
  fill_seat_access(area, model);
  std::vector<core::Vec2> towns;
  for (const auto& l : doc.layers)
    if (l.role == core::Role::Town && !l.is_raster)
      for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f)
        if (l.geom.has_geometry(f))
          towns.push_back(l.geom.kind == core::GeomKind::Point ? l.geom.first_point(f)
                                                               : core::feature_centroid(l.geom, f));
  if (towns.empty()) return;
  const TravelSurface s = travel_surface(model, towns);
  // Where the people are: the people-weighted mean time of each unit's populated cells; the
  // seat's time for a unit without people.
  const std::size_t nu = area.facts.seat.size();
  std::vector<double> sum(nu, 0.0), pop(nu, 0.0);
  const core::GridF& people = area.demand.people;
  if (people.data.size() == s.seconds.data.size() && area.demand.unit.data.size() == people.data.size())
    for (std::size_t i = 0; i < people.data.size(); ++i) {
      const std::int32_t u = area.demand.unit.data[i];
      const double p = people.data[i], t = s.seconds.data[i];
      if (!(p > 0) || u < 0 || static_cast<std::size_t>(u) >= nu || !std::isfinite(t)) continue;
      sum[u] += p * t;
      pop[u] += p;
    }
  for (std::size_t u = 0; u < nu; ++u) {
    if (pop[u] > 0) {
      area.facts.remoteness_s[u] = sum[u] / pop[u];
      continue;
    }
    const double t = point_time(model, s, area.facts.seat[u]);
    area.facts.remoteness_s[u] = std::isfinite(t) ? t : 0.0;
  }
}

std::vector<FacilitySet> facility_sets(const core::Document& doc, const StudyArea& area) {
  std::vector<FacilitySet> sets;
  for (const core::ServiceStandard& st : doc.config.standards) {
    FacilitySet s;
    s.facility = st.facility;
    s.label = st.label;
    if (s.label.empty()) s.label = st.facility;
    s.mobile = st.minutes <= 0 && st.visits_per_year > 0;
    s.standard_s = st.minutes * 60.0;
    s.visits_required = std::max(1, st.visits_per_year);
    s.capacity_unit = st.capacity_unit;
    s.capacity_order = st.capacity_order;
    if (!s.mobile) {
      const auto role = core::role_from_name(st.facility);
      for (const auto& l : doc.layers) {
        if (!role || l.role != *role || l.is_raster) continue;
        const int nc = l.column(l.fields.name), lc = l.column(l.fields.level);
        const int ac = l.attrs.find("floor_area_m2");
        const int cc = l.column(l.fields.capacity);
        const int oc = st.capacity_order == "field" ? l.attrs.find(st.order_field) : -1;
        if (cc >= 0) s.has_capacity = true;
        for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
          if (!l.geom.has_geometry(f)) continue;
          s.points.push_back(facility_point(l.geom, f));
          s.names.push_back(text_of(l, nc, f));
          s.levels.push_back(text_of(l, lc, f));
          s.floor_area_m2.push_back(number_of(l, ac, f, 0.0));
          s.capacity.push_back(std::max(0.0, number_of(l, cc, f, k_inf)));
          s.order_key.push_back(number_of(l, oc, f, k_inf));
        }
      }
    } else {
      // Visits per finest unit from the stops layers: a stop counts for the service named in
      // its `service` column, or for "caravan" when there is no such column.
      s.visits.assign(area.levels.empty() ? 0 : area.levels[0].names.size(), 0);
      for (const auto& l : doc.layers) {
        if (l.role != core::Role::CaravanStop || l.is_raster) continue;
        const int svc = l.attrs.find("service"), vc = l.attrs.find("visits_per_year");
        for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
          const std::string service = svc >= 0 ? l.attrs.columns[svc].text(f) : std::string("caravan");
          if (service != st.facility || !l.geom.has_geometry(f)) continue;
          const core::Vec2 p = l.geom.first_point(f);
          const core::GridI& ug = area.demand.unit;
          const int c = ug.col_of(p.x), r = ug.row_of(p.y);
          if (!ug.in_bounds(c, r) || ug.at(c, r) < 0) continue;
          s.visits[ug.at(c, r)] += static_cast<int>(std::lround(number_of(l, vc, f, 1.0)));
        }
      }
    }
    sets.push_back(std::move(s));
  }
  return sets;
}

std::vector<core::Problem> capacity_problems(const core::Document& doc, const core::ServiceStandard& st) {
  std::vector<core::Problem> out;
  const auto role = core::role_from_name(st.facility);
  if (!role) return out;
  for (const auto& l : doc.layers) {
    if (l.role != *role || l.is_raster) continue;
    auto check = [&](const std::string& field, bool allow_missing) {
      if (field.empty()) return;
      const int col = l.attrs.find(field);
      if (col < 0) {
        out.push_back({core::Severity::Error,
                       l.report.source,
                       l.name,
                       -1,
                       field,
                       0,
                       "no such field in the layer (needed by the [[standard]] for '" + st.facility + "')",
                       {}});
        return;
      }
      const core::Column& c = l.attrs.columns[col];
      for (core::FeatureId f = 0; f < l.geom.feature_count() && f < c.size(); ++f) {
        const long long src = f < l.source_index.size() ? l.source_index[f] : static_cast<long long>(f);
        if (c.is_null(f) || (c.type == core::FieldType::Text && c.text(f).empty())) {
          if (!allow_missing)
            out.push_back({core::Severity::Error,
                           l.report.source,
                           l.name,
                           src,
                           field,
                           0,
                           "capacity missing (every facility needs one when the layer maps a capacity field)",
                           {}});
          continue;
        }
        const auto v = c.number(f);
        if (!v || !std::isfinite(*v))
          out.push_back({core::Severity::Error,
                         l.report.source,
                         l.name,
                         src,
                         field,
                         0,
                         "'" + c.text(f) + "' is not a number",
                         {}});
        else if (*v < 0)
          out.push_back({core::Severity::Error,
                         l.report.source,
                         l.name,
                         src,
                         field,
                         0,
                         "negative value " + c.text(f),
                         {}});
      }
    };
    check(l.fields.capacity, false);
    if (st.capacity_order == "field") check(st.order_field, true);
  }
  return out;
}

std::vector<FacilityFact> facility_facts(const core::Document& doc, const StudyArea& area,
                                         std::span<const FacilitySet> sets) {
  std::vector<FacilityFact> out;
  const core::GridI& ug = area.demand.unit;
  auto unit_at = [&](core::Vec2 p) {
    const int c = ug.col_of(p.x), r = ug.row_of(p.y);
    return ug.in_bounds(c, r) && ug.at(c, r) >= 0 ? static_cast<core::Id>(ug.at(c, r)) : core::INVALID_ID;
  };
  for (core::Role role : {core::Role::Museum, core::Role::EducationBase, core::Role::CaravanDepot}) {
    const std::string name(core::role_name(role));
    // A fixed set of this role holds the facilities as evaluated (what-if edits included).
    const FacilitySet* set = nullptr;
    for (const auto& s : sets)
      if (!s.mobile && s.facility == name) set = &s;
    if (set) {
      for (std::size_t i = 0; i < set->points.size(); ++i) {
        FacilityFact fact;
        fact.role = name;
        fact.level = i < set->levels.size() ? set->levels[i] : std::string();
        fact.unit = unit_at(set->points[i]);
        fact.floor_area_m2 = i < set->floor_area_m2.size() ? set->floor_area_m2[i] : 0.0;
        out.push_back(std::move(fact));
      }
      continue;
    }
    for (const auto& l : doc.layers) {
      if (l.is_raster || l.role != role) continue;
      const int lc = l.column(l.fields.level), ac = l.attrs.find("floor_area_m2");
      for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
        if (!l.geom.has_geometry(f)) continue;
        FacilityFact fact;
        fact.role = name;
        fact.level = text_of(l, lc, f);
        fact.unit = unit_at(facility_point(l.geom, f));
        fact.floor_area_m2 = number_of(l, ac, f, 0.0);
        out.push_back(std::move(fact));
      }
    }
  }
  return out;
}

namespace {

ServiceInput service_of(const FacilitySet& s, const TravelSurface& surf) {
  ServiceInput in;
  in.facility = s.facility;
  in.label = s.label;
  in.mobile = s.mobile;
  in.standard_s = s.standard_s;
  if (!s.mobile) {
    in.time = &surf.seconds;
    in.nearest = &surf.nearest;
  }
  in.facility_names = s.names;
  in.facility_points = s.points;
  in.visits = s.visits;
  in.visits_required = s.visits_required;
  return in;
}

}  // namespace

void recompute_figures(Evaluation& ev, const core::Document& doc, const StudyArea& area,
                       const PriorityParams& priority) {
  ev.coverage = compute_coverage(area.demand, area.levels, ev.services, area.facts, priority);
  GoalInputs gi;
  gi.levels = area.levels;
  gi.coverage = &ev.coverage;
  gi.services = ev.services;
  gi.facilities = facility_facts(doc, area, ev.sets);
  ev.targets = evaluate_targets(doc.config.targets, gi);
}

Evaluation evaluate(const core::Document& doc, const StudyArea& area, const TravelModel& model,
                    std::vector<FacilitySet> sets, const PriorityParams& priority,
                    const std::atomic<bool>* cancel) {
  auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
  Evaluation ev;
  ev.sets = std::move(sets);
  ev.surfaces.resize(ev.sets.size());
  SearchWorkspace ws;
  for (std::size_t k = 0; k < ev.sets.size(); ++k) {
    if (cancelled()) return ev;
    if (!ev.sets[k].mobile) ev.surfaces[k] = travel_surface(model, ev.sets[k].points, ws);
  }
  if (cancelled()) return ev;
  for (std::size_t k = 0; k < ev.sets.size(); ++k)
    ev.services.push_back(service_of(ev.sets[k], ev.surfaces[k]));
  recompute_figures(ev, doc, area, priority);
  return ev;
}

void copy_evaluation(Evaluation& to, const Evaluation& from) {
  to = from;
  for (std::size_t k = 0; k < to.services.size() && k < to.surfaces.size(); ++k)
    if (to.services[k].time) {
      to.services[k].time = &to.surfaces[k].seconds;
      to.services[k].nearest = &to.surfaces[k].nearest;
    }
}

void copy_evaluation(Evaluation& to, const Evaluation& from, std::size_t set) {
  if (set >= from.sets.size() || to.sets.size() != from.sets.size() ||
      to.surfaces.size() != from.surfaces.size()) {
    copy_evaluation(to, from);
    return;
  }
  to.sets[set] = from.sets[set];
  to.surfaces[set] = from.surfaces[set];
  to.services = from.services;
  for (std::size_t k = 0; k < to.services.size() && k < to.surfaces.size(); ++k)
    if (to.services[k].time) {
      to.services[k].time = &to.surfaces[k].seconds;
      to.services[k].nearest = &to.surfaces[k].nearest;
    }
  to.coverage = from.coverage;
  to.targets = from.targets;
}

void update_set(Evaluation& ev, std::size_t k, const core::Document& doc, const StudyArea& area,
                const TravelModel& model, SearchWorkspace& ws, const PriorityParams& priority) {
  if (!ev.sets[k].mobile) ev.surfaces[k] = travel_surface(model, ev.sets[k].points, ws);
  ev.services[k] = service_of(ev.sets[k], ev.surfaces[k]);
  recompute_figures(ev, doc, area, priority);
}

void drag_update(Evaluation& ev, std::size_t k, std::size_t i, core::Vec2 p, const FacilityDrag& drag,
                 const core::Document& doc, const StudyArea& area, const TravelModel& model,
                 SearchWorkspace& ws, const PriorityParams& priority) {
  ev.sets[k].points[i] = p;
  drag.move_to(model, p, ev.surfaces[k], ws);
  ev.services[k] = service_of(ev.sets[k], ev.surfaces[k]);
  recompute_figures(ev, doc, area, priority);
}

void add_access_targets(ProjectEvaluation& pe, const core::Document& doc) {
  add_access_targets(pe.ev, pe.travel.model, pe.area, pe.priority, doc);
}

void add_access_targets(Evaluation& ev, const TravelModel& model, const StudyArea& area,
                        const PriorityParams& priority, const core::Document& doc) {
  const ReachSource reach = [&](std::span<const core::Vec2> points, double limit_s,
                                std::span<const std::uint8_t> wanted) {
    return facility_reach(model, points, limit_s, wanted);
  };
  GoalInputs gi;
  for (const core::Target& t : doc.config.targets) {
    if (t.metric != core::Metric::AccessIndex && t.metric != core::Metric::CapacityCoverageShare) continue;
    bool have = false;
    for (const auto& a : gi.access) have = have || a.facility == t.facility;
    if (have) continue;
    const int k = access_set(ev, t.facility);
    if (k < 0) continue;
    AccessFigures af;
    af.facility = t.facility;
    AccessRequest req = index_request();
    AccessOutcome out;
    if (compute_access(ev, area, priority, static_cast<std::size_t>(k), req, out, reach).empty() &&
        out.mean > 0) {
      af.relative = out.units.value;
      for (auto& lv : af.relative)
        for (double& v : lv) v /= out.mean;
    }
    req.method = AccessMethod::Capacity;
    if (compute_access(ev, area, priority, static_cast<std::size_t>(k), req, out, reach).empty()) {
      af.capacity_share = out.unit_served;
      for (std::size_t l = 0; l < af.capacity_share.size(); ++l)
        for (std::size_t u = 0; u < af.capacity_share[l].size(); ++u) {
          const double p = out.units.people[l][u];
          af.capacity_share[l][u] = p > 0 ? af.capacity_share[l][u] / p : 0.0;
        }
    }
    gi.access.push_back(std::move(af));
  }
  if (gi.access.empty()) return;
  gi.levels = area.levels;
  gi.coverage = &ev.coverage;
  gi.services = ev.services;
  gi.facilities = facility_facts(doc, area, ev.sets);  // as edited, as recompute_figures counts
  ev.targets = evaluate_targets(doc.config.targets, gi);
}

ProjectEvaluation evaluate_project(const core::Document& doc, const std::string& scenario,
                                   core::Diagnostics& diag, const std::atomic<bool>* cancel) {
  auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
  ProjectEvaluation pe;
  core::TravelSettings settings = doc.config.travel;
  if (!scenario.empty()) {
    const core::Scenario* sc = find_scenario(doc.config, scenario);
    if (!sc) {
      std::string known;
      for (const auto& s : doc.config.scenarios) known += (known.empty() ? "" : ", ") + s.name;
      diag.error({core::Severity::Error,
                  doc.config.file.string(),
                  "",
                  -1,
                  "scenario",
                  0,
                  "no scenario named '" + scenario + "'" +
                      (known.empty() ? std::string(" (the project has none)") : " (known: " + known + ")"),
                  {}});
      return pe;
    }
    settings = apply_scenario(settings, *sc);
  }
  pe.travel = build_project_travel(doc, settings, diag, scenario, cancel);
  if (cancelled()) return pe;
  pe.area = build_study_area(doc, pe.travel.pace, diag);
  if (diag.has_errors() || cancelled()) return pe;
  fill_remoteness(pe.area, doc, pe.travel.model);
  if (cancelled()) return pe;
  pe.ev = evaluate(doc, pe.area, pe.travel.model, facility_sets(doc, pe.area), pe.priority, cancel);
  if (cancelled()) return pe;
  add_access_targets(pe, doc);
  return pe;
}

}  // namespace kepumap::analysis
