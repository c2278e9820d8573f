#include "analysis/road_vocabulary.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include "core/ascii.hpp"

namespace kepumap::analysis {

namespace {

using core::lower_ascii;
std::string_view trim(std::string_view s) { return core::trim_blanks(s); }

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

const std::vector<RoadClassSpeed>& default_road_speeds() {
  // Aliases: Chinese names, OSM highway values (each *_link with its parent), Geofabrik fclass
  // names and their numeric codes (5111 motorway ... 5199 unknown).
  static const std::vector<RoadClassSpeed> table = {
      {"高速", {"高速公路", "expressway", "motorway", "freeway", "motorway_link", "5111", "5131"}, 100.0},
      {"国道", {"national", "trunk", "g", "trunk_link", "5112", "5132"}, 80.0},
      {"省道", {"provincial", "primary", "s", "primary_link", "5113", "5133"}, 70.0},
      {"县道", {"county", "secondary", "x", "secondary_link", "5114", "5134"}, 60.0},
      {"乡道", {"township", "tertiary", "y", "乡村道路", "村道", "tertiary_link", "5115", "5135"}, 50.0},
      {"unclassified", {"5121", "minor"}, 40.0},
      {"residential", {"5122", "街道"}, 30.0},
      {"living_street", {"5123"}, 15.0},
      {"service", {"5141"}, 20.0},
      {"road", {"unknown", "5199"}, 30.0},
      {"gravel", {"砂石路", "碎石路", "砂石", "gravel road", "unpaved"}, 40.0},
      {"track", {"草原路", "土路", "牧道", "草原土路", "grassland track", "dirt", "5142"}, 30.0},
      {"track_grade1", {"5143"}, 50.0},
      {"track_grade2", {"5144"}, 40.0},
      {"track_grade3", {"5145"}, 30.0},
      {"track_grade4", {"5146"}, 25.0},
      {"track_grade5", {"5147"}, 20.0},
  };
  return table;
}

std::vector<RoadClassSpeed> road_speed_table(std::span<const std::pair<std::string, double>> overrides) {
  auto table = default_road_speeds();
  for (const auto& [cls, kmh] : overrides) {
    if (cls == "*") continue;
    const auto canon = canonical_road_class(cls, table, false);
    bool found = false;
    for (auto& row : table)
      if (row.name == canon) {
        row.kmh = kmh;
        found = true;
      }
    if (!found) table.push_back({cls, {}, kmh});
  }
  return table;
}

double fallback_kmh(std::span<const std::pair<std::string, double>> overrides) {
  double kmh = 0.0;
  for (const auto& [cls, v] : overrides)
    if (cls == "*") kmh = v;
  return kmh;
}

std::string canonical_road_class(std::string_view raw, std::span<const RoadClassSpeed> table, bool fuzzy) {
  const auto v = lower_ascii(trim(raw));
  if (v.empty()) return {};
  for (const auto& row : table) {
    if (lower_ascii(row.name) == v) return row.name;
    for (const auto& a : row.aliases)
      if (lower_ascii(a) == v) return row.name;
  }
  // Chinese route numbers: G210, S101, X901, Y001 (a letter then a digit).
  if (v.size() >= 2 && v[1] >= '0' && v[1] <= '9') {
    const char* letter_class = nullptr;
    switch (v[0]) {
      case 'g':
        letter_class = "国道";
        break;
      case 's':
        letter_class = "省道";
        break;
      case 'x':
        letter_class = "县道";
        break;
      case 'y':
        letter_class = "乡道";
        break;
      default:
        break;
    }
    if (letter_class)
      for (const auto& row : table)
        if (row.name == letter_class) return row.name;
  }
  // A Chinese class name contained in a longer value ("G303国道", "省道S101"). Latin names are
  // never matched inside other words ("road" is not in "winter_road").
  if (!fuzzy) return {};
  for (const auto& row : table)
    if (!is_ascii(row.name) && v.find(lower_ascii(row.name)) != std::string::npos) return row.name;
  return {};
}

NotRoad not_road(std::string_view raw) {
  static const std::vector<std::string_view> not_vehicle = {
      "footway",   "path",     "steps",        "cycleway", "bridleway", "pedestrian",  "corridor",
      "platform",  "busway",   "bus_guideway", "raceway",  "elevator",  "via_ferrata", "ladder",
      "rest_area", "services", "5124",         "5125",     "5151",      "5152",        "5153",
      "5154",      "5155",     "人行道",       "步行道",   "自行车道",  "台阶"};
  static const std::vector<std::string_view> not_open = {
      "construction", "proposed", "abandoned", "disused", "razed", "planned", "dismantled", "在建", "规划"};
  const auto v = lower_ascii(trim(raw));
  if (v.empty()) return NotRoad::No;
  if (std::find(not_vehicle.begin(), not_vehicle.end(), v) != not_vehicle.end()) return NotRoad::NotVehicle;
  if (std::find(not_open.begin(), not_open.end(), v) != not_open.end()) return NotRoad::NotOpen;
  return NotRoad::No;
}

std::string osm_road_class(std::string_view highway, std::string_view tracktype) {
  const auto h = lower_ascii(trim(highway));
  const auto t = lower_ascii(trim(tracktype));
  if (h == "track" && t.size() == 6 && t.compare(0, 5, "grade") == 0 && t[5] >= '1' && t[5] <= '5')
    return "track_" + t;
  return std::string(trim(highway));
}

SpeedValue parse_maxspeed(std::string_view raw) {
  SpeedValue out;
  std::string_view rest = raw;
  bool any = false;
  double lowest = 0.0;
  // Several values separated by ';' (lanes, conditions): the lowest number counts.
  while (true) {
    const auto semi = rest.find(';');
    const std::string one = lower_ascii(trim(rest.substr(0, semi)));
    if (!one.empty()) {
      const char* b = one.data();
      const char* e = one.data() + one.size();
      double v = 0.0;
      const auto [p, ec] = std::from_chars(b, e, v);
      if (ec == std::errc() && p != b && std::isfinite(v)) {
        std::string unit = lower_ascii(trim(std::string_view(p, static_cast<std::size_t>(e - p))));
        double factor = -1.0;
        if (unit.empty() || unit == "km/h" || unit == "kmh" || unit == "kph" || unit == "km")
          factor = 1.0;
        else if (unit == "mph")
          factor = 1.609344;
        else if (unit == "knots" || unit == "knot" || unit == "kn")
          factor = 1.852;
        if (factor > 0 && v > 0) {
          const double kmh = v * factor;
          if (!any || kmh < lowest) lowest = kmh;
          any = true;
        }
      }
    }
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  if (!any) return out;
  out.kmh = lowest;
  out.kind = lowest >= MIN_PLAUSIBLE_KMH && lowest <= MAX_PLAUSIBLE_KMH ? SpeedValue::Kind::Speed
                                                                        : SpeedValue::Kind::Implausible;
  return out;
}

OneWay parse_oneway(std::string_view v, bool* understood) {
  const auto s = lower_ascii(trim(v));
  if (understood) *understood = true;
  if (s == "yes" || s == "1" || s == "true" || s == "f" || s == "ft" || s == "forward" || s == "是")
    return OneWay::Forward;
  if (s == "-1" || s == "reverse" || s == "backward" || s == "t" || s == "tf") return OneWay::Backward;
  if (s.empty() || s == "no" || s == "0" || s == "false" || s == "b" || s == "both" || s == "否")
    return OneWay::Both;
  if (understood) *understood = false;
  return OneWay::Both;
}

OneWay resolve_oneway(std::string_view oneway, std::string_view junction) {
  if (!trim(oneway).empty()) return parse_oneway(oneway);
  const auto j = lower_ascii(trim(junction));
  if (j == "roundabout" || j == "circular") return OneWay::Forward;
  return OneWay::Both;
}

}  // namespace kepumap::analysis
