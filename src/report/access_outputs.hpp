#pragma once
// The files `kepumap access` writes: unit tables (CSV/XLSX, like `coverage`), the per-facility
// capacity table, the index layers (GeoPackage) and the figures (Lorenz curve, index by
// township, index map with a diverging ramp around 1) as PDF, PNG and SVG through Cairo.
#include <cairo.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/access_project.hpp"
#include "core/document.hpp"
#include "core/style.hpp"
#include "report/tables.hpp"

namespace kepumap::report {

/// One sheet per unit level: name, code, population, index (supply per person and per 10,000
/// people, relative to the region's mean = 1); capacity method: served within capacity, within
/// reach and both shares.
std::vector<Sheet> access_unit_sheets(const analysis::StudyArea& area, const analysis::AccessOutcome& out,
                                      bool english);

/// One row per facility: name, level, supply; 2SFCA/E2SFCA: supply per 10,000 people in its
/// catchment; capacity: capacity, realised, residual, people within the standard, catchment minutes, order.
Sheet access_facility_sheet(const analysis::FacilitySet& set, const analysis::AccessOutcome& out,
                            bool english);

/// Gini, group means (pastoral/other, border/interior) and the units farthest below the mean.
Sheet access_equity_sheet(const analysis::StudyArea& area, const analysis::AccessOutcome& out, bool english);

/// What the Lorenz curve and the bar chart of an outcome show, ready to draw.
struct AccessCharts {
  std::string lorenz_title, bars_title;
  std::vector<analysis::LorenzPoint> lorenz;
  double gini = 0.0;
  bool has_bars = false;           ///< false when the study area has no unit levels
  std::string bar_level;           ///< the level the bars are of: "township", else "county", else the finest
  std::vector<std::string> names;  ///< units of that level where people live
  std::vector<double> values;      ///< their relative index (region mean = 1)
};

/// The method as a planner reads it ("E2SFCA" / "增强两步移动搜索法").
std::string access_method_title(analysis::AccessMethod m, bool english);

/// The charts of `out` (computed for `set` over `area`): titles name the facility and the method.
AccessCharts access_charts(const analysis::StudyArea& area, const analysis::FacilitySet& set,
                           const analysis::AccessOutcome& out, bool english);

/// Draws the Lorenz curve (population share against index share, the line of equality, the Gini
/// under the title) into the rectangle `x`, `y`, `w`, `h` of `cr` (points); the square plot takes
/// what the title and axis labels leave. The standalone figure is 420 × 400.
void draw_lorenz(cairo_t* cr, double x, double y, double w, double h,
                 const std::vector<analysis::LorenzPoint>& lorenz, double gini, const std::string& title,
                 bool english);
/// Height in points the bar chart of `n` units needs at full bar size (at most 40 bars are drawn).
double index_bars_height(std::size_t n);
/// Draws the horizontal bar chart of the 40 lowest `values` (relative index, mean = 1, bars on the
/// style's index ramp, a dashed line at the mean) into the rectangle `x`, `y`, `w`, `h` of `cr`
/// (points); bars get thinner when `h` is less than index_bars_height.
void draw_index_bars(cairo_t* cr, double x, double y, double w, double h,
                     const std::vector<std::string>& names, const std::vector<double>& values,
                     const std::string& title, const core::Style& style, bool english);

/// Draws the Lorenz curve into `base`.{pdf,png,svg} (no PDF when `pdf` is false).
void lorenz_figure(const std::filesystem::path& base, const std::vector<analysis::LorenzPoint>& lorenz,
                   double gini, const std::string& title, bool english, bool pdf = true);
/// Draws the bar chart of `values` (relative index, mean = 1, bars on the style's index ramp) into
/// `base`.{pdf,png,svg} (no PDF when `pdf` is false).
void index_bar_figure(const std::filesystem::path& base, const std::vector<std::string>& names,
                      const std::vector<double>& values, const std::string& title, const core::Style& style,
                      bool english, bool pdf = true);
/// Draws the relative index raster (nodata < 0 transparent) on the style's diverging index ramp
/// around 1 into `base`.{pdf,png,svg}.
void index_map_figure(const std::filesystem::path& base, const core::GridF& relative,
                      const std::string& title, const core::Style& style, bool english);

/// Writes everything into `dir` (created): access.gpkg (styled for QGIS: the unit layers
/// graduated on the relative index with the style's diverging classes, the capacity catchments
/// by facility, Chinese or English field titles), access_relative.tif (and, for capacity,
/// catchment_facility.tif) with a .qml beside each, access_<level>.csv, access_facilities.csv,
/// access_equity.csv, access.xlsx, lorenz.*, index_by_township.*, index_map.*. Empty string on
/// success, else one line saying what failed.
std::string write_access_outputs(const std::filesystem::path& dir, const core::Document& doc,
                                 const analysis::ProjectEvaluation& pe, const analysis::AccessOutcome& out,
                                 bool english, const core::Style& style, const std::string& output_crs = {});

}  // namespace kepumap::report
