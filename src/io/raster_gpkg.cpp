#include "io/raster_gpkg.hpp"

#include <gdal.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <vector>

#include "core/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/gdal_handle.hpp"
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
  detail::ensure_gdal();
  detail::ErrorCapture errors;
  // The raster goes through a GeoTIFF beside the GeoPackage (a temporary, removed at the end).
  core::TempFile tif(gpkg.parent_path() / (table + ".tif"));
  write_geotiff(grid, analysis_crs, tif.path());
  GDALDatasetH src = GDALOpen(tif.path().c_str(), GA_ReadOnly);
  if (!src) fail(gpkg, table, "cannot reopen the temporary raster: " + errors.last_failure());
  const std::string raster_table = "RASTER_TABLE=" + table;
  std::vector<const char*> argv{
      "-of",  "GPKG", "-co", "APPEND_SUBDATASET=YES", "-co", raster_table.c_str(), "-co", "TILE_FORMAT=TIFF",
      nullptr};
  GDALTranslateOptions* opts = GDALTranslateOptionsNew(const_cast<char**>(argv.data()), nullptr);
  int usage_error = 0;
  GDALDatasetH out = GDALTranslate(gpkg.c_str(), src, opts, &usage_error);
  GDALTranslateOptionsFree(opts);
  GDALClose(src);
  if (out) GDALClose(out);
  if (!out || usage_error || errors.failures() > 0) {
    const std::string why = core::write_failure(gpkg);
    fail(gpkg, table,
         why.empty() ? "GDAL could not add the raster: " + errors.last_failure()
                     : "cannot write (无法写入): " + why);
  }
}

void drop_gpkg_rasters(const std::filesystem::path& gpkg, const std::vector<std::string>& tables) {
  detail::ensure_gdal();
  detail::ErrorCapture errors;
  if (tables.empty() || !std::filesystem::exists(gpkg)) return;
  auto why_or = [&](const std::string& what) {
    const std::string why = core::write_failure(gpkg);
    return why.empty() ? what : "cannot write (无法写入): " + why;
  };
  GDALDataset* ds = static_cast<GDALDataset*>(
      GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
  if (!ds)
    fail(gpkg, tables.front(), why_or("cannot open the GeoPackage to update it: " + errors.last_failure()));
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
    const bool found = r && OGRFeatureUniquePtr(r->GetNextFeature()) != nullptr;
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
    const bool present = r && OGRFeatureUniquePtr(r->GetNextFeature()) != nullptr;
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
      fail(gpkg, tables.front(), why_or("cannot remove the previous raster: " + msg));
    }
  }
  if (tx && ds->CommitTransaction() != OGRERR_NONE) {
    GDALClose(ds);
    fail(gpkg, tables.front(), why_or("cannot remove the previous raster: " + errors.last_failure()));
  }
  GDALClose(ds);
}

}  // namespace kepumap::io
