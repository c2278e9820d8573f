#include "io/raster_gpkg.hpp"

#include <gdal.h>
#include <gdal_utils.h>

#include <vector>

#include "io/errors.hpp"
#include "io/raster_io.hpp"

namespace kepumap::io {

namespace {
[[noreturn]] void fail(const std::filesystem::path& gpkg, const std::string& table, const std::string& what) {
  core::Problem p;
  p.file = gpkg.string();
  p.layer = table;
  p.what = what;
  throw DataError(p);
}
}  // namespace

void add_raster_to_gpkg(const core::GridF& grid, const std::string& analysis_crs, const std::filesystem::path& gpkg,
                        const std::string& table) {
  GDALAllRegister();
  std::filesystem::path tmp_tif = gpkg;
  tmp_tif += "." + table + ".tif";
  write_geotiff(grid, analysis_crs, tmp_tif);
  // The temporary copy keeps the .gpkg extension (the GPKG driver insists on it).
  const std::filesystem::path tmp_gpkg = gpkg.parent_path() / (gpkg.stem().string() + ".tmp.gpkg");
  std::error_code ec;
  std::filesystem::remove(tmp_gpkg, ec);
  if (std::filesystem::exists(gpkg)) std::filesystem::copy_file(gpkg, tmp_gpkg, ec);
  if (ec) fail(gpkg, table, "cannot copy the GeoPackage to extend it: " + ec.message());

  GDALDatasetH src = GDALOpen(tmp_tif.c_str(), GA_ReadOnly);
  if (!src) {
    std::filesystem::remove(tmp_tif, ec);
    fail(gpkg, table, "cannot reopen the temporary raster");
  }
  const std::string raster_table = "RASTER_TABLE=" + table;
  std::vector<const char*> argv{"-of", "GPKG", "-co", "APPEND_SUBDATASET=YES", "-co", raster_table.c_str(),
                                "-co", "TILE_FORMAT=TIFF", nullptr};
  GDALTranslateOptions* opts = GDALTranslateOptionsNew(const_cast<char**>(argv.data()), nullptr);
  int usage_error = 0;
  GDALDatasetH out = GDALTranslate(tmp_gpkg.c_str(), src, opts, &usage_error);
  GDALTranslateOptionsFree(opts);
  GDALClose(src);
  std::filesystem::remove(tmp_tif, ec);
  if (!out || usage_error) {
    if (out) GDALClose(out);
    std::filesystem::remove(tmp_gpkg, ec);
    fail(gpkg, table, std::string("GDAL could not add the raster: ") + CPLGetLastErrorMsg());
  }
  GDALClose(out);
  std::filesystem::rename(tmp_gpkg, gpkg, ec);
  if (ec) fail(gpkg, table, "cannot move the extended GeoPackage into place: " + ec.message());
}

}  // namespace kepumap::io
