#pragma once
// The travel-time image the app lays over the map: one RGBA texel per `step` x `step` cells of a
// travel-time surface, coloured on the style's travel-time ramp (core::travel_time_colour, the
// one place the colours come from) and clear outside the study area. A what-if drag step
// recolours only the texels of the cells it changed. No GL here: the app uploads the texels.
#include <cstdint>
#include <vector>

#include "analysis/whatif.hpp"
#include "core/grid.hpp"
#include "core/style.hpp"

namespace kepumap::session {

/// The image's colour of a travel time (seconds): the style's ramp two thirds opaque, packed
/// 0xAABBGGRR (ImGui's and GL_RGBA's byte order); 0 (clear) when not finite.
std::uint32_t time_rgba(const core::Style& st, double seconds);

/// Texels in rows from the top, texel (c, r) showing cell (c * step, r * step).
struct TimeImage {
  int width = 0, height = 0, step = 1;
  std::vector<std::uint32_t> px;  ///< width * height, 0xAABBGGRR
};

/// An image of `time` (seconds per cell) sampled every `step` cells (1 or more: coarser when the
/// grid is larger than a texture can be), every texel coloured. `unit` (the study area's unit
/// per cell, < 0 outside) clears the texels outside when it has `time`'s size; else ignored.
TimeImage make_time_image(const core::GridF& time, const core::GridI& unit, const core::Style& st, int step);

/// The texels of `img` that show a cell of `cells` (frame cells of the surface).
analysis::CellBox texels_of(const TimeImage& img, const analysis::CellBox& cells);

/// Colours again the texels `texels` (from texels_of) of an image made by make_time_image from
/// a surface of the same size; the others are left as they are.
void recolour(TimeImage& img, const core::GridF& time, const core::GridI& unit, const core::Style& st,
              const analysis::CellBox& texels);

}  // namespace kepumap::session
