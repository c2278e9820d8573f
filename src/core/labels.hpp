#pragma once
// Label placement without overlap, shared by the screen and report renderers: greedy by
// priority over a few candidate positions around each anchor, checked against placed boxes.
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::core {

/// A label to place. Coordinates are output units (screen pixels or page points), y down.
struct LabelCandidate {
  Vec2 anchor;         ///< the point the label belongs to
  double width = 0.0;  ///< text box size in output units
  double height = 0.0;
  int priority = 5;      ///< smaller is placed first (banner before township before gachaa)
  double weight = 0.0;   ///< tie-break within a priority: larger first (e.g. population, area)
  bool centred = false;  ///< polygons: centred on the anchor only; points: beside the symbol
  double offset = 4.0;   ///< gap between a point anchor and its label
};

/// A placed label: the index of its candidate and the top-left corner of its box.
struct PlacedLabel {
  std::size_t index = 0;
  Vec2 top_left;
};

/// Chooses labels so that no two boxes overlap (and none leaves `bounds`; obstacles, e.g. the
/// legend, are avoided). Deterministic: same candidates, same result.
std::vector<PlacedLabel> place_labels(const std::vector<LabelCandidate>& candidates, const BBox& bounds,
                                      const std::vector<BBox>& obstacles = {});

}  // namespace kepumap::core
