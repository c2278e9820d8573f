#pragma once
// Test helper: reads demo GeoPackage layers and GeoTIFFs with GDAL into plain data.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace kepumap::test {

/// One layer: geometry (lon/lat) and every attribute as text.
struct DemoLayer {
  core::Geometries geom;
  std::vector<std::map<std::string, std::string>> attrs;
  std::size_t size() const { return attrs.size(); }
};

/// Reads layer `name` of a vector file; REQUIREs that it opens.
DemoLayer read_layer(const std::filesystem::path& file, const std::string& name);
/// Names of every layer in a vector file.
std::vector<std::string> layer_names(const std::filesystem::path& file);
/// Reads band 1 of a raster and its CRS as WKT.
core::Grid<std::int32_t> read_raster(const std::filesystem::path& file, std::string& wkt);
/// One feature of g as its own Geometries.
core::Geometries feature(const core::Geometries& g, core::FeatureId f);

}  // namespace kepumap::test
