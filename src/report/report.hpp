#pragma once
// The planner's report: a PDF of A4 (or A3) pages — title block and summary, coverage map (gap
// choropleth by the finest unit, facilities by type, caravan routes, the border), travel-time
// map, tables by township, equity, the targets, accessibility (Lorenz curve and index by
// township), and before/after pages when a scenario changes something — plus a PNG and an SVG
// of each map and of the accessibility figures. Maps use the same styles/*.json as the screen.
#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/evaluation.hpp"
#include "core/document.hpp"
#include "core/style.hpp"
#include "report/map_render.hpp"

namespace kepumap::report {

/// What a report is made from.
struct ReportInputs {
  const core::Document* doc = nullptr;
  const analysis::ProjectEvaluation* pe = nullptr;    ///< the scenario reported on
  const analysis::ProjectEvaluation* base = nullptr;  ///< the base, for before/after pages (optional)
  std::string scenario;                               ///< scenario name ("" = base)
  std::vector<std::string> edits;                     ///< what-if edits the figures include, one line each
  /// Facilities as edited (what-if moves, additions, accepted sites): each replaces the
  /// document's layers of its role on the maps.
  std::vector<core::Layer> facility_layers;
  core::Style style;
  /// The layers' own styles by layer name (the app's, in effect); a layer not named here takes
  /// its project file `style`, else its role's (core::resolve_layer_style, as the app's map).
  std::vector<std::pair<std::string, core::LayerStyleSpec>> layer_styles;
  bool english = false;
  bool a3 = false;
  std::string date;  ///< printed in the title block (YYYY-MM-DD)
  /// When given and true, write_report stops at the next page or file and throws Cancelled: a
  /// file it had not finished is not written (each is written to a temporary renamed into place).
  const std::atomic<bool>* cancel = nullptr;
};

/// Thrown by write_report when ReportInputs::cancel was set.
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled (已取消)") {}
};

/// The files a report wrote and its page count.
struct ReportFiles {
  std::vector<std::filesystem::path> written;
  int pages = 0;
  /// Where each map went on the PDF's pages (page points), in page order: for checks that the
  /// legend stays clear of the study area and the notes are printed.
  std::vector<MapLayout> map_layouts;
};

/// The coverage map: gap per finest unit as a choropleth, facilities, routes, border, labels.
/// `breaks` fixes the class breaks (before/after pages share the base map's classes).
MapSpec coverage_map(const ReportInputs& in, const analysis::ProjectEvaluation& pe,
                     const std::vector<double>* breaks = nullptr);
/// The travel-time map: time to the nearest fixed facility of any kind, with facilities.
MapSpec travel_time_map(const ReportInputs& in, const analysis::ProjectEvaluation& pe);

/// A map of one view (`kepumap map`, the app's 导出地图): which map, the area and the layers.
struct ViewMap {
  bool travel_time = false;         ///< the travel-time map, else the coverage map
  core::BBox extent;                ///< metres in the analysis CRS; empty = the study area
  std::vector<std::string> layers;  ///< keep only these project layers (by name); empty = all
  std::string title;                ///< heading; empty = the project's name and the map's title
  std::string scenario;             ///< named in the date line when not empty
};
/// The report's coverage or travel-time map of `v` with a heading and a line with `in.date`.
/// Throws std::invalid_argument with one line when a layer name is not in the project (the line
/// lists its layers) or the extent misses the study area.
MapSpec view_map(const ReportInputs& in, const analysis::ProjectEvaluation& pe, const ViewMap& v);

/// Writes report.pdf, map_coverage.{png,svg}, map_travel_time.{png,svg} and the accessibility
/// page's report_lorenz.{png,svg}, report_index_by_township.{png,svg} into `dir` (created).
/// Throws std::runtime_error naming the file on failure.
ReportFiles write_report(const ReportInputs& in, const std::filesystem::path& dir);

}  // namespace kepumap::report
