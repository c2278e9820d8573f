#pragma once
// A facility set as a point layer: what maps, the report, the layers output and the caravan
// planner draw or read when the set was edited (moved, added, deleted or accepted sites).
#include "analysis/evaluation.hpp"
#include "core/document.hpp"

namespace kepumap::analysis {

/// The set's facilities as a point layer with role `role` and columns name, level,
/// floor_area_m2 (mapped fields name and level). Coordinates as in the set (analysis CRS metres).
core::Layer facility_layer(const FacilitySet& set, core::Role role, const std::string& layer_name);

/// True when the set's facilities are not exactly the document's facilities of its role (an edit
/// moved, added or deleted one, or renamed it).
bool set_differs_from_document(const FacilitySet& set, const core::Document& doc);

}  // namespace kepumap::analysis
