// Caravan planning for a loaded project (see caravan_project.hpp).
#include "optimize/caravan_project.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/resources.hpp"

namespace kepumap::optimize {
namespace {

core::Vec2 feature_point(const core::Geometries& g, core::FeatureId f) {
  return g.kind == core::GeomKind::Point ? g.first_point(f) : core::feature_centroid(g, f);
}

double dist(core::Vec2 a, core::Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// Stops read from a layer (points, or centroids of polygons).
void collect_stops(const core::Layer& l, bool township, int default_visits,
                   std::vector<CaravanStopSource>& out) {
  const int cname = l.column(l.fields.name), cpop = l.column(l.fields.population),
            cpast = l.column(l.fields.pastoral), cvis = l.attrs.find("visits_per_year");
  for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
    if (!l.geom.has_geometry(f)) continue;
    CaravanStopSource s;
    s.feature = f;
    s.at = feature_point(l.geom, f);
    s.name = cname >= 0 ? l.attrs.columns[static_cast<std::size_t>(cname)].text(f) : std::string();
    if (s.name.empty()) s.name = l.name + " #" + std::to_string(f + 1);
    if (cpop >= 0) s.population = l.attrs.columns[static_cast<std::size_t>(cpop)].number(f).value_or(0.0);
    s.township = township;
    s.visits = default_visits;
    if (cvis >= 0)
      if (auto v = l.attrs.columns[static_cast<std::size_t>(cvis)].number(f); v && *v >= 0 && *v <= 52)
        s.visits = static_cast<int>(*v);
    if (cpast >= 0) {
      const auto& col = l.attrs.columns[static_cast<std::size_t>(cpast)];
      const auto v = col.number(f);
      const std::string t = col.text(f);
      if ((v && *v != 0) || t == "true" || t == "yes" || t == "是" || t == "牧区") s.priority = 1;
    }
    out.push_back(std::move(s));
  }
}

}  // namespace

CaravanInputs collect_caravan_inputs(const core::Document& doc, const CaravanProjectOptions& o) {
  CaravanInputs in;
  const std::string file = doc.config.file.string();
  // Depots and their fleets: every feature of the caravan_depot layer.
  if (const core::Layer* depots = doc.find(core::Role::CaravanDepot))
    for (core::FeatureId f = 0; f < depots->geom.feature_count(); ++f) {
      if (!depots->geom.has_geometry(f)) continue;
      CaravanDepot d;
      d.at = feature_point(depots->geom, f);
      const int cn = depots->column(depots->fields.name);
      d.name = cn >= 0 ? depots->attrs.columns[static_cast<std::size_t>(cn)].text(f) : std::string();
      if (d.name.empty()) d.name = "depot " + std::to_string(f + 1);
      d.vehicles = o.vehicles;
      if (d.vehicles < 0) {
        d.vehicles = 1;
        const int cap = depots->column(depots->fields.capacity);
        if (cap >= 0)
          if (auto v = depots->attrs.columns[static_cast<std::size_t>(cap)].number(f);
              v && *v >= 1 && *v <= 1000)
            d.vehicles = static_cast<int>(*v);
      }
      in.depots.push_back(std::move(d));
    }
  if (in.depots.empty()) {
    in.problems.push_back(file +
                          ": 项目没有含几何的 caravan_depot 图层 (the project needs a caravan_depot layer "
                          "with at least one located depot)");
    return in;
  }
  for (const auto& d : in.depots) in.vehicles += d.vehicles;
  in.township_visits = o.township_visits;
  in.village_visits = o.village_visits;
  if (in.village_visits < 0) {
    in.village_visits = 1;
    for (const auto& sd : doc.config.standards)
      if (sd.facility == "caravan" && sd.visits_per_year > 0) in.village_visits = sd.visits_per_year;
  }

  // Stops: named layers, else the caravan_stop layer, else township seats + villages.
  auto& stops = in.stops;
  const core::Layer* town_layer = doc.find(core::Role::Town);
  if (!o.stop_layers.empty()) {
    for (const auto& name : o.stop_layers) {
      const core::Layer* l = nullptr;
      for (const auto& x : doc.layers)
        if (x.name == name) l = &x;
      if (!l || l->is_raster) {
        in.problems.push_back(file + ": --stops-layer " + name +
                              ": 没有这个矢量图层 (no vector layer of that name)");
        return in;
      }
      const bool tw = l->role == core::Role::Town || l->role == core::Role::Township;
      collect_stops(*l, tw, tw ? in.township_visits : in.village_visits, stops);
    }
  } else if (const core::Layer* cs = doc.find(core::Role::CaravanStop)) {
    collect_stops(*cs, false, in.village_visits, stops);
    in.existing_layer = cs;
  } else {
    if (town_layer)
      collect_stops(*town_layer, true, in.township_visits, stops);
    else if (const core::Layer* t = doc.find(core::Role::Township))
      collect_stops(*t, true, in.township_visits, stops);
    if (const core::Layer* v = doc.find(core::Role::Village))
      collect_stops(*v, false, in.village_visits, stops);
  }
  // Stops outside the study area, and stops at a depot's own point, are not visits: left out and
  // named (the verb prints them).
  {
    std::vector<CaravanStopSource> kept;
    for (auto& s : stops) {
      if (!doc.study.contains(s.at)) {
        in.outside_stops.push_back(s.name);
        continue;
      }
      bool at_depot = false;
      for (const auto& d : in.depots) at_depot = at_depot || dist(s.at, d.at) <= DEPOT_STOP_M;
      if (at_depot) {
        in.depot_stops.push_back(s.name);
        continue;
      }
      kept.push_back(std::move(s));
    }
    stops = std::move(kept);
  }
  if (stops.empty()) {
    in.problems.push_back(
        file +
        ": 没有可到访的站点 (no stops: add a caravan_stop, town or village layer, or use --stops-layer)");
    return in;
  }
  // People and pastoral priority from the village polygon a stop lies in, when the stop has none.
  if (const core::Layer* vl = doc.find(core::Role::Village); vl && vl->geom.kind == core::GeomKind::Polygon) {
    std::vector<CaravanStopSource> probe;
    collect_stops(*vl, false, 0, probe);  // one entry per village with geometry, in feature order
    std::vector<core::FeatureId> fid;
    for (core::FeatureId f = 0; f < vl->geom.feature_count(); ++f)
      if (vl->geom.has_geometry(f)) fid.push_back(f);
    for (auto& s : stops) {
      if (s.population > 0 && s.priority > 0) continue;
      for (std::size_t k = 0; k < fid.size(); ++k)
        if (vl->geom.feature_bbox(fid[k]).contains(s.at) && core::feature_contains(vl->geom, fid[k], s.at)) {
          if (s.population <= 0) s.population = probe[k].population;
          s.priority = std::max(s.priority, probe[k].priority);
          break;
        }
    }
  }
  // Border stops first too: within border_km of a `border` line (international border).
  if (const core::Layer* bl = doc.find(core::Role::Border);
      bl && bl->geom.kind == core::GeomKind::Line && o.border_km > 0) {
    const double lim = o.border_km * 1000.0;
    for (auto& s : stops) {
      bool near = false;
      for (std::uint32_t r = 0; r < bl->geom.ring_count() && !near; ++r) {
        const auto ring = bl->geom.ring(r);
        for (std::size_t k = 1; k < ring.size() && !near; ++k) {
          const core::Vec2 a = ring[k - 1], b = ring[k];
          const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
          double u = len2 > 0 ? ((s.at.x - a.x) * dx + (s.at.y - a.y) * dy) / len2 : 0.0;
          u = std::clamp(u, 0.0, 1.0);
          near = dist(s.at, core::Vec2{a.x + u * dx, a.y + u * dy}) <= lim;
        }
      }
      if (near) ++s.priority;
    }
  }
  // Township seats give a bed: a stop within 1 km of one has lodging; other seats are lodging-only nodes.
  if (town_layer)
    for (core::FeatureId f = 0; f < town_layer->geom.feature_count(); ++f) {
      if (!town_layer->geom.has_geometry(f)) continue;
      const core::Vec2 p = feature_point(town_layer->geom, f);
      bool near_stop = false;
      for (auto& s : stops)
        if (dist(s.at, p) <= 1000.0) {
          s.township = true;
          near_stop = true;
        }
      if (!near_stop) {
        CaravanStopSource b;
        b.at = p;
        const int cn = town_layer->column(town_layer->fields.name);
        b.name = cn >= 0 ? town_layer->attrs.columns[static_cast<std::size_t>(cn)].text(f) : "seat";
        b.visits = 0;
        b.township = true;
        in.beds.push_back(std::move(b));
      }
    }
  return in;
}

const std::vector<core::Vec2>& CaravanProjectPlan::leg_path(int i, int j) const {
  static const std::vector<core::Vec2> none;
  const auto it = leg_paths.find({i, j});
  return it == leg_paths.end() ? none : it->second;
}

std::vector<core::Vec2> CaravanProjectPlan::tour_line(const CaravanTour& t) const {
  std::vector<core::Vec2> line;
  for (const auto& stp : t.steps) {
    if (stp.kind != StepKind::Drive) continue;
    for (const auto& p : leg_path(stp.from, stp.to))
      if (line.empty() || !(line.back() == p)) line.push_back(p);
  }
  return line;
}

CaravanProjectPlan plan_project_caravans(const analysis::TravelModel& model, const CaravanInputs& in,
                                         const CaravanProjectOptions& o) {
  CaravanProjectPlan out;
  const auto& st = o.settings;
  const int nd = static_cast<int>(in.depots.size());
  out.depot_count = nd;
  auto& pts = out.points;
  for (const auto& d : in.depots) pts.push_back(d.at);
  for (const auto& s : in.stops) pts.push_back(s.at);
  for (const auto& b : in.beds) pts.push_back(b.at);
  // All pairs with their paths while that stays small (n^2 paths); for many stops the times
  // first, and the paths afterwards only for the legs the plan drives.
  constexpr int ALL_PATHS_MAX = 300;
  const bool all_paths = static_cast<int>(pts.size()) <= ALL_PATHS_MAX;
  // The resource guard: the n x n times and distances and the solver's copies, about 32 bytes a pair.
  const auto pairs = static_cast<std::uint64_t>(pts.size()) * pts.size();
  core::require_memory("the caravan stop matrix of " + core::thousands(pts.size()) + " stops is " +
                           core::thousands(pairs) + " pairs",
                       pairs * 32, o.memory_limit_gb,
                       "plan fewer stops at a time (stop_layers, one depot at a time)");
  auto cancelled = [&out, c = st.cancel] {
    if (c && c->load(std::memory_order_relaxed)) out.cancelled = true;
    return out.cancelled;
  };
  const auto sm = analysis::stop_matrix(model, pts, all_paths, st.cancel);
  if (cancelled()) return out;
  const int n = static_cast<int>(pts.size());

  // One problem over every node (depots first, then stops, then beds).
  auto& prob = out.problem;
  prob.depot = 0;
  prob.settings = st;
  for (const auto& d : in.depots) {
    CaravanStop c;
    c.name = d.name;
    c.visits_per_year = 0;
    c.lodging = true;
    prob.stops.push_back(std::move(c));
  }
  auto add = [&](const CaravanStopSource& s) {
    CaravanStop c;
    c.name = s.name;
    c.visits_per_year = s.visits;
    c.service = static_cast<core::ISeconds>(std::lround(o.service_hours * 3600));
    c.lodging = s.township;
    c.population = s.population;
    c.priority = s.priority;
    prob.stops.push_back(std::move(c));
  };
  for (const auto& s : in.stops) add(s);
  for (const auto& b : in.beds) add(b);
  prob.time = CostMatrix(n);
  prob.meters = all_paths ? CostMatrix(n) : CostMatrix();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const core::ISeconds t = sm.at(i, j);
      prob.time.at(i, j) = i == j ? 0 : t;
      if (!all_paths) continue;
      double len = 0.0;
      const auto path = sm.path(i, j);
      for (std::size_t k = 1; k < path.size(); ++k) len += dist(path[k - 1], path[k]);
      prob.meters.at(i, j) = static_cast<std::int32_t>(std::min(len, 2.0e9));
    }
  out.problems = validate(prob);
  if (!out.problems.empty()) return out;
  auto& home = out.home;
  home.assign(static_cast<std::size_t>(n), 0);
  for (int i = nd; i < n; ++i) {
    std::int64_t best = -1;
    for (int d = 0; d < nd; ++d) {
      const std::int64_t a = prob.time.at(d, i), b = prob.time.at(i, d);
      if (a == core::UNREACHABLE || b == core::UNREACHABLE) continue;
      if (best < 0 || a + b < best) {
        best = a + b;
        home[static_cast<std::size_t>(i)] = d;
      }
    }
  }
  auto& plan = out.plan;
  auto& tour_depot = out.tour_depot;
  for (int d = 0; d < nd; ++d) {
    CaravanProblem sub = prob;
    sub.depot = d;
    sub.settings.vehicles = in.depots[static_cast<std::size_t>(d)].vehicles;
    sub.settings.seed = st.seed + static_cast<std::uint64_t>(d) * 104729u;
    bool any = false;
    for (int i = nd; i < n; ++i)
      if (home[static_cast<std::size_t>(i)] != d)
        sub.stops[static_cast<std::size_t>(i)].visits_per_year = 0;
      else
        any = any || sub.stops[static_cast<std::size_t>(i)].visits_per_year > 0;
    if (!any) continue;
    auto part = plan_caravans(sub);
    if (cancelled()) return out;
    for (auto& t : part.tours) {
      plan.tours.push_back(std::move(t));
      tour_depot.push_back(d);
    }
    for (auto& u : part.unserved) plan.unserved.push_back(std::move(u));
    auto& a = plan.totals;
    const auto& b = part.totals;
    a.km += b.km;
    a.drive_hours += b.drive_hours;
    a.tours += b.tours;
    a.vehicle_days += b.vehicle_days;
    a.open_days = b.open_days;
    a.visits += b.visits;
    a.visits_required += b.visits_required;
    a.people += b.people;
    a.stops_met += b.stops_met;
    a.stops_required += b.stops_required;
  }
  // Scheduled tours in calendar order across depots, then the unscheduled ones.
  {
    std::vector<std::size_t> idx(plan.tours.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) {
      const auto& a = plan.tours[x];
      const auto& b = plan.tours[y];
      if ((a.first_day >= 0) != (b.first_day >= 0)) return a.first_day >= 0;
      if (a.first_day != b.first_day) return a.first_day < b.first_day;
      return tour_depot[x] != tour_depot[y] ? tour_depot[x] < tour_depot[y] : a.vehicle < b.vehicle;
    });
    std::vector<CaravanTour> tours;
    std::vector<int> td;
    for (std::size_t i : idx) {
      tours.push_back(std::move(plan.tours[i]));
      td.push_back(tour_depot[i]);
    }
    plan.tours = std::move(tours);
    tour_depot = std::move(td);
  }
  std::sort(plan.unserved.begin(), plan.unserved.end(),
            [](const UnservedStop& a, const UnservedStop& b) { return a.stop < b.stop; });

  // Existing routes: the stops layer's `seq` order (per `route` name) toured as it stands.
  const core::Layer* el = in.existing_layer;
  if (el && el->attrs.find("seq") >= 0) {
    const auto& seqc = el->attrs.columns[static_cast<std::size_t>(el->attrs.find("seq"))];
    const int rc = el->attrs.find("route");
    std::vector<std::string> names;
    std::vector<std::vector<std::pair<double, int>>> members;
    for (std::size_t i = 0; i < in.stops.size(); ++i) {
      const auto f = in.stops[i].feature;
      const auto q = seqc.number(f);
      if (!q) continue;
      const std::string rn = rc >= 0 ? el->attrs.columns[static_cast<std::size_t>(rc)].text(f) : el->name;
      std::size_t g = 0;
      while (g < names.size() && names[g] != rn) ++g;
      if (g == names.size()) {
        names.push_back(rn);
        members.emplace_back();
      }
      members[g].push_back({*q, static_cast<int>(i) + nd});
    }
    for (std::size_t g = 0; g < names.size(); ++g) {
      std::stable_sort(members[g].begin(), members[g].end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
      std::vector<int> seq;
      for (const auto& m : members[g]) seq.push_back(m.second);
      CaravanProblem sub = prob;
      sub.depot = seq.empty() ? 0 : home[static_cast<std::size_t>(seq.front())];
      out.existing.push_back(ExistingRoute{names[g], evaluate_sequence(sub, seq), seq.size()});
    }
  }

  // Paths of the legs driven: from the all-pairs matrix, or searched now for just those legs
  // (one search set per leg origin), and then the distances of every tour.
  std::map<int, std::vector<int>> legs;
  auto want = [&](const CaravanTour& t) {
    for (const auto& stp : t.steps)
      if (stp.kind == StepKind::Drive) legs[stp.from].push_back(stp.to);
  };
  for (const auto& t : plan.tours) want(t);
  for (const auto& e : out.existing)
    for (const auto& t : e.ev.tours) want(t);
  for (auto& [from, to] : legs) {
    std::sort(to.begin(), to.end());
    to.erase(std::unique(to.begin(), to.end()), to.end());
    if (all_paths) {
      for (int j : to) {
        const auto path = sm.path(from, j);
        out.leg_paths[{from, j}] = std::vector<core::Vec2>(path.begin(), path.end());
      }
      continue;
    }
    std::vector<core::Vec2> q{pts[static_cast<std::size_t>(from)]};
    for (int j : to) q.push_back(pts[static_cast<std::size_t>(j)]);
    if (cancelled()) return out;
    const auto part = analysis::stop_matrix(model, q, true, st.cancel);
    for (std::size_t k = 0; k < to.size(); ++k) {
      const auto path = part.path(0, static_cast<int>(k) + 1);
      out.leg_paths[{from, to[k]}] = std::vector<core::Vec2>(path.begin(), path.end());
    }
  }
  if (!all_paths) {
    auto tour_meters = [&](CaravanTour& t) {
      double m = 0.0;
      for (const auto& stp : t.steps)
        if (stp.kind == StepKind::Drive) {
          const auto& path = out.leg_path(stp.from, stp.to);
          for (std::size_t k = 1; k < path.size(); ++k) m += dist(path[k - 1], path[k]);
        }
      t.meters = static_cast<std::int64_t>(std::llround(m));
    };
    plan.totals.km = 0.0;
    for (auto& t : plan.tours) {
      tour_meters(t);
      if (t.first_day >= 0) plan.totals.km += static_cast<double>(t.meters) / 1000.0;
    }
    for (auto& e : out.existing) {
      e.ev.meters = 0;
      for (auto& t : e.ev.tours) {
        tour_meters(t);
        e.ev.meters += t.meters;
      }
    }
  }
  cancelled();
  return out;
}

}  // namespace kepumap::optimize
