#pragma once
// What a road line's attributes mean: class names and their default speeds (Chinese classes,
// OpenStreetMap `highway` values, Geofabrik `fclass` names and codes), values that are not
// roads, `maxspeed`, `oneway`/`junction`, and tag rules (`surface=unpaved`) for scenarios.
// Plain std; README "Road vocabulary" documents every table here.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/road_tags.hpp"

namespace kepumap::analysis {

/// One row of the road speed table: a class name (and its aliases) and a speed in km/h.
struct RoadClassSpeed {
  std::string name;                  ///< canonical class name (国道, 省道, residential, ...)
  std::vector<std::string> aliases;  ///< other spellings matched case-insensitively (G, trunk, 5112, ...)
  double kmh = 0.0;                  ///< speed of a motor vehicle, km/h
};

/// The documented default road speeds (README "Road vocabulary"), fitted to rural Inner
/// Mongolia: 高速/motorway 100, 国道/trunk 80, 省道/primary 70, 县道/secondary 60,
/// 乡道/tertiary 50, unclassified 40, residential 30, service 20, living_street 15, road 30,
/// gravel 40, track 30, track_grade1..5 50/40/30/25/20 km/h; every `*_link` as its parent.
const std::vector<RoadClassSpeed>& default_road_speeds();

/// Speeds after applying overrides (class -> km/h; a class not in the defaults is added, so a
/// project can give any value, even `footway`, a speed). The key "*" is not a class: it is the
/// speed of lines whose class is unknown or empty (see `fallback_kmh`).
std::vector<RoadClassSpeed> road_speed_table(std::span<const std::pair<std::string, double>> overrides);

/// The "*" entry of road speed overrides (last one wins), or 0 when there is none.
double fallback_kmh(std::span<const std::pair<std::string, double>> overrides);

/// Canonical class of a raw class value (e.g. "G210" or "trunk" -> "国道"); empty if unknown.
/// Exact names and aliases first, then route numbers (G/S/X/Y + digit), then (when `fuzzy`) a
/// Chinese class name contained in the value ("G303国道").
std::string canonical_road_class(std::string_view raw, std::span<const RoadClassSpeed> table,
                                 bool fuzzy = true);

/// Why a class value is not a road for motor vehicles.
enum class NotRoad : std::uint8_t {
  No = 0,      ///< it may be a road (look it up in the speed table)
  NotVehicle,  ///< footway, path, steps, cycleway, bridleway, pedestrian, corridor, platform, ...
  NotOpen,     ///< construction, proposed, abandoned, disused, razed, ...
};
/// Classifies a raw class value (OSM `highway`, Geofabrik `fclass` or code, 中文) as not a road.
NotRoad not_road(std::string_view raw);

/// OSM's `highway=track` + `tracktype=gradeN` -> "track_gradeN" (the Geofabrik name, a class of
/// the table); any other combination gives `highway` unchanged.
std::string osm_road_class(std::string_view highway, std::string_view tracktype);

/// Lowest plausible and highest plausible speed of a speed value, km/h.
inline constexpr double MIN_PLAUSIBLE_KMH = 5.0;
inline constexpr double MAX_PLAUSIBLE_KMH = 150.0;

/// What a speed value says.
struct SpeedValue {
  enum class Kind : std::uint8_t { None, Speed, Implausible };
  Kind kind = Kind::None;  ///< None: no number (empty, "none", "signals", "RU:rural", ...)
  double kmh = 0.0;        ///< the speed in km/h when kind is Speed or Implausible
};
/// Parses an OSM `maxspeed` (or any speed) value: "60", "60 km/h", "60 kmh", "60 mph",
/// "20 knots", several values "60;80" (the lowest counts); "none", "signals", "variable",
/// "walk", zone codes like "CN:rural" and empty give None. A number outside
/// [MIN_PLAUSIBLE_KMH, MAX_PLAUSIBLE_KMH] is Implausible; 0 is None (Geofabrik's "unknown").
SpeedValue parse_maxspeed(std::string_view v);

/// How one-way a road feature is.
enum class OneWay : std::int8_t { Both = 0, Forward = 1, Backward = -1 };

/// Parses a one-way value: "yes"/"true"/"1"/"F" (Geofabrik: forward)/"FT"/"forward" ->
/// Forward; "-1"/"reverse"/"backward"/"T" (Geofabrik: against the digitised direction)/"TF" ->
/// Backward; "no"/"false"/"0"/"B" (Geofabrik: both) and empty -> Both. Anything else (e.g.
/// "reversible", "alternating") is Both, with `understood` set to false.
OneWay parse_oneway(std::string_view v, bool* understood = nullptr);

/// One-way from the `oneway` value and the `junction` tag: an explicit oneway value wins;
/// without one, `junction=roundabout` (or `circular`) is one-way in the digitised direction.
OneWay resolve_oneway(std::string_view oneway, std::string_view junction);

using core::parse_tag_rule;
using core::road_tag_keys;
using core::TagRule;

}  // namespace kepumap::analysis
