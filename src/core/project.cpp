#include "core/project.hpp"

#include <array>

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

std::filesystem::path ProjectConfig::resolve(const std::string& p) const {
  std::filesystem::path path(reinterpret_cast<const char8_t*>(p.c_str()));
  if (path.is_absolute() || p.find("://") != std::string::npos || p.rfind("PG:", 0) == 0) return path;
  return file.parent_path() / path;
}

}  // namespace kepumap::core
