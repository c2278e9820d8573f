#include "io/raster_gpkg.hpp"

#include <gdal.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

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

void add_raster_to_gpkg(const core::GridF& grid, const std::string& analysis_crs,
                        const std::filesystem::path& gpkg, const std::string& table) {
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
  std::vector<const char*> argv{
      "-of",  "GPKG", "-co", "APPEND_SUBDATASET=YES", "-co", raster_table.c_str(), "-co", "TILE_FORMAT=TIFF",
      nullptr};
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

void drop_gpkg_rasters(const std::filesystem::path& gpkg, const std::vector<std::string>& tables) {
  GDALAllRegister();
  if (tables.empty() || !std::filesystem::exists(gpkg)) return;
  GDALDataset* ds = static_cast<GDALDataset*>(
      GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
  if (!ds)
    fail(gpkg, tables.front(),
         std::string("cannot open the GeoPackage to update it: ") + CPLGetLastErrorMsg());
  auto quoted = [](const std::string& s, char q) {
    std::string out(1, q);
    for (char c : s) {
      if (c == q) out += q;
      out += c;
    }
    return out + q;
  };
  auto has_table = [&](const char* name) {
    OGRLayer* r = ds->ExecuteSQL(
        ("SELECT 1 FROM sqlite_master WHERE type='table' AND name=" + quoted(name, '\'')).c_str(), nullptr,
        nullptr);
    const bool found = r && r->GetNextFeature() != nullptr;
    if (r) ds->ReleaseResultSet(r);
    return found;
  };
  std::vector<std::string> sql;
  const bool coverage_anc = has_table("gpkg_2d_gridded_coverage_ancillary");
  const bool tile_anc = has_table("gpkg_2d_gridded_tile_ancillary");
  const bool extensions = has_table("gpkg_extensions");
  const bool metadata_ref = has_table("gpkg_metadata_reference");
  for (const auto& t : tables) {
    OGRLayer* r = ds->ExecuteSQL(
        ("SELECT 1 FROM gpkg_contents WHERE data_type IN ('tiles','2d-gridded-coverage') AND table_name=" +
         quoted(t, '\''))
            .c_str(),
        nullptr, nullptr);
    const bool present = r && r->GetNextFeature() != nullptr;
    if (r) ds->ReleaseResultSet(r);
    if (!present) continue;
    const std::string lit = quoted(t, '\'');
    if (tile_anc) sql.push_back("DELETE FROM gpkg_2d_gridded_tile_ancillary WHERE tpudt_name=" + lit);
    if (coverage_anc)
      sql.push_back("DELETE FROM gpkg_2d_gridded_coverage_ancillary WHERE tile_matrix_set_name=" + lit);
    if (extensions) sql.push_back("DELETE FROM gpkg_extensions WHERE table_name=" + lit);
    if (metadata_ref) sql.push_back("DELETE FROM gpkg_metadata_reference WHERE table_name=" + lit);
    sql.push_back("DELETE FROM gpkg_tile_matrix WHERE table_name=" + lit);
    sql.push_back("DELETE FROM gpkg_tile_matrix_set WHERE table_name=" + lit);
    sql.push_back("DELETE FROM gpkg_contents WHERE table_name=" + lit);
    sql.push_back("DROP TABLE IF EXISTS " + quoted(t, '"'));
  }
  if (sql.empty()) {
    GDALClose(ds);
    return;
  }
  CPLErrorReset();
  const bool tx = ds->StartTransaction() == OGRERR_NONE;
  for (const auto& s : sql) {
    ds->ExecuteSQL(s.c_str(), nullptr, nullptr);
    if (CPLGetLastErrorType() >= CE_Failure) {
      const std::string msg = CPLGetLastErrorMsg();
      if (tx) ds->RollbackTransaction();
      GDALClose(ds);
      fail(gpkg, tables.front(), "cannot remove the previous raster: " + msg);
    }
  }
  if (tx && ds->CommitTransaction() != OGRERR_NONE) {
    GDALClose(ds);
    fail(gpkg, tables.front(), std::string("cannot remove the previous raster: ") + CPLGetLastErrorMsg());
  }
  GDALClose(ds);
}

}  // namespace kepumap::io
