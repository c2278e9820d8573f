#include "io/raster_io.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

#include <gdal_alg.h>
#include <gdal_rat.h>
#include <gdalwarper.h>

#include "core/atomic_file.hpp"
#include "geo/crs.hpp"
#include "io/errors.hpp"
#include "io/gdal_handle.hpp"

namespace kepumap::io {

namespace {

namespace fs = std::filesystem;

core::Problem problem(const std::string& file, std::string what) {
  core::Problem p;
  p.file = file;
  p.what = std::move(what);
  return p;
}

struct OpenRaster {
  detail::DatasetPtr ds;
  std::string wkt;  // source CRS as WKT (GDAL's own or from the override)
  std::string crs_name;
};

/// WKT of a CRS definition (EPSG:xxxx, PROJ string, WKT), or "" if GDAL does not understand it.
std::string wkt_of(const std::string& def) {
  OGRSpatialReference s;
  if (s.SetFromUserInput(def.c_str()) != OGRERR_NONE) return {};
  char* w = nullptr;
  s.exportToWkt(&w);
  std::string out = w ? w : "";
  CPLFree(w);
  return out;
}

std::optional<OpenRaster> open_raster(const std::string& source, const std::string& crs_override,
                                      core::Diagnostics& diag) {
  detail::ensure_gdal();
  detail::ErrorCapture errors;
  OpenRaster r;
  if (!fs::exists(fs::path(reinterpret_cast<const char8_t*>(source.c_str())))) {
    diag.error(problem(source, "file not found (文件不存在)"));
    return std::nullopt;
  }
  r.ds.reset(GDALDataset::Open(source.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!r.ds || r.ds->GetRasterCount() < 1) {
    diag.error(
        problem(source, "cannot open as a raster, the file is damaged or not a raster (无法读取栅格): " +
                            errors.last_failure()));
    return std::nullopt;
  }
  double gt[6];
  if (r.ds->GetGeoTransform(gt) != CE_None) {
    diag.error(problem(source, "the raster has no georeferencing (栅格没有地理参考)"));
    return std::nullopt;
  }
  if (!crs_override.empty()) {
    if (geo::is_gcj02(crs_override) || geo::is_bd09(crs_override)) {
      diag.error(
          problem(source, "GCJ-02/BD-09 rasters are not supported; convert the raster to WGS84 first"));
      return std::nullopt;
    }
    r.wkt = wkt_of(crs_override);
    r.crs_name = geo::crs_short_name(crs_override);
    if (r.wkt.empty()) {
      core::Problem p = problem(source, "CRS not understood (无法识别坐标系): " + crs_override);
      p.field = "crs";
      diag.error(std::move(p));
      return std::nullopt;
    }
  } else if (const OGRSpatialReference* srs = r.ds->GetSpatialRef(); srs && !srs->IsEmpty()) {
    char* w = nullptr;
    srs->exportToWkt(&w);
    r.wkt = w ? w : "";
    CPLFree(w);
    r.crs_name = detail::srs_display_name(*srs);
  } else {
    const double x0 = gt[0], y0 = gt[3];
    const double x1 = gt[0] + gt[1] * r.ds->GetRasterXSize(), y1 = gt[3] + gt[5] * r.ds->GetRasterYSize();
    core::BBox b;
    b.add(core::Vec2{x0, y0});
    b.add(core::Vec2{x1, y1});
    if (!geo::looks_like_lonlat(b)) {
      core::Problem p =
          problem(source, "the raster has no CRS and is not in longitude/latitude: set crs = \"...\"");
      p.field = "crs";
      diag.error(std::move(p));
      return std::nullopt;
    }
    r.wkt = wkt_of("EPSG:4326");
    r.crs_name = "EPSG:4326 WGS 84 (assumed: no CRS in the raster)";
    diag.warn(problem(
        source, "the raster has no CRS; read as WGS84 longitude/latitude (栅格无坐标系，按 WGS84 读取)"));
  }
  return r;
}

/// PROJ-string or EPSG definition of the analysis CRS as WKT for GDAL (throws DataError if bad).
std::string analysis_wkt(const std::string& analysis_crs) {
  std::string w = wkt_of(analysis_crs);
  if (w.empty()) throw DataError(problem("", "analysis CRS not understood by GDAL: " + analysis_crs));
  return w;
}

/// Sum of the valid (not NoData, finite, positive) cells of band 1.
double source_total(GDALDataset& ds) {
  GDALRasterBand* band = ds.GetRasterBand(1);
  int has_nodata = 0;
  const double nodata = band->GetNoDataValue(&has_nodata);
  const int w = ds.GetRasterXSize(), h = ds.GetRasterYSize();
  std::vector<double> row(static_cast<std::size_t>(w));
  double total = 0.0;
  for (int y = 0; y < h; ++y) {
    if (band->RasterIO(GF_Read, 0, y, w, 1, row.data(), w, 1, GDT_Float64, 0, 0) != CE_None) return NAN;
    for (double v : row)
      if (std::isfinite(v) && v > 0 && !(has_nodata && v == nodata)) total += v;
  }
  return total;
}

}  // namespace

std::optional<core::BBox> raster_extent_lonlat(const std::string& source, const std::string& crs_override,
                                               core::Diagnostics& diag) {
  auto r = open_raster(source, crs_override, diag);
  if (!r) return std::nullopt;
  double gt[6];
  r->ds->GetGeoTransform(gt);
  OGRSpatialReference src, dst;
  src.importFromWkt(r->wkt.c_str());
  dst.importFromEPSG(4326);
  src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  dst.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&src, &dst));
  if (!ct) {
    diag.error(problem(source, "cannot convert the raster's CRS to longitude/latitude"));
    return std::nullopt;
  }
  const int w = r->ds->GetRasterXSize(), h = r->ds->GetRasterYSize();
  core::BBox box;
  constexpr int k_steps = 16;
  for (int i = 0; i <= k_steps; ++i)
    for (int j = 0; j <= k_steps; ++j) {
      if (i != 0 && i != k_steps && j != 0 && j != k_steps) continue;  // edges only
      const double px = w * static_cast<double>(i) / k_steps, py = h * static_cast<double>(j) / k_steps;
      double x = gt[0] + px * gt[1] + py * gt[2], y = gt[3] + px * gt[4] + py * gt[5];
      if (ct->Transform(1, &x, &y) && std::isfinite(x) && std::isfinite(y)) box.add(core::Vec2{x, y});
    }
  if (box.empty()) {
    diag.error(problem(source, "the raster's extent cannot be converted to longitude/latitude"));
    return std::nullopt;
  }
  return box;
}

namespace {

// The source warped onto a north-up grid in `analysis_crs` with square cells of `cell_size_m`,
// aligned to multiples of the cell size, covering the source's extent. `init` fills the cells
// no source cell reaches (the warp overlays an existing destination). Values as doubles.
struct Warped {
  core::GridF frame;  // the grid frame (data unused)
  std::vector<double> values;
};
std::optional<Warped> warp_to_analysis(OpenRaster& r, const std::string& source,
                                       const std::string& analysis_crs, double cell_size_m,
                                       GDALResampleAlg alg, double init, core::Diagnostics& diag) {
  detail::ErrorCapture errors;
  GDALDataset& src = *r.ds;
  if (!(cell_size_m > 0)) {
    diag.error(problem(source, "cell size must be positive"));
    return std::nullopt;
  }
  std::string dst_wkt;
  try {
    dst_wkt = analysis_wkt(analysis_crs);
  } catch (const DataError& e) {
    diag.error(e.problem);
    return std::nullopt;
  }
  // Output frame: the source extent in the analysis CRS, snapped outwards to whole cells.
  void* tr = GDALCreateGenImgProjTransformer(GDALDataset::ToHandle(&src), r.wkt.c_str(), nullptr,
                                             dst_wkt.c_str(), FALSE, 0.0, 1);
  if (!tr) {
    diag.error(problem(source, "cannot build the transform to the analysis CRS: " + errors.last_failure()));
    return std::nullopt;
  }
  double gt_out[6];
  int w_out = 0, h_out = 0;
  const CPLErr e = GDALSuggestedWarpOutput(GDALDataset::ToHandle(&src), GDALGenImgProjTransform, tr, gt_out,
                                           &w_out, &h_out);
  GDALDestroyGenImgProjTransformer(tr);
  if (e != CE_None) {
    diag.error(
        problem(source, "cannot compute the raster's extent in the analysis CRS: " + errors.last_failure()));
    return std::nullopt;
  }
  const double min_x = std::floor(gt_out[0] / cell_size_m) * cell_size_m;
  const double max_y = std::ceil(gt_out[3] / cell_size_m) * cell_size_m;
  const double max_x = std::ceil((gt_out[0] + gt_out[1] * w_out) / cell_size_m) * cell_size_m;
  const double min_y = std::floor((gt_out[3] + gt_out[5] * h_out) / cell_size_m) * cell_size_m;
  const int width = static_cast<int>(std::lround((max_x - min_x) / cell_size_m));
  const int height = static_cast<int>(std::lround((max_y - min_y) / cell_size_m));
  if (width <= 0 || height <= 0 || static_cast<double>(width) * height > 4.0e8) {
    diag.error(problem(source, "the raster would need " + std::to_string(width) + " x " +
                                   std::to_string(height) + " cells of " + std::to_string(cell_size_m) +
                                   " m; check the CRS and cell size"));
    return std::nullopt;
  }

  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  detail::DatasetPtr dst(mem->Create("", width, height, 1, GDT_Float64, nullptr));
  double gt_dst[6] = {min_x, cell_size_m, 0.0, max_y, 0.0, -cell_size_m};
  dst->SetGeoTransform(gt_dst);
  dst->SetProjection(dst_wkt.c_str());
  if (init != 0.0) dst->GetRasterBand(1)->Fill(init);
  const CPLErr we =
      GDALReprojectImage(GDALDataset::ToHandle(&src), r.wkt.c_str(), GDALDataset::ToHandle(dst.get()),
                         dst_wkt.c_str(), alg, 0.0, 0.0, nullptr, nullptr, nullptr);
  if (we != CE_None) {
    diag.error(problem(source, "cannot warp the raster into the analysis CRS: " + errors.last_failure()));
    return std::nullopt;
  }
  Warped out;
  out.frame = core::GridF(width, height, min_x, max_y, cell_size_m, 0.0f);
  out.frame.data.clear();
  out.values.resize(static_cast<std::size_t>(width) * height);
  if (dst->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, width, height, out.values.data(), width, height,
                                      GDT_Float64, 0, 0) != CE_None) {
    diag.error(problem(source, "cannot read the warped raster: " + errors.last_failure()));
    return std::nullopt;
  }
  return out;
}

void describe(const OpenRaster& r, const std::string& source, core::LayerReport& report) {
  GDALDataset& src = *r.ds;
  report.source = source;
  report.driver = src.GetDriver() ? src.GetDriver()->GetDescription() : "";
  report.source_crs = r.crs_name;
  report.geometry_type =
      "raster " + std::to_string(src.GetRasterXSize()) + "x" + std::to_string(src.GetRasterYSize());
  report.encoding.clear();
}

}  // namespace

std::optional<core::GridF> read_population_raster(const std::string& source, const std::string& crs_override,
                                                  const std::string& analysis_crs, double cell_size_m,
                                                  core::LayerReport& report, core::Diagnostics& diag) {
  auto r = open_raster(source, crs_override, diag);
  if (!r) return std::nullopt;
  detail::ErrorCapture errors;
  describe(*r, source, report);
  // A new MEM dataset is all zeros: cells no source cell reaches hold 0 people.
  auto w = warp_to_analysis(*r, source, analysis_crs, cell_size_m, GRA_Sum, 0.0, diag);
  if (!w) return std::nullopt;
  core::GridF grid(w->frame.width, w->frame.height, w->frame.origin_x, w->frame.origin_y, cell_size_m, 0.0f);
  double out_total = 0.0;
  for (std::size_t i = 0; i < w->values.size(); ++i) {
    const double v = std::isfinite(w->values[i]) && w->values[i] > 0 ? w->values[i] : 0.0;
    grid.data[i] = static_cast<float>(v);
    out_total += v;
  }
  grid.nodata = -1.0f;  // every cell holds a count (0 where nobody lives)

  const double in_total = source_total(*r->ds);
  if (!std::isfinite(in_total)) {
    diag.error(problem(source, "cannot read the raster's cells: " + errors.last_failure()));
    return std::nullopt;
  }
  if (in_total > 0 && std::abs(out_total - in_total) > 0.005 * in_total) {
    char buf2[256];
    std::snprintf(buf2, sizeof buf2,
                  "reprojection changed the total population from %.0f to %.0f (%.2f %%, more than 0.5 %%) "
                  "(重投影后总人口变化超过 0.5%%)",
                  in_total, out_total, 100.0 * (out_total - in_total) / in_total);
    diag.error(problem(source, buf2));
    return std::nullopt;
  }
  return grid;
}

std::optional<core::GridF> read_class_raster(const std::string& source, const std::string& crs_override,
                                             const std::string& analysis_crs, double cell_size_m,
                                             core::LayerReport& report, core::Diagnostics& diag) {
  auto r = open_raster(source, crs_override, diag);
  if (!r) return std::nullopt;
  describe(*r, source, report);
  int has_nodata = 0;
  const double nodata = r->ds->GetRasterBand(1)->GetNoDataValue(&has_nodata);
  const double none = std::numeric_limits<double>::quiet_NaN();
  auto w = warp_to_analysis(*r, source, analysis_crs, cell_size_m, GRA_NearestNeighbour, none, diag);
  if (!w) return std::nullopt;
  core::GridF grid(w->frame.width, w->frame.height, w->frame.origin_x, w->frame.origin_y, cell_size_m, 0.0f);
  grid.nodata = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t i = 0; i < w->values.size(); ++i) {
    const double v = w->values[i];
    grid.data[i] = !std::isfinite(v) || (has_nodata && v == nodata) ? grid.nodata : static_cast<float>(v);
  }
  return grid;
}

namespace {

/// WKT of `def` for writing: named (QGIS shows "unknown" for a nameless custom CRS) and with its
/// EPSG code where PROJ identifies one.
std::string named_wkt_of(const std::string& def) {
  OGRSpatialReference s;
  if (s.SetFromUserInput(def.c_str()) != OGRERR_NONE) return {};
  const char* name = s.GetName();
  if (s.IsProjected() && (!name || std::string(name).empty() || std::string(name) == "unknown")) {
    const char* method = s.GetAttrValue("PROJECTION");
    const std::string m = method ? method : "";
    s.SetProjCS(("kepumap analysis CRS (" +
                 std::string(m == "Albers_Conic_Equal_Area" ? "Albers equal-area" : m) + ", WGS 84)")
                    .c_str());
  }
  if (!s.GetAuthorityCode(nullptr)) s.AutoIdentifyEPSG();
  char* w = nullptr;
  s.exportToWkt(&w);
  std::string out = w ? w : "";
  CPLFree(w);
  return out;
}

}  // namespace

namespace {

/// Writes `grid` as a one-band GeoTIFF of GDAL type `type` (georeferenced, named CRS, nodata)
/// through a temporary renamed into place; `setup(band)` adds what the band carries besides its
/// cells. With `aux`, the .aux.xml GDAL writes beside the temporary (e.g. an attribute table) is
/// read into it before the rename, for the caller to write beside the final file.
template <class T, class Setup>
void write_band_geotiff(const core::Grid<T>& grid, GDALDataType type, const char* predictor,
                        const std::string& analysis_crs, const fs::path& path, Setup&& setup,
                        std::string* aux = nullptr) {
  detail::ensure_gdal();
  detail::ErrorCapture errors;
  const std::string file = path.string();
  core::TempFile tmp(path);
  // One line for a failed write: the file system's reason when it tells (full, read-only).
  auto failed = [&]() {
    const std::string why = core::write_failure(path);
    return DataError(
        problem(file, "cannot write the GeoTIFF (无法写入): " + (why.empty() ? errors.last_failure() : why)));
  };
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  detail::StringList co(
      {"COMPRESS=DEFLATE", std::string("PREDICTOR=") + predictor, "TILED=YES", "BIGTIFF=IF_SAFER"});
  {
    detail::DatasetPtr ds(
        gtiff->Create(tmp.path().string().c_str(), grid.width, grid.height, 1, type, co.get()));
    if (!ds) throw failed();
    double gt[6] = {grid.origin_x, grid.cell, 0.0, grid.origin_y, 0.0, -grid.cell};
    ds->SetGeoTransform(gt);
    const std::string wkt = named_wkt_of(analysis_crs);
    if (!wkt.empty()) ds->SetProjection(wkt.c_str());
    GDALRasterBand* band = ds->GetRasterBand(1);
    band->SetNoDataValue(static_cast<double>(grid.nodata));
    if (!setup(*band)) throw failed();
    if (band->RasterIO(GF_Write, 0, 0, grid.width, grid.height, const_cast<T*>(grid.data.data()), grid.width,
                       grid.height, type, 0, 0) != CE_None) {
      ds.reset();
      throw failed();
    }
  }  // closed and flushed here (and the .aux.xml written, if any)
  if (errors.failures() > 0) throw failed();
  if (aux) {
    std::ifstream in(tmp.path().string() + ".aux.xml", std::ios::binary);
    if (!in) throw DataError(problem(file, "GDAL wrote no .aux.xml beside the GeoTIFF"));
    std::stringstream bytes;
    bytes << in.rdbuf();
    *aux = bytes.str();
  }
  if (const std::string why = tmp.commit(); !why.empty())
    throw DataError(problem(file, "cannot write the GeoTIFF (无法写入): " + why));
}

}  // namespace

void write_geotiff(const core::GridF& grid, const std::string& analysis_crs, const fs::path& path,
                   const std::string& band_description, const std::string& band_unit) {
  write_band_geotiff(grid, GDT_Float32, "3", analysis_crs, path, [&](GDALRasterBand& band) {
    if (!band_description.empty()) band.SetDescription(band_description.c_str());
    if (!band_unit.empty()) band.SetUnitType(band_unit.c_str());
    return true;
  });
}

void write_geotiff_classes(const core::GridI& grid, const std::string& analysis_crs, const fs::path& path,
                           const std::vector<std::string>& names, const std::string& band_description) {
  std::string aux;
  write_band_geotiff(
      grid, GDT_Int32, "2", analysis_crs, path,
      [&](GDALRasterBand& band) {
        if (!band_description.empty()) band.SetDescription(band_description.c_str());
        GDALDefaultRasterAttributeTable rat;
        rat.CreateColumn("value", GFT_Integer, GFU_MinMax);
        rat.CreateColumn("name", GFT_String, GFU_Name);
        rat.SetRowCount(static_cast<int>(names.size()));
        for (std::size_t i = 0; i < names.size(); ++i) {
          rat.SetValue(static_cast<int>(i), 0, static_cast<int>(i));
          rat.SetValue(static_cast<int>(i), 1, names[i].c_str());
        }
        return band.SetDefaultRAT(&rat) == CE_None;
      },
      &aux);
  // The table was written beside the temporary; it goes beside the GeoTIFF through a temporary
  // of its own.
  const fs::path aux_path = path.string() + ".aux.xml";
  if (std::string why; !core::write_file_atomic(aux_path, aux, &why))
    throw DataError(problem(aux_path.string(), "cannot write the attribute table (无法写入): " + why));
}

core::GridF read_grid(const fs::path& path) {
  detail::ensure_gdal();
  detail::ErrorCapture errors;
  const std::string file = path.string();
  detail::DatasetPtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!ds) throw DataError(problem(file, "cannot open the raster (无法读取): " + errors.last_failure()));
  double gt[6];
  if (ds->GetGeoTransform(gt) != CE_None || gt[2] != 0.0 || gt[4] != 0.0 ||
      std::abs(gt[1] + gt[5]) > 1e-9 * gt[1])
    throw DataError(problem(file, "the raster is not north-up with square cells"));
  core::GridF g(ds->GetRasterXSize(), ds->GetRasterYSize(), gt[0], gt[3], gt[1], 0.0f);
  int has = 0;
  const double nd = ds->GetRasterBand(1)->GetNoDataValue(&has);
  if (has) g.nodata = static_cast<float>(nd);
  if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, g.width, g.height, g.data.data(), g.width, g.height,
                                     GDT_Float32, 0, 0) != CE_None)
    throw DataError(problem(file, "cannot read the raster's cells: " + errors.last_failure()));
  return g;
}

}  // namespace kepumap::io
