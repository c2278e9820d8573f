#pragma once
// Files for the caravan's drivers: one GPX 1.1 and one KML file per tour, written by hand so they
// carry what a phone or a navigation app shows — a waypoint per stop with its planned arrival,
// exhibition hours and overnight, the route in stop order, and the road-following track cut into
// one segment per day. Coordinates are longitude/latitude in the system the caller chose (WGS84,
// or GCJ-02 / BD-09 for 高德 / 百度 maps); each file says which.
#include <filesystem>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::report {

/// One place the caravan stops at: an exhibition, an overnight, or both, or the depot.
struct TourWaypoint {
  std::string name;         ///< the stop's name (Chinese)
  core::Vec2 lonlat;        ///< in the file's coordinate system
  int day = 0;              ///< 0 = the tour's first day
  std::string arrival;      ///< ISO 8601 local time with offset, "2025-04-01T10:30:00+08:00"
  std::string exhibit;      ///< exhibition hours "10:30–13:30", "" when none
  bool overnight = false;   ///< the crew sleeps here
  bool depot = false;       ///< the depot the tour starts from and returns to
  std::string description;  ///< one line in the chosen language
};

/// One tour's files.
struct TourFile {
  std::string name;                                ///< "行程 01 2025-04-01" / "tour 01 2025-04-01"
  std::string description;                         ///< depot, days, distance, stops
  std::string coords;                              ///< "WGS84", "GCJ-02" or "BD-09"
  std::string time;                                ///< file time, ISO 8601 (the tour's start)
  std::vector<std::string> day_names;              ///< "第1天 2025-04-01" per day of the tour
  std::vector<TourWaypoint> waypoints;             ///< in visiting order
  std::vector<std::vector<core::Vec2>> day_track;  ///< the road-following line of each day
  bool english = false;
};

/// Writes a GPX 1.1 file (valid against the GPX 1.1 schema): metadata naming the coordinate
/// system, a <wpt> per waypoint, one <rte> in stop order and one <trk> with a <trkseg> per day.
/// Through a temporary file renamed into place; throws std::runtime_error naming the file.
void write_tour_gpx(const std::filesystem::path& file, const TourFile& tour);

/// Writes a KML 2.2 file: a folder per day holding a placemark per stop and overnight and the
/// day's road-following line. Same writing rules as write_tour_gpx.
void write_tour_kml(const std::filesystem::path& file, const TourFile& tour);

/// Escapes &, <, >, " and ' for XML text and attribute values.
std::string xml_escape(const std::string& s);

}  // namespace kepumap::report
