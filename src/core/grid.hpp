#pragma once
// Raster grids: one std::vector<T> with width and height, georeferenced in the analysis CRS.
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::core {

/// North-up grid. Cell (col,row) covers x in [origin_x + col*cell, +cell), y in
/// (origin_y - (row+1)*cell, origin_y - row*cell]: origin is the top-left corner, metres in
/// the analysis CRS. Row 0 is the northernmost row. Data is row-major.
template <class T>
struct Grid {
  int width = 0;
  int height = 0;
  double origin_x = 0.0;
  double origin_y = 0.0;
  double cell = 1.0;
  T nodata{};
  std::vector<T> data;

  Grid() = default;
  Grid(int w, int h, double ox, double oy, double cell_size, T fill = T{})
      : width(w),
        height(h),
        origin_x(ox),
        origin_y(oy),
        cell(cell_size),
        nodata(fill),
        data(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), fill) {}

  std::size_t index(int col, int row) const { return static_cast<std::size_t>(row) * width + col; }
  T& at(int col, int row) { return data[index(col, row)]; }
  const T& at(int col, int row) const { return data[index(col, row)]; }
  bool in_bounds(int col, int row) const { return col >= 0 && row >= 0 && col < width && row < height; }
  /// Centre of a cell, metres in the analysis CRS.
  Vec2 cell_center(int col, int row) const {
    return {origin_x + (col + 0.5) * cell, origin_y - (row + 0.5) * cell};
  }
  /// Column and row containing p (may be out of bounds).
  int col_of(double x) const { return static_cast<int>(std::floor((x - origin_x) / cell)); }
  int row_of(double y) const { return static_cast<int>(std::floor((origin_y - y) / cell)); }
  BBox extent() const {
    BBox b;
    b.add(Vec2{origin_x, origin_y - height * cell});
    b.add(Vec2{origin_x + width * cell, origin_y});
    return b;
  }
  template <class U>
  bool same_frame(const Grid<U>& o) const {
    return width == o.width && height == o.height && origin_x == o.origin_x && origin_y == o.origin_y &&
           cell == o.cell;
  }
};

using GridF = Grid<float>;
using GridI = Grid<std::int32_t>;

}  // namespace kepumap::core
