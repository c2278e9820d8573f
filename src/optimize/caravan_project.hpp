#pragma once
// Caravan planning for a loaded project: depots, stops and places to sleep read from the
// project's layers, the stop x stop travel matrix with road paths from the travel engine, one
// plan per depot merged in calendar order, and existing routes (`seq`) evaluated. Used by
// `kepumap caravan project.toml` and the app's caravan panel. Std only (no GDAL/GL).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analysis/travel.hpp"
#include "core/document.hpp"
#include "optimize/caravan.hpp"

namespace kepumap::optimize {

/// Options of a project plan beyond the caravan settings.
struct CaravanProjectOptions {
  CaravanSettings settings;    ///< day, driving limit, season, year, seed, ... (vehicles per depot set below)
  int vehicles = -1;           ///< vehicles per depot; -1: the depot layer's capacity field, else 1
  int township_visits = 2;     ///< required visits a year at township seats
  int village_visits = -1;     ///< -1: the project's "caravan" standard, else 1
  double service_hours = 3.0;  ///< exhibition length, hours
  double border_km = 30.0;     ///< stops this close (km) to the international border come first; 0 = off
  std::vector<std::string> stop_layers;  ///< stop layers by project name; empty = default choice
  double memory_limit_gb = 0.0;  ///< the project's [limits] memory_gb (0 = none) for the resource guard
};

/// A depot (caravan base) with its fleet; `at` in the analysis CRS (metres).
struct CaravanDepot {
  std::string name;
  core::Vec2 at;
  int vehicles = 1;
};

/// A stop or place to sleep read from a layer; `at` in the analysis CRS (metres).
struct CaravanStopSource {
  std::string name;
  core::Vec2 at;
  double population = 0.0;
  int visits = 1;
  bool township = false;
  int priority = 0;
  core::FeatureId feature = core::INVALID_ID;  ///< feature in its layer
};

/// Depots, stops and beds of a project, before any travel time is known.
struct CaravanInputs {
  std::vector<std::string> problems;  ///< one line each (file: what); non-empty = cannot plan
  std::vector<CaravanDepot> depots;
  std::vector<CaravanStopSource> stops;         ///< stops to visit
  std::vector<CaravanStopSource> beds;          ///< township seats that are only places to sleep
  const core::Layer* existing_layer = nullptr;  ///< caravan_stop layer (may carry `seq` routes)
  int vehicles = 0;                             ///< all depots' vehicles
  int township_visits = 2;
  int village_visits = 1;  ///< resolved (standard or 1)
  /// Stops left out because they lie outside the study area (在研究区外), by name.
  std::vector<std::string> outside_stops;
  /// Stops left out because they are a depot's own point (within DEPOT_STOP_M of a depot): the
  /// crew is at home there, so it is not a visit.
  std::vector<std::string> depot_stops;
};

/// A stop this close to a depot (metres in the analysis CRS) is the depot's own point, not a visit.
inline constexpr double DEPOT_STOP_M = 250.0;

/// Reads depots, stops and places to sleep of a project (see `kepumap caravan --help`).
CaravanInputs collect_caravan_inputs(const core::Document& doc, const CaravanProjectOptions& options);

/// An existing route (stops layer `seq` order per `route`) toured as it stands.
struct ExistingRoute {
  std::string name;
  SequenceEvaluation ev;
  std::size_t stops = 0;
};

/// The year's plan for a project. Nodes: depots first, then stops, then beds (indices into
/// `problem.stops` and `points`).
struct CaravanProjectPlan {
  std::vector<std::string> problems;  ///< non-empty = no plan (the problem was invalid)
  bool cancelled = false;             ///< options.settings.cancel was set: no plan (discard it)
  CaravanProblem problem;             ///< every node; `problem.depot` is 0
  std::vector<core::Vec2> points;     ///< node positions, analysis CRS metres
  int depot_count = 0;
  CaravanPlan plan;             ///< scheduled tours in calendar order, then unscheduled ones
  std::vector<int> tour_depot;  ///< depot index of each tour of `plan.tours`
  std::vector<int> home;        ///< depot of each node
  std::vector<ExistingRoute> existing;
  /// Road path (analysis CRS metres) of each leg driven by a tour of `plan` or of `existing`.
  std::map<std::pair<int, int>, std::vector<core::Vec2>> leg_paths;

  /// Path of leg i -> j, empty if it is not a leg driven.
  const std::vector<core::Vec2>& leg_path(int i, int j) const;
  /// The whole road line of a tour (legs joined), analysis CRS metres.
  std::vector<core::Vec2> tour_line(const CaravanTour& t) const;
};

/// Plans the year over the travel model `model` for `inputs` (no problems). Each depot plans
/// the stops with the shortest round trip from it, with its own vehicles. Tour distances are
/// along the road paths.
CaravanProjectPlan plan_project_caravans(const analysis::TravelModel& model, const CaravanInputs& inputs,
                                         const CaravanProjectOptions& options);

}  // namespace kepumap::optimize
