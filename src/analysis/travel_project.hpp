#pragma once
// The travel engine for a loaded project: roads, friction grid and combined model built from a
// Document and its [travel] settings (with a scenario applied). Std only (no GDAL).
#include <atomic>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/travel.hpp"
#include "core/document.hpp"

namespace kepumap::analysis {

/// Everything the engine built for a project.
struct ProjectTravel {
  core::TravelSettings settings;  ///< the settings used (scenario applied, cell size possibly coarsened)
  std::string scenario;           ///< scenario name, empty for the base settings
  RoadNetwork roads;              ///< the road network as built from every road layer
  std::vector<std::string> road_layers;  ///< names of the road layers, in feature-offset order
  core::GridF pace;   ///< the friction grid: seconds per metre, +inf impassable (the frame of every surface)
  TravelModel model;  ///< the combined search graph
};

/// Memory one travel-grid cell costs through a coverage run (friction grid, search graph and
/// labels, surfaces, demand), bytes; measured about 44 on data/nmg at 400-1600 m (peak RSS).
inline constexpr double TRAVEL_BYTES_PER_CELL = 48.0;

/// The resource guard of the travel grid over `ext` (metres in the analysis CRS) at `cell`
/// metres: throws core::ResourceError naming the grid's size, the memory it needs, what is free
/// and the smallest cell size that fits. `limit_gb`: [limits] memory_gb (0 = none).
void guard_travel_grid(const core::BBox& ext, double cell, double limit_gb);

/// Cell count above which the cell size is doubled (with a warning) until the grid fits.
inline constexpr double MAX_TRAVEL_CELLS = 40.0e6;

/// Finds a [[scenario]] by name; nullptr if there is none.
const core::Scenario* find_scenario(const core::ProjectConfig& config, std::string_view name);

/// One land-cover class present in a class grid: its value, how many cells hold it, and the
/// speed the table gives it (-1: not listed, offroad_kmh applies).
struct LandCoverClass {
  double value = 0.0;
  std::size_t cells = 0;
  double kmh = -1.0;
};
/// The classes of `landcover` (NaN cells left out), most cells first, with their speeds from
/// `speeds` (class value -> km/h, as [travel] landcover_speeds).
std::vector<LandCoverClass> landcover_classes(const core::GridF& landcover,
                                              const std::vector<std::pair<double, double>>& speeds);

/// The project's water in the analysis CRS: `water` layers (polygons are lakes and reservoirs,
/// lines are rivers, points are fords), plus, as before the role existed, polygon layers of
/// another role whose name contains "water", "lake", "水" or "湖" (lakes; `legacy` names them).
struct ProjectWater {
  core::Geometries lakes;           ///< polygons
  core::Geometries rivers;          ///< lines
  std::vector<core::Vec2> fords;    ///< points where rivers are crossed off-road
  std::vector<std::string> legacy;  ///< layers taken as water by their name
  bool empty() const { return lakes.feature_count() == 0 && rivers.feature_count() == 0; }
};
ProjectWater project_water(const core::Document& doc);

/// The lines of every `road` layer (features concatenated in layer order) with their attributes
/// resolved for build_road_network: class (fields.road_class, else a `highway` or `fclass`
/// attribute; `track` + `tracktype=gradeN` -> track_gradeN), speed (fields.speed, else
/// `maxspeed`; text parsed by parse_maxspeed), one-way (fields.oneway, else `oneway`, with
/// `junction=roundabout`), and the settings' tag rules. A tag is an attribute of that name or,
/// for OSM files, an entry of `other_tags`. `input.lines` points at `lines` (set it again after
/// moving the struct).
struct ProjectRoads {
  core::Geometries lines;
  RoadInput input;
  std::vector<std::string> layers;
};
ProjectRoads project_roads(const core::Document& doc, const core::TravelSettings& settings);

/// One road class the project's road layers use: its canonical name (国道, track, ...; a value
/// the speed table lacks as written), the speed `settings` give it (0 = not in the table) and
/// how many lines have it.
struct RoadClassUse {
  std::string name;
  double kmh = 0.0;
  std::size_t lines = 0;
};
/// The classes of every `road` layer's lines (read as project_roads reads them; values that are
/// not roads left out), most lines first: what a scenario can slow down or close.
std::vector<RoadClassUse> road_classes_used(const core::Document& doc, const core::TravelSettings& settings);

/// Builds the engine for a project. Roads: project_roads; every layer with role `road` (class, speed and
/// one-way from the layer's mapped fields). Study area: the `banner` layer's polygons grown by
/// 20 km, or the whole document extent. Border: every `border` layer. Water: project_water
/// (lakes impassable, rivers crossed only at roads and fords; both crossed on the ice when the
/// settings say `ice`); people on water cells are reached from the nearest bank at off-road speed. Problems
/// (unknown classes, disconnected roads, a coarsened grid) are warnings in `diag`.
ProjectTravel build_project_travel(const core::Document& doc, const core::TravelSettings& settings,
                                   core::Diagnostics& diag, const std::string& scenario_name = {},
                                   const std::atomic<bool>* cancel = nullptr);

}  // namespace kepumap::analysis
