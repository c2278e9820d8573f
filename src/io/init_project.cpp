#include "io/init_project.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/ascii.hpp"
#include "core/document.hpp"
#include "io/csv_points.hpp"
#include "io/errors.hpp"
#include "io/project.hpp"
#include "io/project_text.hpp"
#include "io/raster_io.hpp"
#include "io/vector_reader.hpp"

namespace kepumap::io {

namespace {

namespace fs = std::filesystem;
using core::Role;

std::string u8(const fs::path& p) {
  const auto s = p.u8string();
  return std::string(s.begin(), s.end());
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

core::Problem problem(const std::string& file, std::string what) {
  core::Problem p;
  p.file = file;
  p.what = std::move(what);
  return p;
}

// ---- what a file is -----------------------------------------------------------------------

enum class FileKind { Vector, Csv, Osm, Raster, Sidecar, NotData };

/// Lower-case extension; ".osm.pbf" counts as ".pbf".
std::string ext_of(const fs::path& p) { return core::lower_ascii(u8(p.extension())); }

FileKind kind_of_file(const fs::path& p) {
  const std::string e = ext_of(p);
  static const std::set<std::string> vector{".shp",    ".gpkg", ".geojson", ".json", ".topojson",
                                            ".kml",    ".kmz",  ".gpx",     ".fgb",  ".gml",
                                            ".sqlite", ".tab",  ".mif",     ".gdb",  ".geojsonl"};
  static const std::set<std::string> sidecar{
      ".shx",  ".prj", ".cpg", ".qpj", ".sbn",  ".sbx",      ".qix",      ".fix", ".xml", ".ovr", ".tfw",
      ".tifw", ".wld", ".aux", ".qmd", ".lock", ".gpkg-wal", ".gpkg-shm", ".dat", ".id",  ".map", ".ind"};
  if (vector.count(e)) return FileKind::Vector;
  if (e == ".csv" || e == ".tsv" || e == ".txt") return FileKind::Csv;
  if (e == ".osm" || e == ".pbf") return FileKind::Osm;
  if (e == ".tif" || e == ".tiff" || e == ".asc" || e == ".img" || e == ".vrt") return FileKind::Raster;
  if (sidecar.count(e)) return FileKind::Sidecar;
  if (e == ".dbf") {
    fs::path shp = p;
    for (const char* x : {".shp", ".SHP"})
      if (fs::exists(shp.replace_extension(x))) return FileKind::Sidecar;
    return FileKind::NotData;
  }
  return FileKind::NotData;
}

/// The file's name without its data extension(s): "roads.osm.pbf" -> "roads".
std::string stem_of(const fs::path& p) {
  std::string s = u8(p.stem());
  if (ends_with(core::lower_ascii(s), ".osm")) s.resize(s.size() - 4);
  return s;
}

// ---- role hints ---------------------------------------------------------------------------

/// What a word in a name or a value suggests; the role follows from the geometry.
enum class Hint {
  Banner,
  Township,
  Village,
  Seat,
  Museum,
  Base,
  Depot,
  Route,
  Stop,
  Caravan,
  Road,
  Border,
  Water,
  Population,
  Landcover
};

std::string_view hint_text(Hint h) {
  switch (h) {
    case Hint::Banner:
      return "banner/county level (旗/县)";
    case Hint::Township:
      return "township level (苏木/镇/乡/街道)";
    case Hint::Village:
      return "village level (嘎查/村/社区)";
    case Hint::Seat:
      return "places/seats (驻地/居民点)";
    case Hint::Museum:
      return "science museum (科技馆)";
    case Hint::Base:
      return "education base (科普教育基地)";
    case Hint::Depot:
      return "caravan depot";
    case Hint::Route:
      return "route (路线)";
    case Hint::Stop:
      return "stops (站点)";
    case Hint::Caravan:
      return "caravan (大篷车)";
    case Hint::Road:
      return "roads (道路)";
    case Hint::Border:
      return "border (边界/边境)";
    case Hint::Water:
      return "water (湖/河)";
    case Hint::Population:
      return "population (人口)";
    case Hint::Landcover:
      return "land cover (土地覆被)";
  }
  return "";
}

/// Words in file and layer names (lower-cased ASCII; Chinese as written), matched as substrings.
const std::vector<std::pair<Hint, std::vector<std::string_view>>>& name_words() {
  static const std::vector<std::pair<Hint, std::vector<std::string_view>>> words{
      {Hint::Village, {"嘎查", "村", "社区", "village", "gacha", "community"}},
      {Hint::Township, {"苏木", "乡镇", "镇", "乡", "街道", "township", "soum", "sumu", "town", "street"}},
      {Hint::Banner, {"旗", "县", "banner", "county", "counties", "district"}},
      {Hint::Seat, {"驻地", "居民点", "居民地", "seat", "place", "cities", "city", "settlement", "geonames"}},
      {Hint::Museum, {"科技馆", "museum", "science_cent"}},
      {Hint::Base, {"基地", "base", "education"}},
      {Hint::Depot, {"depot", "车库", "停放"}},
      {Hint::Route, {"route", "路线", "线路"}},
      {Hint::Stop, {"stop", "站点", "巡展点", "停靠"}},
      {Hint::Caravan, {"caravan", "大篷车", "流动"}},
      {Hint::Road, {"道路", "公路", "路网", "road", "highway", "国道", "省道", "县道"}},
      {Hint::Border, {"边界", "边境", "国界", "border", "frontier", "countries", "country"}},
      {Hint::Water, {"湖", "河", "水", "淖", "lake", "river", "water", "reservoir", "canal", "hydro"}},
      {Hint::Population, {"人口", "population", "worldpop", "pop"}},
      {Hint::Landcover, {"landcover", "land_cover", "土地", "覆被", "worldcover", "lulc"}},
  };
  return words;
}

/// Endings of feature names (the name column's values) and what they suggest.
const std::vector<std::pair<Hint, std::vector<std::string_view>>>& value_endings() {
  static const std::vector<std::pair<Hint, std::vector<std::string_view>>> endings{
      {Hint::Village, {"嘎查", "村", "社区", "村委会", "居委会", "分场"}},
      {Hint::Township, {"苏木", "镇", "乡", "街道", "办事处"}},
      {Hint::Banner, {"旗", "县", "市", "区"}},
      {Hint::Museum, {"科技馆", "科学馆", "科普馆"}},
      {Hint::Base, {"基地"}},
      {Hint::Water, {"湖", "海", "淖尔", "诺尔", "水库", "河", "泡子"}},
  };
  return endings;
}

/// Attribute names that suggest a role.
const std::vector<std::pair<Hint, std::vector<std::string_view>>>& column_words() {
  static const std::vector<std::pair<Hint, std::vector<std::string_view>>> cols{
      {Hint::Road, {"highway", "fclass", "tracktype", "maxspeed", "road_class", "道路等级", "speed_kmh"}},
      {Hint::Water, {"waterway", "lake_id", "river_class", "gshhg_level"}},
      {Hint::Seat, {"feature_code", "feature_class", "geonameid", "asciiname"}},
      {Hint::Stop, {"seq", "顺序", "stop_order"}},
      {Hint::Depot, {"vehicles", "车辆数"}},
      {Hint::Border, {"border", "wdbii_level"}},
  };
  return cols;
}

std::string kind_name(core::GeomKind k) {
  switch (k) {
    case core::GeomKind::Point:
      return "point";
    case core::GeomKind::Line:
      return "line";
    case core::GeomKind::Polygon:
      return "polygon";
    case core::GeomKind::None:
      break;
  }
  return "none";
}

/// The role a hint gives a layer of this geometry; Other when the hint does not fit it.
Role role_for(Hint h, const std::string& kind, bool has_col_vehicles) {
  const bool pt = kind == "point", ln = kind == "line", pg = kind == "polygon", rs = kind == "raster";
  switch (h) {
    case Hint::Banner:
      return pg ? Role::Banner : (pt ? Role::Town : Role::Other);
    case Hint::Township:
      return pg ? Role::Township : (pt ? Role::Town : Role::Other);
    case Hint::Village:
      return pg || pt ? Role::Village : Role::Other;
    case Hint::Seat:
      return pt ? Role::Town : Role::Other;
    case Hint::Museum:
      return pt || pg ? Role::Museum : Role::Other;
    case Hint::Base:
      return pt || pg ? Role::EducationBase : Role::Other;
    case Hint::Depot:
      return pt ? Role::CaravanDepot : Role::Other;
    case Hint::Route:
      return ln ? Role::CaravanRoute : Role::Other;
    case Hint::Stop:
      return pt ? Role::CaravanStop : Role::Other;
    case Hint::Caravan:
      return ln ? Role::CaravanRoute
                : (pt ? (has_col_vehicles ? Role::CaravanDepot : Role::CaravanStop) : Role::Other);
    case Hint::Road:
      return ln ? Role::Road : Role::Other;
    case Hint::Border:
      return ln || pg ? Role::Border : Role::Other;
    case Hint::Water:
      return ln || pg ? Role::Water : Role::Other;
    case Hint::Population:
      return rs ? Role::Population : Role::Other;
    case Hint::Landcover:
      return Role::Other;
  }
  return Role::Other;
}

// ---- field mapping ------------------------------------------------------------------------

/// Candidate attribute names per mapped field, best first; matched exactly (ASCII case
/// ignored), then as a part of the attribute name for the Chinese words.
struct FieldWords {
  std::vector<std::string_view> exact;
  std::vector<std::string_view> part;
};

const FieldWords& name_field_words() {
  static const FieldWords w{
      {"名称", "名字", "地名", "中文名", "name_zh", "name_cn", "name_chn", "name", "xzqmc", "mc", "名"},
      {"名称", "名字"}};
  return w;
}
const FieldWords& name_en_words() {
  static const FieldWords w{{"name_en", "ename", "英文名", "english", "name_eng", "asciiname"}, {"英文"}};
  return w;
}
const FieldWords& code_words() {
  static const FieldWords w{{"代码", "编码", "行政区划代码", "区划代码", "code", "adcode", "xzqdm", "gbcode",
                             "admin_code", "行政代码"},
                            {"代码", "编码"}};
  return w;
}
const FieldWords& population_words() {
  static const FieldWords w{
      {"人口", "总人口", "常住人口", "户籍人口", "人口数", "population", "pop", "pop_total", "people", "rk"},
      {"人口"}};
  return w;
}
const FieldWords& level_words() {
  static const FieldWords w{{"级别", "等级", "level", "grade"}, {"级别"}};
  return w;
}
const FieldWords& capacity_words() {
  static const FieldWords w{
      {"capacity", "容量", "接待能力", "vehicles", "车辆数", "车辆", "seats", "座位数", "年接待量"},
      {"接待", "容量"}};
  return w;
}
const FieldWords& road_class_words() {
  static const FieldWords w{
      {"class", "road_class", "道路等级", "等级", "技术等级", "type", "类型", "kind", "rank"}, {"等级"}};
  return w;
}
const FieldWords& speed_words() {
  static const FieldWords w{{"speed_kmh", "speed", "速度", "设计速度", "限速", "maxspeed", "kmh"},
                            {"速度", "限速"}};
  return w;
}
const FieldWords& oneway_words() {
  static const FieldWords w{{"oneway", "one_way", "单行", "单向", "单行线"}, {"单行", "单向"}};
  return w;
}
const FieldWords& pastoral_words() {
  static const FieldWords w{{"pastoral", "牧区", "is_pastoral"}, {"牧区"}};
  return w;
}

/// The attribute matching `words`; `numeric` keeps only columns whose values are numbers.
std::string find_field(const core::Table& t, const FieldWords& words, bool numeric,
                       const std::set<std::string>& taken) {
  auto usable = [&](const core::Column& c) {
    if (taken.count(c.name)) return false;
    if (!numeric || c.type != core::FieldType::Text) return true;
    for (std::size_t r = 0; r < c.size(); ++r)
      if (!c.is_null(r) && !core::trim_blanks(c.texts[r]).empty() && !c.number(r)) return false;
    return true;
  };
  for (const auto& w : words.exact)
    for (const auto& c : t.columns)
      if (core::lower_ascii(core::trim_blanks(c.name)) == w && usable(c)) return c.name;
  for (const auto& w : words.part)
    for (const auto& c : t.columns)
      if (contains(c.name, w) && usable(c)) return c.name;
  return {};
}

/// Share of a text column's non-empty values ending in one of `endings`; counts filled in.
double share_ending(const core::Column& c, const std::vector<std::string_view>& endings, std::size_t& hits,
                    std::size_t& filled) {
  hits = filled = 0;
  for (std::size_t r = 0; r < c.size(); ++r) {
    if (c.is_null(r)) continue;
    const std::string v(core::trim_blanks(c.text(r)));
    if (v.empty()) continue;
    ++filled;
    for (const auto& e : endings)
      if (ends_with(v, e)) {
        ++hits;
        break;
      }
  }
  return filled ? static_cast<double>(hits) / static_cast<double>(filled) : 0.0;
}

// ---- one layer ----------------------------------------------------------------------------

struct Scores {
  std::map<Role, int> score;
  std::map<Role, std::vector<std::string>> why;
  void add(Role r, int s, std::string reason) {
    if (r == Role::Other) return;
    score[r] += s;
    why[r].push_back(std::move(reason));
  }
};

/// Guesses role and fields of a vector layer read in lon/lat.
void guess_vector(const core::Layer& layer, const std::string& name_text, InitLayer& out) {
  out.kind = kind_name(layer.geom.kind);
  out.features = layer.geom.feature_count();
  const auto& t = layer.attrs;
  bool has_vehicles = false;
  for (const auto& c : t.columns)
    if (core::lower_ascii(c.name) == "vehicles" || c.name == "车辆数") has_vehicles = true;

  Scores s;
  const std::string lname = core::lower_ascii(name_text);
  for (const auto& [hint, words] : name_words())
    for (const auto& w : words)
      if (contains(lname, w)) {
        s.add(role_for(hint, out.kind, has_vehicles), 3,
              "name '" + name_text + "' says " + std::string(hint_text(hint)));
        break;
      }
  for (const auto& [hint, words] : column_words())
    for (const auto& c : t.columns) {
      const std::string cn = core::lower_ascii(c.name);
      if (std::find(words.begin(), words.end(), cn) == words.end()) continue;
      s.add(role_for(hint, out.kind, has_vehicles), 2,
            "attribute '" + c.name + "' is typical of " + std::string(hint_text(hint)));
      break;
    }
  // Feature names (and a kind/type column) ending like 嘎查, 苏木, 科技馆, 湖 ...
  const std::string name_col = find_field(t, name_field_words(), false, {});
  std::vector<const core::Column*> value_cols;
  for (const auto& c : t.columns)
    if (c.type == core::FieldType::Text &&
        (c.name == name_col || core::lower_ascii(c.name) == "kind" || core::lower_ascii(c.name) == "type" ||
         c.name == "类型" || c.name == "names_han"))
      value_cols.push_back(&c);
  for (const auto& [hint, endings] : value_endings()) {
    for (const auto* c : value_cols) {
      std::size_t hits = 0, filled = 0;
      if (share_ending(*c, endings, hits, filled) < 0.5) continue;
      s.add(role_for(hint, out.kind, has_vehicles), 2,
            std::to_string(hits) + " of " + std::to_string(filled) + " values of '" + c->name +
                "' are named like " + std::string(hint_text(hint)));
      break;
    }
  }

  // The best role; a tie between different roles is not decided.
  Role best = Role::Other;
  int best_score = 0;
  std::vector<Role> tied;
  for (const auto& [r, sc] : s.score) {
    if (sc > best_score) {
      best = r;
      best_score = sc;
      tied = {r};
    } else if (sc == best_score) {
      tied.push_back(r);
    }
  }
  if (best_score == 0) {
    out.undecided.push_back("role: nothing in the name or attributes says what this " + out.kind +
                            " layer is (written as other)");
  } else if (tied.size() > 1) {
    std::string alts;
    for (auto r : tied) alts += (alts.empty() ? "" : " or ") + std::string(core::role_name(r));
    out.undecided.push_back("role: " + alts + "? (written as other)");
    for (auto r : tied)
      for (const auto& w : s.why[r]) out.why.push_back(w);
    best = Role::Other;
  } else {
    out.why = s.why[best];
  }
  out.spec.role = best;
  // Fields by role.
  auto& f = out.spec.fields;
  std::set<std::string> taken;
  auto take = [&](std::string& dst, const FieldWords& w, bool numeric) {
    dst = find_field(t, w, numeric, taken);
    if (!dst.empty()) taken.insert(dst);
  };
  const Role r = out.spec.role;
  take(f.name, name_field_words(), false);
  const bool unit = r == Role::Banner || r == Role::Township || r == Role::Village;
  const bool place = r == Role::Town || (r == Role::Village && out.kind == "point");
  if (unit || place || r == Role::Other) take(f.code, code_words(), false);
  if (unit || place) {
    take(f.name_en, name_en_words(), false);
    take(f.population, population_words(), true);
    if (!f.population.empty()) {
      // A population column that is mostly 0 or empty (GeoNames: 0 = unknown) is not people.
      const auto& c = t.columns[static_cast<std::size_t>(t.find(f.population))];
      std::size_t known = 0;
      for (std::size_t i = 0; i < c.size(); ++i)
        if (auto v = c.number(i); v && *v > 0) ++known;
      if (2 * known < c.size()) {
        out.undecided.push_back("population: '" + f.population + "' is 0 or empty in " +
                                std::to_string(c.size() - known) + " of " + std::to_string(c.size()) +
                                " features (unknown?); not mapped — map it if 0 means nobody");
        f.population.clear();
      }
    }
    if (r == Role::Village) take(f.pastoral, pastoral_words(), false);
  }
  if (unit) {
    // The unit's seat as WGS84 degrees in its own attributes (seat_lon/seat_lat, 驻地经度/驻地纬度).
    static const FieldWords seat_lon{{"seat_lon", "seat_lng", "seat_x", "驻地经度"}, {"驻地经度"}};
    static const FieldWords seat_lat{{"seat_lat", "seat_y", "驻地纬度"}, {"驻地纬度"}};
    const std::string x = find_field(t, seat_lon, true, taken), y = find_field(t, seat_lat, true, taken);
    if (!x.empty() && !y.empty()) {
      out.spec.seat.lon = x;
      out.spec.seat.lat = y;
      out.notes.push_back("seats (驻地) from the attributes " + x + "/" + y +
                          ", read as WGS84 degrees: check they are not GCJ-02 (web-map) coordinates");
    }
  }
  if (r == Role::Museum || r == Role::EducationBase) {
    take(f.level, level_words(), false);
    take(f.capacity, capacity_words(), true);
  }
  if (r == Role::CaravanDepot) take(f.capacity, capacity_words(), true);
  if (r == Role::CaravanStop) take(f.code, code_words(), false);
  if (r == Role::Road) {
    const bool osm_class = t.find("highway") >= 0 || t.find("fclass") >= 0;
    if (osm_class)
      out.notes.push_back("road class from the OSM/Geofabrik '" +
                          std::string(t.find("highway") >= 0 ? "highway" : "fclass") +
                          "' attribute (read without a mapping)");
    else
      take(f.road_class, road_class_words(), false);
    take(f.speed, speed_words(), true);
    take(f.oneway, oneway_words(), false);
    if (f.road_class.empty() && f.speed.empty() && !osm_class)
      out.undecided.push_back(
          "road class and speed: no attribute found; map fields.road_class or "
          "fields.speed, or give [travel] road_speeds a \"*\" speed");
  }
  if (f.name.empty() && r != Role::Road && r != Role::Border && r != Role::Water && r != Role::Other)
    out.undecided.push_back("name: no name attribute (名称/name) found");
}

/// Notes from what reading the layer said (CRS, encoding, dropped features); sets the encoding
/// explicitly when it was detected rather than declared.
void read_notes(const core::Layer& l, const core::Diagnostics& d, const fs::path& file, InitLayer& out) {
  out.source_crs = l.report.source_crs;
  out.encoding = l.report.encoding;
  const bool shapefile = ext_of(file) == ".shp";
  bool no_prj = false;
  if (shapefile) {
    fs::path prj = file;
    no_prj = !fs::exists(prj.replace_extension(".prj")) && !fs::exists(prj.replace_extension(".PRJ"));
  }
  for (const auto& p : d.problems) {
    if (p.severity != core::Severity::Warning) continue;
    if (contains(p.what, "has no CRS")) {
      out.notes.push_back(std::string("无坐标系 no CRS in the file") + (no_prj ? " (no .prj)" : "") +
                          ": its coordinates look like longitude/latitude and are read as WGS84; set crs = "
                          "\"...\" if that is wrong (e.g. \"GCJ-02\" for web-map data)");
      out.undecided.push_back(std::string("CRS: none in the file") + (no_prj ? " (no .prj)" : "") +
                              "; assumed WGS84 longitude/latitude");
    } else if (contains(p.what, "no .cpg")) {
      // Said below with the encoding written out.
    } else {
      out.notes.push_back(p.what);
    }
  }
  const std::string& enc = l.report.encoding;
  if (contains(enc, "(detected: text is not valid UTF-8")) {
    out.spec.encoding = enc.substr(0, enc.find(' '));
    out.notes.push_back("attributes are not UTF-8" + std::string(shapefile ? " and there is no .cpg" : "") +
                        ": decoded as " + out.spec.encoding +
                        " (GBK/GB2312 are part of it); written as encoding");
  }
}

/// The first error of a read: fatal when the file itself cannot be read.
bool fatal_error(const core::Problem& p) {
  return p.what.rfind("cannot open", 0) == 0 || contains(p.what, "damaged") ||
         contains(p.what, "cannot read") || contains(p.what, "not found");
}

const core::Problem* first_error(const core::Diagnostics& d) {
  for (const auto& p : d.problems)
    if (p.severity == core::Severity::Error) return &p;
  return nullptr;
}

/// Reads the files of the folder into guesses; `layers` keeps what was read of each guess.
struct Reader {
  InitResult& res;
  std::vector<std::optional<core::Layer>> layers;

  void add(InitLayer g, std::optional<core::Layer> l) {
    res.layers.push_back(std::move(g));
    layers.push_back(std::move(l));
  }
  void fail(const core::Problem& p) { res.diagnostics.error(p); }

  /// One layer of a vector source; false if the file cannot be read at all.
  bool vector_layer(const fs::path& file, const std::string& layer, bool several,
                    const std::string& name_text, VectorReadOptions opts) {
    const std::string source = u8(file);
    InitLayer g;
    g.spec.source = u8(file.filename());
    g.spec.layer = several ? layer : std::string{};
    g.spec.name = several ? layer : stem_of(file);
    opts.layer = several ? layer : std::string{};
    core::Diagnostics d;
    auto l = read_vector_lonlat(source, opts, d);
    if (!l) {
      const core::Problem* e = first_error(d);
      if (e && fatal_error(*e)) {
        fail(*e);
        return false;
      }
      const std::string what = e ? e->what : std::string("cannot be read");
      if (contains(what, "the layer is empty") || contains(what, "no ways with a highway tag")) {
        res.skipped.push_back(g.spec.source + (several ? " layer " + layer : std::string{}) + ": " + what);
        return true;
      }
      g.include = false;
      g.undecided.push_back((e && e->field == "crs" ? "CRS: " : "cannot load as is: ") + what);
      add(std::move(g), std::nullopt);
      return true;
    }
    if (opts.role == Role::Road) {
      // OSM: the highway ways of the `lines` layer.
      g.spec.role = Role::Road;
      g.spec.layer = l->report.source_layer;
      g.kind = "line";
      g.features = l->geom.feature_count();
      g.why.push_back("OpenStreetMap file: its ways with a highway tag (layer " + l->report.source_layer +
                      ")");
      if (l->attrs.find("name") >= 0) g.spec.fields.name = "name";
      g.notes.push_back(
          "only ways with a highway tag are roads; tracktype, maxspeed, oneway, surface, "
          "winter_road ... are read from other_tags");
    } else {
      guess_vector(*l, name_text, g);
      if (!opts.fields.lon.empty()) {
        g.spec.fields.lon = opts.fields.lon;
        g.spec.fields.lat = opts.fields.lat;
      }
    }
    read_notes(*l, d, file, g);
    add(std::move(g), std::move(l));
    return true;
  }

  bool file(const fs::path& file) {
    const std::string source = u8(file), fname = u8(file.filename());
    std::error_code ec;
    if (fs::is_directory(file, ec) && ext_of(file) != ".gdb") {
      res.skipped.push_back(fname + "/: a folder (subfolders are not searched)");
      return true;
    }
    switch (kind_of_file(file)) {
      case FileKind::Sidecar:
        return true;
      case FileKind::NotData:
        res.skipped.push_back(fname + ": not a data file kepumap reads");
        return true;
      case FileKind::Csv: {
        const CsvPoints c = read_csv_points(file, {});
        if (c.lon_column.empty() || c.lat_column.empty()) {
          const core::Problem* e = first_error(c.diagnostics);
          if (e && fatal_error(*e)) {
            fail(*e);
            return false;
          }
          res.skipped.push_back(fname + ": a table without longitude/latitude columns (no points)");
          return true;
        }
        VectorReadOptions o;
        o.fields.lon = c.lon_column;
        o.fields.lat = c.lat_column;
        return vector_layer(file, "", false, stem_of(file), o);
      }
      case FileKind::Osm: {
        VectorReadOptions o;
        o.role = Role::Road;
        return vector_layer(file, "", false, stem_of(file), o);
      }
      case FileKind::Raster: {
        core::Diagnostics d;
        InitLayer g;
        g.spec.source = fname;
        g.spec.name = stem_of(file);
        g.kind = "raster";
        const auto ext = raster_extent_lonlat(source, "", d);
        if (!ext) {
          const core::Problem* e = first_error(d);
          if (!e || fatal_error(*e) || e->field != "crs") {
            if (e)
              fail(*e);
            else
              fail(problem(source, "cannot read the raster"));
            return false;
          }
          g.include = false;
          g.undecided.push_back("CRS: " + e->what);
        }
        const std::string lname = core::lower_ascii(g.spec.name);
        bool pop = false, lc = false;
        for (const auto& [hint, words] : name_words())
          for (const auto& w : words)
            if (contains(lname, w)) {
              pop = pop || hint == Hint::Population;
              lc = lc || hint == Hint::Landcover;
            }
        if (lc && !pop) {
          res.undecided.push_back(fname +
                                  ": looks like a land-cover raster; to use it set [travel] landcover = \"" +
                                  fname + "\" and landcover_speeds");
          return true;
        }
        g.spec.role = Role::Population;
        if (pop) {
          g.why.push_back("name '" + g.spec.name + "' says population (人口)");
        } else {
          g.include = false;
          g.undecided.push_back(
              "role: a raster not named like a population grid (人口/population); written "
              "commented out as population");
        }
        add(std::move(g), std::nullopt);
        return true;
      }
      case FileKind::Vector:
        break;
    }
    std::vector<std::string> names;
    try {
      names = list_vector_layers(source);
    } catch (const DataError& e) {
      fail(e.problem);
      return false;
    }
    if (names.empty()) {
      res.skipped.push_back(fname + ": no vector layers");
      return true;
    }
    for (const auto& n : names) {
      const std::string text = names.size() > 1 ? n : stem_of(file) + " " + n;
      if (!vector_layer(file, n, names.size() > 1, text, {})) return false;
    }
    return true;
  }
};

/// Keys of a layer's mapped code (or name) column, trimmed.
std::set<std::string> keys_of(const core::Layer& l, const std::string& field) {
  std::set<std::string> out;
  const int c = l.attrs.find(field);
  if (c < 0) return out;
  const auto& col = l.attrs.columns[static_cast<std::size_t>(c)];
  for (std::size_t i = 0; i < col.size(); ++i) {
    const std::string v(core::trim_blanks(col.text(i)));
    if (!v.empty()) out.insert(v);
  }
  return out;
}

/// Village points carrying the codes (or names) of a village polygon layer are its units'
/// centres, not separate places: role other, with a seat suggestion on the polygons.
void centres_of_units(Reader& rd) {
  auto& ls = rd.res.layers;
  for (std::size_t i = 0; i < ls.size(); ++i) {
    if (!rd.layers[i] || ls[i].kind != "point" || ls[i].spec.role != Role::Village) continue;
    for (std::size_t j = 0; j < ls.size(); ++j) {
      if (!rd.layers[j] || ls[j].kind != "polygon" || ls[j].spec.role != Role::Village) continue;
      const bool by_code = !ls[i].spec.fields.code.empty() && !ls[j].spec.fields.code.empty();
      const std::string& pf = by_code ? ls[i].spec.fields.code : ls[i].spec.fields.name;
      const std::string& uf = by_code ? ls[j].spec.fields.code : ls[j].spec.fields.name;
      if (pf.empty() || uf.empty()) continue;
      const auto pk = keys_of(*rd.layers[i], pf), uk = keys_of(*rd.layers[j], uf);
      std::size_t common = 0;
      for (const auto& k : pk) common += uk.count(k);
      if (pk.empty() || 5 * common < 4 * std::max(pk.size(), uk.size())) continue;
      const std::string by = by_code ? "code" : "name";
      ls[i].spec.role = Role::Other;
      core::FieldMap kept;  // an other layer keeps its name and code
      kept.name = ls[i].spec.fields.name;
      kept.code = ls[i].spec.fields.code;
      ls[i].spec.fields = kept;
      ls[i].why = {"village-level points carrying the " + by + "s of the units of '" + ls[j].spec.name +
                   "': not places of their own"};
      ls[i].undecided.push_back("role: its points carry the " + by + "s of the units of '" + ls[j].spec.name +
                                "' (" + std::to_string(common) + " of " + std::to_string(uk.size()) +
                                "): their centres or seats? written as other");
      ls[j].notes.push_back("to place each unit's seat at its point in '" + ls[i].spec.name +
                            "', add: seat = { layer = \"" + ls[i].spec.name + "\", by = \"" + by + "\" }");
      break;
    }
  }
}

/// A comment block: every line of `text` prefixed with "# ".
void comment(std::string& out, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += "# " + line + "\n";
}

std::string render(const InitResult& res) {
  std::string t;
  t += "# project.toml written by `kepumap init` from the files in this folder.\n"
       "# Every role and field mapping below is a guess, with its reasons above the layer: check them,\n"
       "# and every line marked 未能确定 (could not decide), then run `kepumap info project.toml`.\n"
       "# Roles: banner, township, village, town, museum, education_base, caravan_depot,\n"
       "#   caravan_route, caravan_stop, road, population, border, water, other.\n"
       "# Fields: name, name_en, code, population, level, capacity, road_class, speed, pastoral,\n"
       "#   oneway, lon, lat (each names an attribute of the layer).\n\n";
  t += "[project]\nname = " + toml_quote(res.project_name) + "\n";
  if (!res.region.empty())
    t += "region = " + toml_quote(res.region) + "  # the banner's code (行政区划代码)\n";
  t += "crs = \"auto\"  # an equal-area CRS fitted to the data; or e.g. \"EPSG:4547\"\n";
  for (const auto& u : res.undecided) t += "# 未能确定 could not decide: " + u + "\n";
  for (const auto& l : res.layers) {
    t += "\n# ---- " + l.spec.source + (l.spec.layer.empty() ? "" : ", layer " + l.spec.layer) + ": ";
    t += l.kind == "raster" ? std::string("raster") : std::to_string(l.features) + " " + l.kind + " features";
    if (!l.source_crs.empty()) t += ", " + l.source_crs;
    if (!l.encoding.empty()) t += ", " + l.encoding;
    t += "\n";
    if (!l.why.empty()) {
      std::string why;
      for (const auto& w : l.why) why += (why.empty() ? "" : "; ") + w;
      t += "# 角色 role " + std::string(core::role_name(l.spec.role)) + " (guess): " + why + "\n";
    }
    for (const auto& u : l.undecided) t += "# 未能确定 could not decide: " + u + "\n";
    for (const auto& n : l.notes) t += "# note: " + n + "\n";
    std::string block = "[[layer]]\nname = " + toml_quote(l.spec.name) +
                        "\nrole = " + toml_quote(std::string(core::role_name(l.spec.role))) +
                        "\nsource = " + toml_quote(l.spec.source) + "\n";
    if (!l.spec.layer.empty()) block += "layer = " + toml_quote(l.spec.layer) + "\n";
    if (!l.spec.encoding.empty()) block += "encoding = " + toml_quote(l.spec.encoding) + "\n";
    if (const std::string f = toml_fields(l.spec.fields); !f.empty()) block += "fields = " + f + "\n";
    if (!l.spec.seat.lon.empty())
      block +=
          "seat = { lon = " + toml_quote(l.spec.seat.lon) + ", lat = " + toml_quote(l.spec.seat.lat) + " }\n";
    if (l.include)
      t += block;
    else
      comment(t, block);
  }
  bool museum = false, base = false, stops = false;
  for (const auto& l : res.layers) {
    if (!l.include) continue;
    museum = museum || l.spec.role == Role::Museum;
    base = base || l.spec.role == Role::EducationBase;
    stops = stops || l.spec.role == Role::CaravanStop;
  }
  t += "\n# 出行 Travel: the defaults, written out to be changed for the area.\n"
       "[travel]\ncell_size_m = 500  # off-road grid cell, metres\n"
       "offroad_kmh = 25  # across open grassland\n"
       "# road_speeds = { \"国道\" = 80, \"省道\" = 70, \"县道\" = 60, \"乡道\" = 40 }  # class -> km/h\n";
  if (museum || base || stops)
    t += "\n# 服务标准 Service standards: placeholders, NOT from a plan — set them from the plan.\n";
  if (museum)
    t += "[[standard]]\nfacility = \"museum\"\nminutes = 90\n"
         "label = \"科技馆 90 分钟车程（默认，请按规划修改）Science museum within 90 min (default)\"\n\n";
  if (base)
    t += "[[standard]]\nfacility = \"education_base\"\nminutes = 60\n"
         "label = \"科普教育基地 60 分钟车程（默认，请按规划修改）Education base within 60 min "
         "(default)\"\n\n";
  if (stops)
    t += "[[standard]]\nfacility = \"caravan\"\nvisits_per_year = 1\n"
         "label = \"科普大篷车每年至少到访 1 次（默认）Caravan visit once a year (default)\"\n\n"
         "[[standard]]\nfacility = \"expert_tour\"\nvisits_per_year = 1\n"
         "label = \"专家科普传播行每年至少 1 次（默认）Expert tour once a year (default)\"\n\n";
  t += "# 规划目标 Targets: none guessed; add [[target]] entries from the plan (see README).\n";
  return t;
}

/// Layer names unique in the project (a second "roads" becomes "roads_2").
void unique_names(InitResult& res) {
  std::set<std::string> used;
  for (auto& l : res.layers) {
    std::string n = l.spec.name.empty() ? std::string("layer") : l.spec.name;
    for (int k = 2; used.count(n); ++k) n = l.spec.name + "_" + std::to_string(k);
    l.spec.name = n;
    used.insert(n);
  }
}

/// The project's name and region: from a single banner unit, else the folder's name.
void name_project(InitResult& res, const Reader& rd) {
  fs::path named = fs::absolute(res.folder).lexically_normal();
  if (named.filename().empty()) named = named.parent_path();  // "folder/"
  res.project_name = u8(named.filename());
  if (res.project_name.empty()) res.project_name = "kepumap project";
  std::map<Role, std::vector<std::string>> by_role;
  for (std::size_t i = 0; i < res.layers.size(); ++i) {
    const auto& l = res.layers[i];
    if (!l.include || l.spec.role == Role::Other) continue;
    by_role[l.spec.role].push_back(l.spec.name);
    if (l.spec.role != Role::Banner || !rd.layers[i] || rd.layers[i]->geom.feature_count() != 1) continue;
    const core::Layer& b = *rd.layers[i];
    if (const int c = b.column(l.spec.fields.name); c >= 0 && !b.attrs.columns[c].text(0).empty())
      res.project_name = b.attrs.columns[c].text(0) + "科普资源覆盖规划";
    if (const int c = b.column(l.spec.fields.code); c >= 0) res.region = b.attrs.columns[c].text(0);
  }
  for (const auto& [role, names] : by_role) {
    if (names.size() < 2 || role == Role::Other || role == Role::Water || role == Role::Road) continue;
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    res.undecided.push_back(
        std::to_string(names.size()) + " layers were guessed " + std::string(core::role_name(role)) + " (" +
        list + "); kepumap uses the first for a unit or facility kind: keep one, make the others other");
  }
  if (!by_role.count(Role::Banner) && !by_role.count(Role::Township) && !by_role.count(Role::Village))
    res.undecided.push_back(
        "no unit layer (banner/township/village polygons) was found: the study area is "
        "every layer's extent");
}

}  // namespace

InitResult guess_project(const fs::path& folder) {
  InitResult res;
  res.folder = folder;
  res.project_file = folder / "project.toml";
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    res.diagnostics.error(problem(u8(folder), fs::exists(folder, ec) ? "not a folder (不是文件夹)"
                                                                     : "folder not found (文件夹不存在)"));
    return res;
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = u8(it->path().filename());
    if (n.empty() || n[0] == '.' || n == "project.toml") continue;
    files.push_back(it->path());
  }
  if (ec) {
    res.diagnostics.error(problem(u8(folder), "cannot list the folder (无法读取文件夹): " + ec.message()));
    return res;
  }
  std::sort(files.begin(), files.end());
  Reader rd{res, {}};
  for (const auto& f : files)
    if (!rd.file(f)) return res;
  if (res.layers.empty()) {
    res.diagnostics.error(problem(u8(folder),
                                  "no data files kepumap reads (文件夹中没有可读取的数据文件: "
                                  "Shapefile, GeoPackage, GeoJSON, TopoJSON, CSV with 经度/纬度, "
                                  "OSM, GeoTIFF)"));
    return res;
  }
  centres_of_units(rd);
  unique_names(res);
  name_project(res, rd);
  res.toml = render(res);
  return res;
}

InitResult init_project(const fs::path& folder) {
  std::error_code ec;
  if (fs::exists(folder / "project.toml", ec)) {
    InitResult res;
    res.folder = folder;
    res.project_file = folder / "project.toml";
    res.diagnostics.error(
        problem(u8(res.project_file),
                "already exists; kepumap init never overwrites a project (项目文件已存在，未覆盖)"));
    return res;
  }
  InitResult res = guess_project(folder);
  if (res.diagnostics.has_errors()) return res;
  // Written beside its final name, loaded from there (sources resolve against the folder), then
  // linked into place: link() fails rather than replace a project.toml that appeared meanwhile.
  const fs::path tmp = folder / (".project.toml.init-" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << res.toml;
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      res.diagnostics.error(problem(u8(res.project_file), "cannot write (无法写入)"));
      return res;
    }
  }
  const core::Document doc = load_project(tmp);
  const std::string tmp_name = u8(tmp), final_name = u8(res.project_file);
  for (auto p : doc.diagnostics.problems) {
    if (p.file == tmp_name) p.file = final_name;
    if (p.severity == core::Severity::Error)
      res.diagnostics.error(std::move(p));
    else
      res.diagnostics.warn(std::move(p));
  }
  if (!res.diagnostics.has_errors()) {
    if (::link(tmp.c_str(), res.project_file.c_str()) != 0)
      res.diagnostics.error(problem(final_name, errno == EEXIST
                                                    ? "already exists; not overwritten (项目文件已存在)"
                                                    : "cannot write (无法写入)"));
    else
      res.written = true;
  }
  fs::remove(tmp, ec);
  res.loaded_layers = doc.layers.size();
  res.analysis_crs_name = doc.analysis_crs_name;
  return res;
}

}  // namespace kepumap::io
