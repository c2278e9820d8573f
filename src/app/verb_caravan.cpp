// `kepumap caravan`: tour planning. `kepumap caravan project.toml -o DIR` plans the year's
// caravan tours of a project over its travel-time engine and writes routes (GeoPackage,
// GeoJSON, GPX and KML per tour) and an XLSX schedule. With --tsplib FILE or --solomon FILE it
// solves a standard benchmark instance and prints tour length, vehicles and feasibility, so
// results can be compared with published ones.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "analysis/travel.hpp"
#include "analysis/travel_project.hpp"
#include "analysis/travel_roads.hpp"
#include "app/cli_common.hpp"
#include "app/verbs.hpp"
#include "geo/crs.hpp"
#include "io/errors.hpp"
#include "io/gpkg_meta.hpp"
#include "io/project.hpp"
#include "io/vector_writer.hpp"
#include "optimize/caravan.hpp"
#include "optimize/caravan_project.hpp"
#include "optimize/tour.hpp"
#include "optimize/tour_formats.hpp"
#include "report/qgis_style.hpp"
#include "report/tables.hpp"
#include "report/tour_files.hpp"

namespace kepumap::app {
namespace {

namespace opt = kepumap::optimize;

void usage() {
  std::fprintf(
      stderr,
      "用法 usage: kepumap caravan project.toml -o DIR [--scenario NAME] [--lang zh|en] [plan options]\n"
      "       kepumap caravan (--tsplib FILE | --solomon FILE) [benchmark options]\n"
      "plan options:\n"
      "  --vehicles N          车辆数 (default: the depot layer's vehicle count, else 1)\n"
      "  --max-days N          最长行程天数 longest tour in days (default 5)\n"
      "  --drive-hours H       每日驾驶上限 daily driving limit (default 8)\n"
      "  --day S-E             工作时间 working day, hours (default 8-20)\n"
      "  --service-hours H     每站展览时长 exhibition length (default 3)\n"
      "  --overnight any|lodging  住宿: at any stop (default) or only township seats / depot\n"
      "  --season M-M          出车月份 touring months (default 4-10)\n"
      "  --block MM-DD:MM-DD   停运时段 blocked period (repeatable)\n"
      "  --year Y              计划年份 (default 2025)  --rest-days N  休整天数 (default 1)\n"
      "  --township-visits N   苏木镇每年到访次数 (default 2)\n"
      "  --village-visits N    嘎查村每年到访次数 (default: the caravan standard, else 1)\n"
      "  --stops-layer NAME    站点图层 (repeatable; default caravan_stop layer, else towns + villages)\n"
      "  --border-km K         边境优先: stops within K km of the border come first (default 30; 0 = off)\n"
      "  --seed N  --iterations N   search seed and budget per round (default 1, 4000)\n"
      "  --coords wgs84|gcj02|bd09  GPX/KML 坐标系: WGS84 (GPS, default), GCJ-02 (高德), BD-09 (百度)\n"
      "benchmark options:\n"
      "  --tsplib FILE         TSPLIB 实例 TSP instance (EDGE_WEIGHT_TYPE EUC_2D or CEIL_2D)\n"
      "  --solomon FILE        Solomon VRPTW 实例 instance\n"
      "  --seed N              随机种子 seed (default 1; same seed, same answer)\n"
      "  --iterations N        搜索预算 search budget (TSP: kicks, default 100 n + 1000;\n"
      "                        VRPTW: ruin-and-recreate steps, default 30000)\n"
      "  --objective distance|vehicles\n"
      "                        Solomon 目标: distance only (default) or fewest vehicles first\n"
      "  --routes              打印路线 print the tour / routes\n");
}

int bad(const std::string& what) {
  std::fprintf(stderr, "error: caravan: %s\n", what.c_str());
  return 2;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---- project mode ------------------------------------------------------------------------

using ProjectOptions = opt::CaravanProjectOptions;
bool parse_hours_range(const std::string& v, double& a, double& b) {
  const auto dash = v.find('-');
  if (dash == std::string::npos) return false;
  try {
    std::size_t u1 = 0, u2 = 0;
    a = std::stod(v.substr(0, dash), &u1);
    b = std::stod(v.substr(dash + 1), &u2);
    return u1 == dash && u2 == v.size() - dash - 1;
  } catch (...) {
    return false;
  }
}

/// Day of year (1-based) of "MM-DD" in `year`, or -1.
int day_of_year(int year, const std::string& md) {
  int m = 0, d = 0;
  if (std::sscanf(md.c_str(), "%d-%d", &m, &d) != 2 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
  int doy = 0;
  for (int k = 0; k < opt::days_in_year(year); ++k)
    if (opt::month_of(year, k) == m) {
      doy = k + d;
      break;
    }
  if (opt::month_of(year, doy - 1) != m) return -1;  // e.g. 02-30
  return doy;
}

int project_bad(const std::string& what) {
  std::fprintf(stderr, "error: caravan: %s\n", what.c_str());
  return 2;
}

/// ISO 8601 local time (China Standard Time, +08:00) of `seconds` after midnight of `day_of_year`.
std::string iso_time(int year, int day_of_year, long long seconds) {
  const int extra_days = static_cast<int>(seconds / 86400);
  seconds %= 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld+08:00",
                opt::date_string(year, day_of_year + extra_days).c_str(), seconds / 3600,
                (seconds % 3600) / 60, seconds % 60);
  return buf;
}

/// The drivers' GPX/KML content of one tour: a waypoint per place the caravan stops at (the
/// depot, each exhibition, each overnight; an exhibition and the night after it are one
/// waypoint), the road-following track of each day, all in `coords`.
report::TourFile drivers_file(const opt::CaravanProblem& prob, const opt::CaravanProjectPlan& res,
                              const opt::CaravanTour& t, int number, const std::string& depot_name, int year,
                              const std::string& coords, const geo::Transform& to_coords, bool en) {
  report::TourFile f;
  f.english = en;
  f.coords = coords;
  const int first_day = t.first_day;
  char label[96];
  std::snprintf(label, sizeof label, en ? "tour %02d %s" : "行程 %02d %s", number,
                opt::date_string(year, first_day).c_str());
  f.name = label;
  for (int d = 0; d < t.days; ++d) {
    std::snprintf(label, sizeof label, en ? "day %d %s" : "第%d天 %s", d + 1,
                  opt::date_string(year, first_day + d).c_str());
    f.day_names.push_back(label);
  }
  char desc[256];
  std::snprintf(desc, sizeof desc,
                en ? "depot %s; %d days; %.1f km; %zu exhibitions" : "驻地 %s；%d 天；%.1f 公里；展览 %zu 站",
                depot_name.c_str(), t.days, static_cast<double>(t.meters) / 1000.0, t.stops.size());
  f.description = desc;
  auto lonlat = [&](int node) { return to_coords.apply(res.points[static_cast<std::size_t>(node)]); };
  f.day_track.resize(static_cast<std::size_t>(std::max(t.days, 1)));
  int at = -1;          // node the caravan stands at
  int arrived_day = 0;  // when it got there
  long long arrived = -1;
  auto current = [&]() -> report::TourWaypoint* {
    if (f.waypoints.empty() || at < 0) return nullptr;
    return &f.waypoints.back();
  };
  auto open_waypoint = [&](int node, int day, long long when) {
    report::TourWaypoint w;
    w.name = prob.stops[static_cast<std::size_t>(node)].name;
    w.lonlat = lonlat(node);
    w.day = day;
    w.arrival = when >= 0 ? iso_time(year, first_day + day, when) : "";
    w.depot = node < res.depot_count;
    f.waypoints.push_back(std::move(w));
  };
  for (const auto& stp : t.steps) {
    if (stp.kind == opt::StepKind::Drive) {
      if (at < 0) {  // leaving the depot
        open_waypoint(stp.from, stp.day, -1);
        auto& w = f.waypoints.back();
        w.description = (en ? "departure " : "出发 ") + opt::clock_string(stp.start);
        w.arrival = iso_time(year, first_day + stp.day, stp.start);
      }
      auto& track = f.day_track[static_cast<std::size_t>(std::min(stp.day, t.days - 1))];
      for (auto p : res.leg_path(stp.from, stp.to)) {
        p = to_coords.apply(p);
        if (track.empty() || !(track.back() == p)) track.push_back(p);
      }
      at = stp.to;
      arrived_day = stp.day;
      arrived = stp.end;
      open_waypoint(stp.to, arrived_day, arrived);
      continue;
    }
    if (at < 0) {  // a tour that starts with a wait at the depot
      at = stp.from;
      open_waypoint(stp.from, stp.day, stp.start);
    }
    report::TourWaypoint* w = current();
    if (!w) continue;
    if (stp.kind == opt::StepKind::Exhibit) {
      // After a night here the exhibition is on a later day: say which.
      std::string when;
      if (stp.day != w->day)
        when = en ? "day " + std::to_string(stp.day + 1) + " " : "第" + std::to_string(stp.day + 1) + "天 ";
      w->exhibit = when + opt::clock_string(stp.start) + "–" + opt::clock_string(stp.end);
    } else if (stp.kind == opt::StepKind::Overnight)
      w->overnight = true;
  }
  for (auto& w : f.waypoints) {
    if (!w.description.empty()) continue;
    std::string d = f.day_names[static_cast<std::size_t>(std::min<int>(w.day, t.days - 1))];
    if (!w.arrival.empty()) d += (en ? ", arrive " : "，到达 ") + w.arrival.substr(11, 5);
    // An exhibition the morning after the night here comes after the night.
    const bool exhibit_later = w.exhibit.rfind("第", 0) == 0 || w.exhibit.rfind("day ", 0) == 0;
    if (w.overnight && exhibit_later) d += en ? ", overnight" : "，住宿";
    if (!w.exhibit.empty()) d += (en ? ", exhibition " : "，展览 ") + w.exhibit;
    if (w.overnight && !exhibit_later) d += en ? ", overnight" : "，住宿";
    if (w.depot && w.exhibit.empty() && !w.overnight) d += en ? ", back at the depot" : "，返回驻地";
    w.description = d;
  }
  if (!f.waypoints.empty()) f.time = f.waypoints.front().arrival;
  return f;
}

int run_project(const std::vector<std::string>& args) {
  // Take the plan options (each with its value) out first, so their values are never mistaken
  // for the project file, whatever the order.
  static const char* const with_value[] = {"--vehicles",
                                           "--max-days",
                                           "--drive-hours",
                                           "--day",
                                           "--service-hours",
                                           "--overnight",
                                           "--season",
                                           "--block",
                                           "--year",
                                           "--rest-days",
                                           "--seed",
                                           "--iterations",
                                           "--township-visits",
                                           "--village-visits",
                                           "--stops-layer",
                                           "--border-km",
                                           "--coords"};
  // --crs is read by parse_common.
  std::vector<std::string> shared, rest;
  for (std::size_t k = 0; k < args.size(); ++k) {
    bool mine = false;
    for (const char* w : with_value) mine = mine || args[k] == w;
    if (!mine) {
      shared.push_back(args[k]);
      continue;
    }
    rest.push_back(args[k]);
    if (k + 1 < args.size()) rest.push_back(args[++k]);
  }
  auto common = parse_common(shared, "caravan", true);
  if (!common) return 2;
  rest.insert(rest.end(), common->rest.begin(), common->rest.end());
  ProjectOptions o;
  std::string coords = "WGS84";  // of the drivers' GPX and KML files
  auto& st = o.settings;
  st.blocked_months = {1, 2, 3, 11, 12};  // default season April-October
  for (std::size_t k = 0; k < rest.size(); ++k) {
    const std::string& a = rest[k];
    std::string v;
    if (k + 1 < rest.size()) v = rest[k + 1];
    const bool has = k + 1 < rest.size();
    long long n = 0;
    double x = 0, y = 0;
    if (a == "--vehicles") {
      if (!has || !parse_int(v, n) || n < 1 || n > 1000)
        return project_bad("--vehicles needs 1..1000 (车辆数无效)");
      o.vehicles = static_cast<int>(n);
    } else if (a == "--max-days") {
      if (!has || !parse_int(v, n) || n < 1 || n > 60)
        return project_bad("--max-days needs 1..60 (最长行程天数无效)");
      st.max_tour_days = static_cast<int>(n);
    } else if (a == "--drive-hours") {
      if (!has || !parse_double(v, x) || x <= 0 || x > 24)
        return project_bad("--drive-hours needs hours in (0, 24] (每日驾驶上限无效)");
      st.max_drive_per_day = static_cast<core::ISeconds>(std::lround(x * 3600));
    } else if (a == "--day") {
      if (!has || !parse_hours_range(v, x, y) || x < 0 || y > 24 || x >= y)
        return project_bad("--day needs START-END hours, e.g. 8-20 (工作时间无效)");
      st.day_start = static_cast<core::ISeconds>(std::lround(x * 3600));
      st.day_end = static_cast<core::ISeconds>(std::lround(y * 3600));
    } else if (a == "--service-hours") {
      if (!has || !parse_double(v, x) || x <= 0 || x > 24)
        return project_bad("--service-hours needs hours in (0, 24] (展览时长无效)");
      o.service_hours = x;
    } else if (a == "--overnight") {
      if (!has || (v != "any" && v != "lodging"))
        return project_bad("--overnight takes any or lodging (住宿方式须为 any 或 lodging)");
      st.overnight_anywhere = v == "any";
    } else if (a == "--season") {
      if (!has || !parse_hours_range(v, x, y) || x < 1 || y > 12 || x > y || x != std::floor(x) ||
          y != std::floor(y))
        return project_bad("--season needs FIRST-LAST months, e.g. 4-10 (季节无效)");
      st.blocked_months.clear();
      for (int m = 1; m <= 12; ++m)
        if (m < x || m > y) st.blocked_months.push_back(m);
    } else if (a == "--block") {
      const auto colon = v.find(':');
      const int d1 = has && colon != std::string::npos ? day_of_year(st.year, v.substr(0, colon)) : -1;
      const int d2 = has && colon != std::string::npos ? day_of_year(st.year, v.substr(colon + 1)) : -1;
      if (d1 < 0 || d2 < d1) return project_bad("--block needs MM-DD:MM-DD, e.g. 07-10:07-20 (停运日期无效)");
      st.blocked_days.push_back({d1, d2});
    } else if (a == "--year") {
      if (!has || !parse_int(v, n) || n < 1900 || n > 2200)
        return project_bad("--year needs a year (年份无效)");
      st.year = static_cast<int>(n);
    } else if (a == "--rest-days") {
      if (!has || !parse_int(v, n) || n < 0 || n > 60)
        return project_bad("--rest-days needs 0..60 (休整天数无效)");
      st.rest_days = static_cast<int>(n);
    } else if (a == "--seed") {
      if (!has || !parse_int(v, n) || n < 0)
        return project_bad("--seed needs a non-negative integer (种子无效)");
      st.seed = static_cast<std::uint64_t>(n);
    } else if (a == "--iterations") {
      if (!has || !parse_int(v, n) || n < 0 || n > 10'000'000)
        return project_bad("--iterations needs 0..10000000 (迭代次数无效)");
      st.iterations = static_cast<int>(n);
    } else if (a == "--township-visits") {
      if (!has || !parse_int(v, n) || n < 0 || n > 52)
        return project_bad("--township-visits needs 0..52 (苏木镇到访次数无效)");
      o.township_visits = static_cast<int>(n);
    } else if (a == "--village-visits") {
      if (!has || !parse_int(v, n) || n < 0 || n > 52)
        return project_bad("--village-visits needs 0..52 (嘎查村到访次数无效)");
      o.village_visits = static_cast<int>(n);
    } else if (a == "--border-km") {
      if (!has || !parse_double(v, x) || x < 0 || x > 1000)
        return project_bad("--border-km needs 0..1000 (边境距离无效)");
      o.border_km = x;
    } else if (a == "--coords") {
      if (has && (v == "wgs84" || v == "WGS84"))
        coords = "WGS84";
      else if (has && (v == "gcj02" || v == "GCJ02" || v == "gcj-02" || v == "GCJ-02"))
        coords = "GCJ-02";
      else if (has && (v == "bd09" || v == "BD09" || v == "bd-09" || v == "BD-09"))
        coords = "BD-09";
      else
        return project_bad("--coords needs wgs84, gcj02 or bd09 (坐标系无效)");
    } else if (a == "--stops-layer") {
      if (!has) return project_bad("--stops-layer needs a layer name from project.toml (需要图层名)");
      o.stop_layers.push_back(v);
    } else {
      return project_bad("unknown argument '" + a + "' (未知参数; kepumap caravan --help)");
    }
    ++k;
  }
  // --block was parsed against the default year if --year came later: re-check the range.
  for (const auto& [b1, b2] : st.blocked_days)
    if (b2 > opt::days_in_year(st.year) || b1 < 1)
      return project_bad("--block range outside the year (停运日期超出年份)");

  core::Document doc = io::load_project(common->project);
  if (print_problems(doc.diagnostics)) return 2;
  const std::string file = doc.config.file.string();
  const auto inputs = opt::collect_caravan_inputs(doc, o);
  for (const auto& msg : inputs.problems) return project_bad(msg);
  auto name_list = [](const std::vector<std::string>& names) {
    std::string t;
    for (std::size_t i = 0; i < names.size() && i < 10; ++i) t += (i ? "、" : "") + names[i];
    if (names.size() > 10) t += " ...";
    return t;
  };
  if (!inputs.outside_stops.empty())
    std::printf("在研究区外 outside the study area: %zu stops left out (%s)\n", inputs.outside_stops.size(),
                name_list(inputs.outside_stops).c_str());
  if (!inputs.depot_stops.empty())
    std::printf(
        "驻地本身 at the depot: %zu stops within %.0f m of a depot are its own point, not visits (%s)\n",
        inputs.depot_stops.size(), opt::DEPOT_STOP_M, name_list(inputs.depot_stops).c_str());
  const auto& depot_list = inputs.depots;
  const auto& stops = inputs.stops;
  const auto& beds = inputs.beds;
  const int vehicles = inputs.vehicles;

  // Travel engine, then the plan over the stop x stop matrix with paths.
  core::TravelSettings travel = doc.config.travel;
  if (!common->scenario.empty()) {
    const core::Scenario* sc = analysis::find_scenario(doc.config, common->scenario);
    if (!sc) return project_bad(file + ": no scenario named '" + common->scenario + "' (没有这个情景)");
    travel = analysis::apply_scenario(travel, *sc);
  }
  core::Diagnostics diag;
  const auto pt = analysis::build_project_travel(doc, travel, diag, common->scenario);
  if (print_problems(diag)) return 2;
  o.memory_limit_gb = doc.config.limits.memory_gb;
  const auto res = opt::plan_project_caravans(pt.model, inputs, o);
  for (const auto& msg : res.problems) return project_bad(file + ": " + msg);
  const auto& prob = res.problem;
  const auto& plan = res.plan;
  const auto& tour_depot = res.tour_depot;
  const auto& existing = res.existing;
  const auto& pts = res.points;
  const int nd = res.depot_count;
  const int n = static_cast<int>(pts.size());
  const bool en = common->english;
  // Route lines following the roads, one per scheduled tour.
  core::Geometries lines;
  lines.kind = core::GeomKind::Line;
  core::Table attrs;
  const int c_tour = attrs.add_column(en ? "tour" : "行程", core::FieldType::Integer);
  const int c_depot = attrs.add_column(en ? "depot" : "驻地", core::FieldType::Text);
  const int c_veh = attrs.add_column(en ? "vehicle" : "车辆", core::FieldType::Integer);
  const int c_start = attrs.add_column(en ? "start" : "出发日期", core::FieldType::Text);
  const int c_days = attrs.add_column(en ? "days" : "天数", core::FieldType::Integer);
  const int c_km = attrs.add_column(en ? "km" : "里程_km", core::FieldType::Real);
  const int c_drive = attrs.add_column(en ? "driving_h" : "驾驶_小时", core::FieldType::Real);
  const int c_stops = attrs.add_column(en ? "stops" : "站点", core::FieldType::Text);
  auto stop_list = [&](const opt::CaravanTour& t) {
    std::string sl;
    for (int s : t.stops) sl += (sl.empty() ? "" : "、") + prob.stops[static_cast<std::size_t>(s)].name;
    return sl;
  };
  std::vector<std::size_t> scheduled;
  for (std::size_t i = 0; i < plan.tours.size(); ++i)
    if (plan.tours[i].first_day >= 0) scheduled.push_back(i);
  for (std::size_t k = 0; k < scheduled.size(); ++k) {
    const auto& t = plan.tours[scheduled[k]];
    std::vector<core::Vec2> line = res.tour_line(t);
    if (line.size() == 1) line.push_back(line.front());
    if (!line.empty()) {
      lines.add_ring(line);
      lines.end_part();
    }
    lines.end_feature();
    attrs.columns[static_cast<std::size_t>(c_tour)].push_int(static_cast<std::int64_t>(k + 1));
    attrs.columns[static_cast<std::size_t>(c_depot)].push_text(
        depot_list[static_cast<std::size_t>(tour_depot[scheduled[k]])].name);
    attrs.columns[static_cast<std::size_t>(c_veh)].push_int(t.vehicle + 1);
    attrs.columns[static_cast<std::size_t>(c_start)].push_text(opt::date_string(st.year, t.first_day));
    attrs.columns[static_cast<std::size_t>(c_days)].push_int(t.days);
    attrs.columns[static_cast<std::size_t>(c_km)].push_real(
        std::round(static_cast<double>(t.meters) / 100.0) / 10.0);
    attrs.columns[static_cast<std::size_t>(c_drive)].push_real(std::round(t.drive / 360.0) / 10.0);
    attrs.columns[static_cast<std::size_t>(c_stops)].push_text(stop_list(t));
  }

  // Stops with their planned visits (points).
  core::Geometries stop_pts;
  stop_pts.kind = core::GeomKind::Point;
  core::Table stop_attrs;
  const int s_name = stop_attrs.add_column(en ? "name" : "名称", core::FieldType::Text);
  const int s_req = stop_attrs.add_column(en ? "required" : "要求次数", core::FieldType::Integer);
  const int s_plan = stop_attrs.add_column(en ? "planned" : "计划次数", core::FieldType::Integer);
  const int s_why = stop_attrs.add_column(en ? "reason" : "原因", core::FieldType::Text);
  std::vector<int> planned(static_cast<std::size_t>(n), 0);
  std::vector<std::string> why(static_cast<std::size_t>(n));
  for (std::size_t i : scheduled)
    for (int s : plan.tours[i].stops) ++planned[static_cast<std::size_t>(s)];
  for (const auto& u : plan.unserved) why[static_cast<std::size_t>(u.stop)] = u.reason;
  for (int i = nd; i < nd + static_cast<int>(stops.size()); ++i) {
    stop_pts.add_point_feature(pts[static_cast<std::size_t>(i)]);
    stop_attrs.columns[static_cast<std::size_t>(s_name)].push_text(
        prob.stops[static_cast<std::size_t>(i)].name);
    stop_attrs.columns[static_cast<std::size_t>(s_req)].push_int(
        prob.stops[static_cast<std::size_t>(i)].visits_per_year);
    stop_attrs.columns[static_cast<std::size_t>(s_plan)].push_int(planned[static_cast<std::size_t>(i)]);
    stop_attrs.columns[static_cast<std::size_t>(s_why)].push_text(why[static_cast<std::size_t>(i)]);
  }

  // Schedule workbook.
  std::vector<report::Sheet> sheets(existing.empty() ? 4 : 5);
  sheets[0].name = en ? "tours" : "行程";
  sheets[0].headers = en ? std::vector<std::string>{"tour", "depot", "vehicle", "start",     "end",
                                                    "days", "stops", "km",      "driving h", "stops visited"}
                         : std::vector<std::string>{"行程", "驻地",   "车辆",       "出发日期",   "返回日期",
                                                    "天数", "站点数", "里程(公里)", "驾驶(小时)", "到访站点"};
  sheets[1].name = en ? "itinerary" : "日程";
  sheets[1].headers =
      en ? std::vector<std::string>{"tour", "day", "date", "start", "end", "activity", "from", "to"}
         : std::vector<std::string>{"行程", "第几天", "日期", "开始", "结束", "活动", "从", "到"};
  sheets[2].name = en ? "unserved" : "未满足";
  sheets[2].headers = en ? std::vector<std::string>{"stop", "visits missing", "reason"}
                         : std::vector<std::string>{"站点", "缺少次数", "原因"};
  sheets[3].name = en ? "totals" : "合计";
  sheets[3].headers = en ? std::vector<std::string>{"item", "value", "unit"}
                         : std::vector<std::string>{"项目", "数值", "单位"};
  const char* kind_zh[] = {"行驶", "等待", "展览", "住宿"};
  const char* kind_en[] = {"drive", "wait", "exhibit", "overnight"};
  for (std::size_t k = 0; k < scheduled.size(); ++k) {
    const auto& t = plan.tours[scheduled[k]];
    sheets[0].rows.push_back({report::Cell(static_cast<double>(k + 1)),
                              depot_list[static_cast<std::size_t>(tour_depot[scheduled[k]])].name,
                              report::Cell(static_cast<double>(t.vehicle + 1)),
                              report::Cell::date(opt::date_string(st.year, t.first_day)),
                              report::Cell::date(opt::date_string(st.year, t.first_day + t.days - 1)),
                              report::Cell::count(t.days),
                              report::Cell::count(static_cast<double>(t.stops.size())),
                              report::Cell(static_cast<double>(t.meters) / 1000.0, 1),
                              report::Cell(t.drive / 3600.0, 1), stop_list(t)});
    for (const auto& stp : t.steps)
      sheets[1].rows.push_back(
          {report::Cell(static_cast<double>(k + 1)), report::Cell(static_cast<double>(stp.day + 1)),
           report::Cell::date(opt::date_string(st.year, t.first_day + stp.day)),
           report::Cell::time(opt::clock_string(stp.start)), report::Cell::time(opt::clock_string(stp.end)),
           (en ? kind_en : kind_zh)[static_cast<int>(stp.kind)],
           prob.stops[static_cast<std::size_t>(stp.from)].name,
           prob.stops[static_cast<std::size_t>(stp.to)].name});
  }
  for (const auto& u : plan.unserved)
    sheets[2].rows.push_back(
        {prob.stops[static_cast<std::size_t>(u.stop)].name, report::Cell::count(u.missing), u.reason});
  const auto& tot = plan.totals;
  auto total_row = [&](const char* zh, const char* en_label, report::Cell v, const char* unit_zh,
                       const char* unit_en) {
    sheets[3].rows.push_back({en ? en_label : zh, std::move(v), en ? unit_en : unit_zh});
  };
  total_row("行程数", "tours", report::Cell::count(tot.tours), "个", "tours");
  total_row("车辆数", "vehicles", report::Cell::count(vehicles), "辆", "vehicles");
  total_row("出车天数", "vehicle-days", report::Cell::count(tot.vehicle_days), "车·天", "vehicle-days");
  total_row("可出车天数(每车)", "open days per vehicle", report::Cell::count(tot.open_days), "天", "days");
  total_row("里程", "distance", report::Cell(tot.km, 1), "公里", "km");
  total_row("驾驶时间", "driving", report::Cell(tot.drive_hours, 1), "小时", "h");
  total_row("到访次数", "visits", report::Cell::count(tot.visits), "次", "visits");
  total_row("要求到访次数", "visits required", report::Cell::count(tot.visits_required), "次", "visits");
  total_row("覆盖人口", "people reached", report::Cell::count(tot.people), "人", "people");
  total_row("达标站点比例", "share of stops meeting the target", report::Cell::share(tot.share_met()), "%",
            "%");
  if (!existing.empty()) {
    sheets[4].name = en ? "existing routes" : "现有线路";
    sheets[4].headers = en ? std::vector<std::string>{"route", "stops", "reached",   "tours",
                                                      "days",  "km",    "driving h", "not reached"}
                           : std::vector<std::string>{"线路", "站点数",     "可到达",     "行程数",
                                                      "天数", "里程(公里)", "驾驶(小时)", "无法到达"};
    for (const auto& e : existing) {
      std::string miss;
      for (const auto& u : e.ev.unserved)
        miss +=
            (miss.empty() ? "" : "；") + prob.stops[static_cast<std::size_t>(u.stop)].name + ": " + u.reason;
      sheets[4].rows.push_back({e.name, report::Cell(static_cast<double>(e.stops)),
                                report::Cell(static_cast<double>(e.stops - e.ev.unserved.size())),
                                report::Cell(static_cast<double>(e.ev.tours.size())),
                                report::Cell(static_cast<double>(e.ev.days)),
                                report::Cell(static_cast<double>(e.ev.meters) / 1000.0, 1),
                                report::Cell(e.ev.drive / 3600.0, 1), miss});
    }
  }

  namespace fs = std::filesystem;
  try {
    fs::create_directories(common->out_dir);
    fs::create_directories(common->out_dir / "tours");
    io::WriteOptions wo;
    wo.analysis_crs = doc.analysis_crs;
    wo.output_crs = output_crs_definition(common->crs, doc);
    {
      const core::Style style = output_style(common->project);
      io::GpkgLayerMeta routes_meta, stops_meta;
      routes_meta.table = "caravan_routes";
      routes_meta.title = en ? "caravan tours along the roads" : "大篷车巡展路线";
      routes_meta.qml = report::qml_lines(style.for_role(core::Role::CaravanRoute), {});
      stops_meta.table = "caravan_stops";
      stops_meta.title = en ? "caravan stops" : "大篷车站点";
      stops_meta.qml = report::qml_points(style.for_role(core::Role::CaravanStop), en ? "name" : "名称", {});
      io::write_styled_gpkg(common->out_dir / "caravan.gpkg",
                            {io::LayerToWrite{"caravan_routes", &lines, &attrs},
                             io::LayerToWrite{"caravan_stops", &stop_pts, &stop_attrs}},
                            wo, {routes_meta, stops_meta});
    }
    io::write_layers(common->out_dir / "caravan_routes.geojson",
                     {io::LayerToWrite{"caravan_routes", &lines, &attrs}}, wo);
    const geo::Transform to_coords(doc.analysis_crs, coords == "WGS84" ? std::string("EPSG:4326") : coords);
    for (std::size_t k = 0; k < scheduled.size(); ++k) {
      const auto& t = plan.tours[scheduled[k]];
      const auto tour_file = drivers_file(prob, res, t, static_cast<int>(k + 1),
                                          depot_list[static_cast<std::size_t>(tour_depot[scheduled[k]])].name,
                                          st.year, coords, to_coords, en);
      char base[32];
      std::snprintf(base, sizeof base, "tour_%02zu", k + 1);
      report::write_tour_gpx(common->out_dir / "tours" / (std::string(base) + ".gpx"), tour_file);
      report::write_tour_kml(common->out_dir / "tours" / (std::string(base) + ".kml"), tour_file);
    }
    report::write_xlsx(common->out_dir / "caravan_schedule.xlsx", sheets);
  } catch (const io::DataError& e) {
    std::fprintf(stderr, "%s\n", e.problem.to_line().c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: caravan: %s\n", e.what());
    return 2;
  }

  std::string depot_names;
  for (const auto& d : depot_list) depot_names += (depot_names.empty() ? "" : "、") + d.name;
  std::printf("驻地 depot: %s; 车辆 vehicles: %d; 站点 stops: %zu (+%zu 住宿点 places to sleep)\n",
              depot_names.c_str(), vehicles, stops.size(), beds.size());
  std::printf("行程 tours: %d (出车 %d 天 vehicle-days, 每车可出车 %d 天 open days)\n", tot.tours,
              tot.vehicle_days, tot.open_days);
  std::printf("里程 distance: %.1f km; 驾驶 driving: %.1f h\n", tot.km, tot.drive_hours);
  std::printf(
      "到访 visits: %d / %d; 达标站点 stops meeting the target: %d / %d (%.1f %%); 覆盖人口 people reached: "
      "%.0f\n",
      tot.visits, tot.visits_required, tot.stops_met, tot.stops_required, 100.0 * tot.share_met(),
      tot.people);
  for (const auto& u : plan.unserved)
    std::printf("未满足 unserved: %s: %s\n", prob.stops[static_cast<std::size_t>(u.stop)].name.c_str(),
                u.reason.c_str());
  for (const auto& e : existing)
    std::printf(
        "现有线路 existing route %s: %zu 站 stops, %zu 可到达 reached, %zu 次行程 tours, %d 天 days, %.1f "
        "km, %.1f h "
        "(vs plan: %d 天 days, %.1f km, %.1f h for all stops)\n",
        e.name.c_str(), e.stops, e.stops - e.ev.unserved.size(), e.ev.tours.size(), e.ev.days,
        static_cast<double>(e.ev.meters) / 1000.0, e.ev.drive / 3600.0, tot.vehicle_days, tot.km,
        tot.drive_hours);
  if (coords != "WGS84")
    std::printf("GPX/KML 坐标系 coordinates: %s (%s)\n", coords.c_str(),
                coords == "GCJ-02" ? "高德 Amap" : "百度 Baidu");
  std::printf("输出 written: %s\n", common->out_dir.string().c_str());
  return plan.unserved.empty() ? 0 : 1;
}

int run_caravan(const std::vector<std::string>& args) {
  // A project file (an argument not starting with "-") selects the project mode.
  bool standard_format = false;
  for (const auto& x : args)
    if (x == "--tsplib" || x == "--solomon" || x == "--help" || x == "-h") standard_format = true;
  if (!standard_format) {
    if (args.empty()) usage();
    return run_project(args);
  }
  std::string tsplib, solomon, objective = "distance";
  long long seed = 1, iterations = -1;
  bool print_routes = false;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&](std::string& out) {
      if (k + 1 >= args.size()) return false;
      out = args[++k];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else if (a == "--tsplib") {
      if (!value(tsplib)) return bad("--tsplib needs a file (需要文件)");
    } else if (a == "--solomon") {
      if (!value(solomon)) return bad("--solomon needs a file (需要文件)");
    } else if (a == "--seed") {
      if (!value(v) || !parse_int(v, seed) || seed < 0)
        return bad("--seed needs a non-negative integer (种子须为非负整数)");
    } else if (a == "--iterations") {
      if (!value(v) || !parse_int(v, iterations) || iterations < 0 || iterations > 100'000'000)
        return bad("--iterations needs an integer 0..100000000 (迭代次数无效)");
    } else if (a == "--objective") {
      if (!value(objective) || (objective != "distance" && objective != "vehicles"))
        return bad("--objective must be distance or vehicles (目标须为 distance 或 vehicles)");
    } else if (a == "--routes") {
      print_routes = true;
    } else {
      usage();
      return bad("unknown argument '" + a + "' (未知参数)");
    }
  }
  if (tsplib.empty() == solomon.empty()) {
    usage();
    return bad("give exactly one of --tsplib FILE or --solomon FILE (须指定一个实例文件)");
  }

  if (refuse_input_file(tsplib.empty() ? solomon : tsplib, tsplib.empty() ? "--solomon" : "--tsplib"))
    return 2;
  try {
    const auto t0 = std::chrono::steady_clock::now();
    if (!tsplib.empty()) {
      const auto inst = opt::read_tsplib(tsplib);
      const auto m = inst.matrix();
      opt::TspParams p;
      p.seed = static_cast<std::uint64_t>(seed);
      p.iterations = static_cast<int>(iterations);
      const auto r = opt::solve_tsp(m, p);
      const double secs = seconds_since(t0);
      // Feasible = a tour through every city exactly once (checked, not assumed).
      std::vector<char> seen(static_cast<std::size_t>(m.n), 0);
      bool ok = static_cast<int>(r.order.size()) == m.n;
      for (int c : r.order) {
        if (c < 0 || c >= m.n || seen[static_cast<std::size_t>(c)])
          ok = false;
        else
          seen[static_cast<std::size_t>(c)] = 1;
      }
      std::printf("实例 instance: %s (TSPLIB %s, %d 个点 nodes)\n", inst.name.c_str(),
                  inst.edge_weight_type.c_str(), m.n);
      std::printf("路线长度 tour length: %lld\n", static_cast<long long>(opt::tour_length(m, r.order)));
      std::printf("车辆 vehicles: 1\n");
      std::printf("可行 feasible: %s\n", ok ? "是 yes (every node exactly once)" : "否 no");
      std::printf("用时 time: %.2f s (%d kicks, seed %lld)\n", secs, r.iterations, seed);
      if (print_routes) {
        std::printf("路线 tour:");
        for (int c : r.order) std::printf(" %d", c + 1);
        std::printf(" %d\n", r.order.empty() ? 0 : r.order.front() + 1);
      }
      return ok ? 0 : 1;
    }
    const auto inst = opt::read_solomon(solomon);
    opt::VrpParams p;
    p.seed = static_cast<std::uint64_t>(seed);
    if (iterations >= 0) p.iterations = static_cast<int>(iterations);
    p.minimise_vehicles = objective == "vehicles";
    const auto sol = opt::solve_solomon(inst, p);
    const double secs = seconds_since(t0);
    const std::string why = opt::check_solomon(inst, sol);
    const bool ok = why.empty() && sol.unserved.empty();
    std::printf("实例 instance: %s (Solomon VRPTW, %d 个客户 customers, 车队 fleet %d × %d)\n",
                inst.name.c_str(), inst.size() - 1, inst.vehicles, inst.capacity);
    std::printf("总距离 distance: %.2f\n", sol.distance);
    std::printf("车辆 vehicles: %zu\n", sol.routes.size());
    if (ok)
      std::printf("可行 feasible: 是 yes (all customers served; windows and capacity checked exactly)\n");
    else if (!why.empty())
      std::printf("可行 feasible: 否 no (%s)\n", why.c_str());
    else
      std::printf("可行 feasible: 否 no (%zu customers unserved)\n", sol.unserved.size());
    std::printf("目标 objective: %s\n",
                p.minimise_vehicles ? "fewest vehicles, then distance" : "distance only");
    std::printf("用时 time: %.2f s (%d iterations, seed %lld)\n", secs, p.iterations, seed);
    if (print_routes)
      for (std::size_t r = 0; r < sol.routes.size(); ++r) {
        std::printf("路线 route %zu:", r + 1);
        for (int c : sol.routes[r]) std::printf(" %d", c);
        std::printf("\n");
      }
    return ok ? 0 : 1;
  } catch (const opt::FormatError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}

VerbRegistration reg{"caravan", "科普大篷车行程 caravan tours (--tsplib / --solomon benchmark instances)",
                     run_caravan};

}  // namespace
}  // namespace kepumap::app
