#pragma once
// Coverage figures as tables (Chinese headers, English with `english`) and as attribute tables
// for GIS layers (ASCII column names), from one Evaluation.
#include <utility>
#include <vector>

#include "analysis/evaluation.hpp"
#include "core/table.hpp"
#include "report/tables.hpp"

namespace kepumap::report {

/// Short name of a service for headers and legends ("科技馆" / "museum"); the standard's own
/// label (up to its first space) for services kepumap has no name for.
std::string service_label(const std::string& facility, const std::string& label, bool english);

/// A readable name of a plan target built from its scope, level, facility and metric
/// ("全旗自治区级科普教育基地数量"), for tables where the id means nothing to a reader.
std::string target_name(const core::Target& t, bool english);

/// Label of a unit level ("嘎查村" / "villages", ...).
std::string level_label(const std::string& level, bool english);

/// One sheet per unit level: name, code, parent, population, per service (covered, share, mean,
/// median, 90th percentile in minutes; nearest facility at the finest level), covered by any,
/// priority and gap.
std::vector<Sheet> coverage_sheets(const analysis::StudyArea& area, const analysis::Evaluation& ev,
                                   bool english);

/// Equity figures: pastoral vs other, border vs interior, Gini of travel time.
Sheet equity_sheet(const analysis::Evaluation& ev, bool english);

/// The targets: id, metric, scope, value, threshold, pass/fail, failing units, deadline, quote.
Sheet targets_sheet(const analysis::Evaluation& ev, bool english);

/// Attribute table for the polygons of `level` (one row per unit, ASCII column names); with
/// `aliases`, each column's title in the chosen language (the CSV header's words) is appended.
core::Table unit_attributes(const analysis::StudyArea& area, const analysis::Evaluation& ev,
                            std::size_t level, bool english = false,
                            std::vector<std::pair<std::string, std::string>>* aliases = nullptr);

}  // namespace kepumap::report
