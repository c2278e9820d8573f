#pragma once
// The project: what project.toml says (plain data; parsed by io/project.cpp).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kepumap::core {

/// What a layer is to the planner (DESIGN.md domain words).
enum class Role : std::uint8_t {
  Banner,
  Township,
  Village,
  Town,
  Museum,
  EducationBase,
  CaravanDepot,
  CaravanRoute,
  CaravanStop,
  Road,
  Population,
  Border,
  Water,
  Other
};
/// The project-file spelling of a role ("education_base"), and back (nullopt if unknown).
std::string_view role_name(Role r);
std::optional<Role> role_from_name(std::string_view s);
/// Every role, in declaration order.
const std::vector<Role>& all_roles();

/// Which source attribute holds each field kepumap understands (empty = not mapped).
struct FieldMap {
  std::string name, name_en, code, population, level, capacity, road_class, speed, pastoral, oneway;
  std::string lon, lat;  ///< CSV point tables: coordinate columns (found by header if empty)
};

/// Each project.toml `fields` key with the FieldMap member it sets, in the documented order.
struct FieldKey {
  const char* key;
  const std::string* value;
};
std::vector<FieldKey> field_keys(const FieldMap& f);

/// A layer's own style (`style = { ... }` in its [[layer]] entry, README "The project file"):
/// what the app draws the layer with instead of its role's style. Members left at their
/// "unset" value keep the role's style.
struct LayerStyleSpec {
  std::string kind;    ///< "single", "categories" or "graduated"; "" = no `style` key
  std::string field;   ///< categories, graduated: mapped field key ("population") or column name
  std::string method;  ///< graduated: "quantile", "equal" or "manual"; "" = quantile
  int classes = 0;     ///< graduated: number of classes (2..9); 0 = 5; manual: breaks + 1
  std::vector<double>
      breaks;        ///< graduated, method "manual": upper bounds of the classes but the last, ascending
  std::string ramp;  ///< graduated: a ramp of the style file by name (core::ramp_names()); "" = the role's
  /// categories: value -> "#rrggbb" chosen by the planner, sorted by value; other values get
  /// core::category_colour
  std::vector<std::pair<std::string, std::string>> category_colors;
  std::string fill, line;   ///< "#rrggbb" or "#rrggbbaa"; "" = the role's
  double width = -1;        ///< line width, screen pixels; < 0 = the role's
  std::string symbol;       ///< point symbol name ("circle", ...); "" = the role's
  double size = -1;         ///< point symbol size, screen pixels; < 0 = the role's
  double opacity = -1;      ///< 0..1; < 0 = the role's
  int labels = -1;          ///< 1 labels on, 0 off, -1 the role's
  std::string label_field;  ///< mapped field key or column the labels show; "" = the name field
  bool given() const { return !kind.empty(); }
  friend bool operator==(const LayerStyleSpec&, const LayerStyleSpec&) = default;
};

/// One [[layer]] entry of project.toml.
struct LayerSpec {
  std::string name;  ///< the layer's name in the project (unique)
  std::string
      title;  ///< display name in the app's layer list and legend (`title`, e.g. 大篷车停靠点); "" = name
  Role role = Role::Other;
  std::string source;    ///< path (resolved against the project file) or connection string
  std::string layer;     ///< layer name inside a multi-layer source; empty = the only/first one
  std::string crs;       ///< CRS override: EPSG code, WKT, PROJ string, "GCJ-02" or "BD-09"
  std::string encoding;  ///< attribute encoding override ("UTF-8", "GB18030", ...)
  std::string where;     ///< OGR SQL attribute filter; empty = every feature
  int where_line = 0;    ///< line of the `where` key in project.toml
  FieldMap fields;
  /// Where each unit's seat (驻地) is: a point layer joined by code or name, or lon/lat fields.
  /// Empty = the default (the largest town/village point inside the unit, else a point inside it).
  struct Seat {
    std::string layer;     ///< project name of a point layer holding the seats
    std::string by;        ///< "code" or "name": the seat layer's mapped field matched
    std::string field;     ///< the unit attribute holding the key; empty = the unit's own mapped `by` field
    std::string lon, lat;  ///< unit attributes with the seat's WGS84 longitude/latitude (instead of a layer)
    int line = 0;
  } seat;
  int line = 0;         ///< line of the entry in project.toml
  int source_line = 0;  ///< line of its `source` key
  bool visible = true;  ///< shown on the app's map when the project opens (`visible = false`: hidden)
  /// Where the app draws the layer (`draw_order`, 1 = bottom); 0 = the app's default (polygons,
  /// rasters, lines, points, each in project order).
  int draw_order = 0;
  LayerStyleSpec style;  ///< the layer's own style (`style`); kind "" = its role's
};

/// One [[basemap]] entry of project.toml: a raster drawn under every layer (README "Basemaps").
struct BasemapSpec {
  std::string name;      ///< the basemap's name in the project (unique)
  std::string title;     ///< display name in the app (底图 list); "" = name
  std::string source;    ///< file path (resolved against the project file), URL template or GDAL connection
  std::string kind;      ///< "file", "xyz", "wms" or "tianditu"; "" = guessed from `source`
  std::string key;       ///< 天地图 key (`key`); "" = the TIANDITU_KEY environment variable
  std::string shift;     ///< "gcj02": the tiles are in GCJ-02 and are shifted onto WGS84; "" = none
  double opacity = 1.0;  ///< 0..1
  bool visible = true;   ///< drawn when the project opens
  std::string attribution;  ///< shown on the map and in the print sources line; "" = the service's default
  std::string cache;        ///< tile cache folder; "" = XDG_CACHE_HOME/kepumap/tiles/NAME
  int line = 0;             ///< line of the entry in project.toml
  int source_line = 0;      ///< line of its `source` key
};

/// The kind a basemap entry is: its `kind`, else guessed from the source ("{z}" in it: xyz;
/// "WMS:", "WMTS:", "<GDAL_WMS", a .xml file: wms; otherwise file).
std::string basemap_kind(const BasemapSpec& spec);
/// True for a 天地图 layer name kepumap knows (vec, cva, img, cia, ter, cta).
bool tianditu_layer_known(const std::string& layer);
/// The 天地图 layer names, comma separated (for messages).
std::string tianditu_layer_names();

/// A service standard: a facility role counts as reaching people within `minutes`,
/// or (mobile services) a unit counts as reached when visited `visits_per_year` times.
struct ServiceStandard {
  std::string facility;     ///< a role name (museum, education_base, caravan, expert_tour, ...)
  double minutes = 0.0;     ///< travel-time standard, minutes; 0 if not time-based
  int visits_per_year = 0;  ///< visit standard; 0 if not visit-based
  std::string label;        ///< how the plan names it (中文)
  /// Capacity-limited coverage (README "Capacity and balance"): the unit of the facilities'
  /// `capacity` field ("people/year", "visitors/year", "seats"), the order facilities take their
  /// people in ("capacity": largest first, "population": most people within the standard first,
  /// "field": ascending `order_field` of the facilities).
  std::string capacity_unit;
  std::string capacity_order = "capacity";
  std::string order_field;
  int line = 0;
};

/// What a plan target measures (README "Plan targets" says what each reads).
enum class Metric : std::uint8_t {
  CoverageShare,
  PopulationShare,
  FacilityCount,
  CaravanVisits,
  UnitsReachedShare,
  VenueArea,
  AccessIndex,
  CapacityCoverageShare
};
/// Where a target is checked: the top level as one figure, or every unit of one level.
enum class Scope : std::uint8_t { Banner, Region, EveryTownship, EveryVillage, EveryCounty, EveryLeague };

/// One row of the metric table: the project-file spelling and the report's zh/en words.
struct MetricInfo {
  Metric metric;
  std::string_view name;  ///< project-file spelling ("coverage_share")
  std::string_view zh;    ///< report word (覆盖率)
  std::string_view en;    ///< report word (coverage)
};
/// One row of the scope table.
struct ScopeInfo {
  Scope scope;
  std::string_view name;   ///< project-file spelling ("every_township")
  std::string_view zh;     ///< report word (每个苏木乡镇)
  std::string_view en;     ///< report word (every township)
  std::string_view level;  ///< unit level name for every_* scopes; empty for the top level
};
/// Every metric, in the order the README lists them (the one table parser and report read).
const std::vector<MetricInfo>& metric_table();
/// Every scope (the one table parser, goals and report read).
const std::vector<ScopeInfo>& scope_table();
/// The table row of a metric / scope.
const MetricInfo& metric_info(Metric m);
/// The table row of a scope.
const ScopeInfo& scope_info(Scope s);
/// The project-file spelling of a metric, and back (nullopt if unknown).
std::string_view metric_name(Metric m);
/// The metric spelled `s` in a project file, nullopt if none.
std::optional<Metric> metric_from_name(std::string_view s);
/// The project-file spelling of a scope.
std::string_view scope_name(Scope s);
/// The scope spelled `s` in a project file, nullopt if none.
std::optional<Scope> scope_from_name(std::string_view s);

/// A plan target (issue 9 evaluates them): metric over a scope against a threshold by a deadline.
struct Target {
  std::string id;
  Metric metric = Metric::CoverageShare;  ///< parsed once by io/project.cpp
  std::string facility;                   ///< facility role or standard the metric reads
  Scope scope = Scope::Region;            ///< the top level when project.toml gives none
  std::string level;  ///< facility level the metric counts (national, region, league, banner), optional
  double threshold = 0.0;
  std::string unit;    ///< unit of the threshold ("share", "count", "m2", "visits/year", ...)
  int deadline = 0;    ///< year
  std::string source;  ///< which plan (seed file) it comes from
  std::string quote;   ///< the plan's sentence, verbatim (中文)
  int line = 0;
};

/// Travel-time engine settings ([travel] in project.toml). Speeds in km/h.
struct TravelSettings {
  double cell_size_m = 500.0;       ///< off-road grid cell size, metres in the analysis CRS
  double offroad_kmh = 25.0;        ///< motor vehicle across open grassland
  int neighbours = 16;              ///< 8 or 16 grid moves
  double snap_tolerance_m = 20.0;   ///< road endpoints closer than this are joined
  bool split_at_crossings = false;  ///< also node roads where they cross without a shared vertex
  std::vector<std::pair<std::string, double>> road_speeds;  ///< road class -> km/h (overrides defaults)
  std::vector<std::string> closed_classes;                  ///< road classes not usable (set by a scenario)
  std::vector<std::pair<std::string, double>>
      forced_road_speeds;  ///< class -> km/h beating a road's speed field (set by a scenario)
  /// Tag rules ("winter_road=yes", "surface=unpaved|dirt", "ford=*"): roads matching one are
  /// left out unless they match an open rule; tag_speeds give matching roads a speed (the lowest
  /// of those that match; it beats every other speed). See README "Road vocabulary".
  std::vector<std::string> closed_tags = {"winter_road=yes", "ice_road=yes"};
  std::vector<std::string> open_tags;
  std::vector<std::pair<std::string, double>> tag_speeds;
  std::string landcover;      ///< land-cover class raster (path relative to project.toml); empty = none
  std::string landcover_crs;  ///< CRS override of the land-cover raster; empty = its own
  std::vector<std::pair<double, double>>
      landcover_speeds;  ///< class value -> km/h (0 = impassable); other classes use offroad_kmh
  bool ice = false;      ///< rivers and lakes are frozen: crossed off-road on the ice (set by a scenario)
  int line = 0;
};

/// Resource limits ([limits] in project.toml).
struct Limits {
  double memory_gb = 0.0;  ///< at most this much memory for one job, GB (0 = what is free)
  /// Let layer sources reach the network: URLs, GDAL /vsicurl/, /vsis3/, ... and database
  /// connections (PG:, MySQL:, WFS:, ...). Off: such sources are refused (io/source_guard.hpp).
  bool allow_network_sources = false;
  int line = 0;
};

/// What the report prints under its maps ([report] in project.toml).
struct ReportSettings {
  std::string review_number;  ///< 审图号 the map was given (e.g. "蒙S(2025)012号"); empty = none printed
  std::string sources;        ///< data sources line (中文); empty = the layers' file names
  std::string sources_en;     ///< the same in English (--lang en); empty = `sources`
  int line = 0;
};

/// A named scenario ([[scenario]]): overrides of the travel settings (e.g. winter snow).
struct Scenario {
  std::string name;   ///< identifier used on the command line (--scenario winter)
  std::string label;  ///< 中文 label
  std::optional<double> offroad_kmh;
  std::vector<std::pair<std::string, double>> road_speeds;  ///< class -> km/h overrides
  std::vector<std::string> closed_classes;                  ///< road classes not usable
  std::vector<std::string> closed_tags;                     ///< tag rules closing roads (added to [travel]'s)
  std::vector<std::string> open_tags;                       ///< tag rules opening roads closed by a tag rule
  std::vector<std::pair<std::string, double>>
      tag_speeds;  ///< tag rule -> km/h (replace [travel]'s for the same rule)
  std::vector<std::pair<double, double>> landcover_speeds;  ///< land-cover class -> km/h overrides
  std::optional<bool> ice;                                  ///< rivers and lakes frozen (crossed on the ice)
  int line = 0;
};

/// How a unit's population total becomes people on the map ([demand] in project.toml) when
/// there is no population raster: people of populated town/village points stay at those
/// points; the rest of each finest unit's total goes `seat_share` at its seat and the remainder
/// evenly over its land cells (water cells excluded).
struct DemandSettings {
  double seat_share = 0.0;  ///< 0..1, share of each unit's remaining people placed at its seat
  int line = 0;
};

/// Everything project.toml says. Later modules add their own sections.
struct ProjectConfig {
  std::filesystem::path file;  ///< the project.toml read
  std::string name;            ///< 中文 name
  std::string name_en;
  std::string analysis_crs = "auto";  ///< "auto" or a CRS definition
  std::string encoding;               ///< default attribute encoding; empty = detect
  std::string region;                 ///< admin code of the area the project covers (e.g. 152522)
  /// [project] extent = [minlon, minlat, maxlon, maxlat]: the study area as a WGS84 box, instead
  /// of the unit layers (banner/township/village polygons). Empty = from the unit layers.
  std::vector<double> extent;
  int extent_line = 0;
  /// [project] margin_km: reference layers (border, water, roads, places, ...) are clipped to the
  /// study area's box grown by this many kilometres; the analysis frame is that box too.
  double margin_km = 20.0;
  std::vector<LayerSpec> layers;
  std::vector<BasemapSpec> basemaps;  ///< [[basemap]] entries, bottom first
  std::vector<ServiceStandard> standards;
  std::vector<Target> targets;
  TravelSettings travel;
  DemandSettings demand;
  Limits limits;
  ReportSettings report;
  std::vector<Scenario> scenarios;

  /// Resolve a path from the project file against the file's folder.
  std::filesystem::path resolve(const std::string& p) const;
};

}  // namespace kepumap::core
