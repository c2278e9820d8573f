#pragma once
// The four demo projects (issue 3): each writes its folder under data/.
#include <filesystem>
#include <string>
#include <vector>

#include "make_demo/gdal_io.hpp"

namespace kepumap::make_demo {

/// The real inputs, read once from ../shared/data.
struct Inputs {
  std::filesystem::path shared;  ///< ../shared/data
  SourceLayer nmg_counties;      ///< boundaries/inner_mongolia_counties.geojson (GCJ-02 as shipped)
  SourceLayer nx_counties;       ///< boundaries/ningxia_counties.geojson
  SourceLayer countries;         ///< borders/countries-10m.topojson, layer countries
  SourceLayer lakes;             ///< physical/lakes_gshhg.geojson (WGS84)
  SourceLayer rivers;            ///< physical/rivers_wdbii.geojson (WGS84)
  SourceLayer wdbii_borders;     ///< physical/borders_wdbii.geojson (WGS84)
  std::vector<std::map<std::string, std::string>> streets;   ///< admin/streets_nmg_nx.csv
  std::vector<std::map<std::string, std::string>> villages;  ///< admin/villages_nmg_nx.csv
};

/// Reads every input (throws std::runtime_error naming the file on failure).
Inputs read_inputs(const std::filesystem::path& shared);

/// Figures a project reports for data/README.md.
struct Summary {
  std::string key;                 ///< folder name (abag, dalad, nmg, ningxia)
  std::vector<std::string> lines;  ///< Markdown lines describing what was generated
};

Summary make_abag(const Inputs& in, const std::filesystem::path& out_dir);
Summary make_dalad(const Inputs& in, const std::filesystem::path& out_dir);
Summary make_nmg(const Inputs& in, const std::filesystem::path& out_dir);
Summary make_ningxia(const Inputs& in, const std::filesystem::path& out_dir);

/// data/README.md text: provenance, attribution, what is real and synthetic, per project.
std::string readme_text(const std::vector<Summary>& summaries);

}  // namespace kepumap::make_demo
