#pragma once
// Where the people are, once every layer is in the analysis CRS: each unit's seat (驻地) and
// the check that population fields hold numbers.
#include "core/document.hpp"

namespace kepumap::io {

/// Checks every mapped population field (a value that is not a number is an error naming the
/// feature and field), then fills `seats` of every unit layer (banner, township, village
/// polygons): the [[layer]] `seat` mapping when there is one (a point layer joined by code or
/// name, or lon/lat fields in WGS84 degrees), else the largest town/village point inside the
/// unit (by mapped population, towns before villages, then feature order), else GEOS
/// PointOnSurface. A seat join that matches no unit at all is an error; units it misses, and
/// mapped seats outside their unit, are warnings. Problems go to doc.diagnostics.
void place_people(core::Document& doc);

}  // namespace kepumap::io
