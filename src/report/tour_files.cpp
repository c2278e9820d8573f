#include "report/tour_files.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "core/atomic_file.hpp"

namespace kepumap::report {
namespace {

/// Seven decimals: about 1 cm, finer than any road line we draw.
std::string coord(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7f", v);
  return buf;
}

std::string latlon_attrs(core::Vec2 p) { return "lat=\"" + coord(p.y) + "\" lon=\"" + coord(p.x) + "\""; }

std::string kml_coords(const std::vector<core::Vec2>& line) {
  std::string s;
  for (const auto& p : line) {
    if (!s.empty()) s += ' ';
    s += coord(p.x) + "," + coord(p.y);
  }
  return s;
}

std::string coords_note(const TourFile& t) {
  if (t.english) {
    if (t.coords == "GCJ-02")
      return "Coordinates: GCJ-02 (for Amap/高德 and Tencent maps), longitude/latitude";
    if (t.coords == "BD-09") return "Coordinates: BD-09 (for Baidu/百度 maps), longitude/latitude";
    return "Coordinates: WGS84 longitude/latitude (GPS)";
  }
  if (t.coords == "GCJ-02") return "坐标系：GCJ-02（高德、腾讯地图用），经纬度";
  if (t.coords == "BD-09") return "坐标系：BD-09（百度地图用），经纬度";
  return "坐标系：WGS84 经纬度（GPS）";
}

std::string waypoint_type(const TourWaypoint& w, bool en) {
  if (w.depot) return en ? "depot" : "驻地";
  if (!w.exhibit.empty() && w.overnight) return en ? "exhibition, overnight" : "展览、住宿";
  if (w.overnight) return en ? "overnight" : "住宿";
  return en ? "exhibition" : "展览";
}

void write_or_throw(const std::filesystem::path& file, const std::string& text) {
  if (!core::write_file_atomic(file, text))
    throw std::runtime_error(file.string() + ": cannot be written (无法写入)");
}

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab and newlines are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

void write_tour_gpx(const std::filesystem::path& file, const TourFile& t) {
  const bool en = t.english;
  std::string x;
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<gpx version=\"1.1\" creator=\"kepumap\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n";
  x += "  <metadata>\n    <name>" + xml_escape(t.name) + "</name>\n";
  x += "    <desc>" + xml_escape(coords_note(t) + (t.description.empty() ? "" : "; " + t.description)) +
       "</desc>\n";
  if (!t.time.empty()) x += "    <time>" + t.time + "</time>\n";
  x += "  </metadata>\n";
  // The schema's order inside <wpt>: time, name, cmt, desc, sym, type.
  for (const auto& w : t.waypoints) {
    x += "  <wpt " + latlon_attrs(w.lonlat) + ">\n";
    if (!w.arrival.empty()) x += "    <time>" + w.arrival + "</time>\n";
    x += "    <name>" + xml_escape(w.name) + "</name>\n";
    x += "    <cmt>" + xml_escape(waypoint_type(w, en)) + "</cmt>\n";
    x += "    <desc>" + xml_escape(w.description) + "</desc>\n";
    x += std::string("    <sym>") +
         (w.depot                            ? "Flag"
          : w.overnight && w.exhibit.empty() ? "Lodging"
                                             : "Flag") +
         "</sym>\n";
    x += "    <type>" + xml_escape(waypoint_type(w, en)) + "</type>\n";
    x += "  </wpt>\n";
  }
  x += "  <rte>\n    <name>" + xml_escape(t.name) + "</name>\n";
  for (const auto& w : t.waypoints) {
    x += "    <rtept " + latlon_attrs(w.lonlat) + ">\n";
    if (!w.arrival.empty()) x += "      <time>" + w.arrival + "</time>\n";
    x += "      <name>" + xml_escape(w.name) + "</name>\n    </rtept>\n";
  }
  x += "  </rte>\n";
  x += "  <trk>\n    <name>" + xml_escape(t.name) + "</name>\n";
  x += "    <desc>" +
       xml_escape(en ? "road-following track, one segment per day" : "沿道路的轨迹，每天一段") + "</desc>\n";
  bool any_segment = false;
  for (const auto& day : t.day_track) {
    if (day.empty()) continue;
    any_segment = true;
    x += "    <trkseg>\n";
    for (const auto& p : day) x += "      <trkpt " + latlon_attrs(p) + "/>\n";
    x += "    </trkseg>\n";
  }
  if (!any_segment) x += "    <trkseg/>\n";
  x += "  </trk>\n</gpx>\n";
  write_or_throw(file, x);
}

void write_tour_kml(const std::filesystem::path& file, const TourFile& t) {
  const bool en = t.english;
  std::string x;
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n";
  x += "  <name>" + xml_escape(t.name) + "</name>\n";
  x += "  <description>" + xml_escape(coords_note(t) + (t.description.empty() ? "" : "\n" + t.description)) +
       "</description>\n";
  x +=
      "  <Style id=\"exhibition\"><IconStyle><color>ff0055ff</color><scale>1.1</scale></IconStyle></Style>\n";
  x += "  <Style id=\"overnight\"><IconStyle><color>ffff7f00</color><scale>1.1</scale></IconStyle></Style>\n";
  x += "  <Style id=\"depot\"><IconStyle><color>ff000000</color><scale>1.3</scale></IconStyle></Style>\n";
  x += "  <Style id=\"route\"><LineStyle><color>ff0055ff</color><width>4</width></LineStyle></Style>\n";
  const std::size_t days = std::max(t.day_names.size(), t.day_track.size());
  for (std::size_t d = 0; d < days; ++d) {
    const std::string day_name = d < t.day_names.size()
                                     ? t.day_names[d]
                                     : (en ? "day " : "第") + std::to_string(d + 1) + (en ? "" : "天");
    x += "  <Folder>\n    <name>" + xml_escape(day_name) + "</name>\n";
    for (const auto& w : t.waypoints) {
      if (w.day != static_cast<int>(d)) continue;
      x += "    <Placemark>\n      <name>" + xml_escape(w.name) + "</name>\n";
      x += "      <description>" + xml_escape(w.description) + "</description>\n";
      if (!w.arrival.empty()) x += "      <TimeStamp><when>" + w.arrival + "</when></TimeStamp>\n";
      x += std::string("      <styleUrl>#") +
           (w.depot                            ? "depot"
            : w.overnight && w.exhibit.empty() ? "overnight"
                                               : "exhibition") +
           "</styleUrl>\n";
      x += "      <Point><coordinates>" + coord(w.lonlat.x) + "," + coord(w.lonlat.y) +
           "</coordinates></Point>\n    </Placemark>\n";
    }
    if (d < t.day_track.size() && t.day_track[d].size() >= 2) {
      x += "    <Placemark>\n      <name>" + xml_escape(day_name + (en ? " route" : " 路线")) + "</name>\n";
      x += "      <styleUrl>#route</styleUrl>\n";
      x += "      <LineString><tessellate>1</tessellate><coordinates>" + kml_coords(t.day_track[d]) +
           "</coordinates></LineString>\n    </Placemark>\n";
    }
    x += "  </Folder>\n";
  }
  x += "</Document>\n</kml>\n";
  write_or_throw(file, x);
}

}  // namespace kepumap::report
