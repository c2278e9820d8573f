#include "core/project.hpp"

#include <algorithm>
#include <array>
#include <iterator>

namespace kepumap::core {

namespace {
constexpr std::array<std::pair<Role, std::string_view>, 14> k_roles{{
    {Role::Banner, "banner"},
    {Role::Township, "township"},
    {Role::Village, "village"},
    {Role::Town, "town"},
    {Role::Museum, "museum"},
    {Role::EducationBase, "education_base"},
    {Role::CaravanDepot, "caravan_depot"},
    {Role::CaravanRoute, "caravan_route"},
    {Role::CaravanStop, "caravan_stop"},
    {Role::Road, "road"},
    {Role::Population, "population"},
    {Role::Border, "border"},
    {Role::Water, "water"},
    {Role::Other, "other"},
}};
}  // namespace

std::string_view role_name(Role r) {
  for (const auto& [role, name] : k_roles)
    if (role == r) return name;
  return "other";
}

std::optional<Role> role_from_name(std::string_view s) {
  for (const auto& [role, name] : k_roles)
    if (name == s) return role;
  return std::nullopt;
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> v;
    for (const auto& [role, name] : k_roles) v.push_back(role);
    return v;
  }();
  return roles;
}

const std::vector<MetricInfo>& metric_table() {
  static const std::vector<MetricInfo> t{
      {Metric::CoverageShare, "coverage_share", "覆盖率", "coverage"},
      {Metric::FacilityCount, "facility_count", "数量", "count"},
      {Metric::CaravanVisits, "caravan_visits", "到访次数", "visits"},
      {Metric::UnitsReachedShare, "units_reached_share", "覆盖单元比例", "units reached"},
      {Metric::VenueArea, "venue_area", "场馆面积", "venue area"},
      {Metric::PopulationShare, "population_share", "人口覆盖率", "population share"},
      {Metric::AccessIndex, "access_index", "可达性指数", "access index"},
      {Metric::CapacityCoverageShare, "capacity_coverage_share", "容量内覆盖率", "coverage within capacity"},
  };
  return t;
}

const std::vector<ScopeInfo>& scope_table() {
  static const std::vector<ScopeInfo> t{
      {Scope::Banner, "banner", "全旗", "banner-wide", ""},
      {Scope::EveryTownship, "every_township", "每个苏木镇", "every township", "township"},
      {Scope::EveryVillage, "every_village", "每个嘎查村", "every village", "village"},
      {Scope::EveryCounty, "every_county", "每个旗县", "every county", "county"},
      {Scope::EveryLeague, "every_league", "每个盟市", "every league", "league"},
      {Scope::Region, "region", "全区", "region-wide", ""},
  };
  return t;
}

const MetricInfo& metric_info(Metric m) {
  for (const auto& r : metric_table())
    if (r.metric == m) return r;
  return metric_table().front();
}

const ScopeInfo& scope_info(Scope s) {
  for (const auto& r : scope_table())
    if (r.scope == s) return r;
  return scope_table().front();
}

std::string_view metric_name(Metric m) { return metric_info(m).name; }

std::optional<Metric> metric_from_name(std::string_view s) {
  for (const auto& r : metric_table())
    if (r.name == s) return r.metric;
  return std::nullopt;
}

std::string_view scope_name(Scope s) { return scope_info(s).name; }

std::optional<Scope> scope_from_name(std::string_view s) {
  for (const auto& r : scope_table())
    if (r.name == s) return r.scope;
  return std::nullopt;
}

std::vector<FieldKey> field_keys(const FieldMap& f) {
  return {{"name", &f.name},
          {"name_en", &f.name_en},
          {"code", &f.code},
          {"population", &f.population},
          {"level", &f.level},
          {"capacity", &f.capacity},
          {"road_class", &f.road_class},
          {"speed", &f.speed},
          {"pastoral", &f.pastoral},
          {"oneway", &f.oneway},
          {"lon", &f.lon},
          {"lat", &f.lat}};
}

namespace {
constexpr const char* k_tianditu_layers[] = {"vec", "cva", "img", "cia", "ter", "cta"};
bool starts_with(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }
}  // namespace

std::string basemap_kind(const BasemapSpec& spec) {
  if (!spec.kind.empty()) return spec.kind;
  const std::string& s = spec.source;
  if (s.find("{z}") != std::string::npos) return "xyz";
  if (starts_with(s, "WMS:") || starts_with(s, "WMTS:") || starts_with(s, "<GDAL_WMS") ||
      starts_with(s, "<GDAL_WMTS"))
    return "wms";
  if (s.size() > 4 && s.compare(s.size() - 4, 4, ".xml") == 0) return "wms";
  return "file";
}

bool tianditu_layer_known(const std::string& layer) {
  return std::any_of(std::begin(k_tianditu_layers), std::end(k_tianditu_layers),
                     [&](const char* l) { return layer == l; });
}

std::string tianditu_layer_names() {
  std::string s;
  for (const char* l : k_tianditu_layers) s += (s.empty() ? "" : ", ") + std::string(l);
  return s;
}

std::filesystem::path ProjectConfig::resolve(const std::string& p) const {
  std::filesystem::path path(reinterpret_cast<const char8_t*>(p.c_str()));
  if (path.is_absolute() || p.find("://") != std::string::npos || p.rfind("PG:", 0) == 0) return path;
  return file.parent_path() / path;
}

}  // namespace kepumap::core
