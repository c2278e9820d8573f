#include "io/basemap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include <gdal_alg.h>
#include <gdal_utils.h>
#include <gdalwarper.h>

#include "geo/crs.hpp"
#include "io/gdal_handle.hpp"
#include "io/source_guard.hpp"
#include "io/vector_reader.hpp"

#ifndef KEPUMAP_DATA_DIR
#define KEPUMAP_DATA_DIR "data"
#endif

namespace kepumap::io {

namespace fs = std::filesystem;
using detail::DatasetPtr;

namespace {

constexpr int k_web_max_zoom = 18;
constexpr int k_max_image_px = 8192;

bool starts_with(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

/// The 天地图 key of an entry: its `key`, else $TIANDITU_KEY.
std::string tianditu_key(const core::BasemapSpec& spec) {
  if (!spec.key.empty()) return spec.key;
  const char* env = std::getenv("TIANDITU_KEY");
  return env ? std::string(env) : std::string();
}

/// A folder name from a basemap name (path separators and odd characters replaced).
std::string folder_part(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == ' ') ? '_' : c;
  return out.empty() ? std::string("basemap") : out;
}

}  // namespace

std::string basemap_attribution(const core::BasemapSpec& spec) {
  if (!spec.attribution.empty()) return spec.attribution;
  const std::string kind = basemap_kind(spec);
  if (kind == "tianditu") return "© 天地图 国家地理信息公共服务平台 (审图号见 www.tianditu.gov.cn)";
  if (spec.source.find("openstreetmap.org") != std::string::npos) return "© OpenStreetMap contributors";
  if (spec.source.find("autonavi.com") != std::string::npos ||
      spec.source.find("amap.com") != std::string::npos)
    return "© 高德地图";
  return {};
}

fs::path default_tile_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "kepumap" / "tiles";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "kepumap" / "tiles";
  return fs::temp_directory_path() / "kepumap" / "tiles";
}

fs::path default_background_file() {
  if (const char* e = std::getenv("KEPUMAP_BACKGROUND"); e && *e) return e;
  return fs::path(KEPUMAP_DATA_DIR) / "background" / "physical.gpkg";
}

// ---- the handle ---------------------------------------------------------------------------

class Basemap {
 public:
  core::BasemapSpec spec;
  BasemapOptions options;
  std::string open_name;       // what GDALOpenEx is given (a path, a connection string, GDAL_WMS XML)
  std::string secret;          // the 天地图 key: scrubbed from every message
  int max_overview = 1 << 20;  // the coarsest overview worth reading (a local folder's lowest zoom)
  bool network = false;        // a tile service: the network may be reached
  std::mutex mutex;            // one render at a time
  /// One resolution level: the dataset, and over a paletted one its RGBA expansion (closed first).
  struct Level {
    DatasetPtr base;
    DatasetPtr expanded;
    GDALDataset* get() const { return expanded ? expanded.get() : base.get(); }
  };
  std::map<int, Level> levels;  // -1 = full resolution, k = overview k (opened on demand)

  /// `msg` with the key replaced, prefixed with the basemap's name.
  std::string line(const std::string& msg) const {
    std::string m = secret.empty() ? msg : replace_all(msg, secret, "***");
    m = replace_all(m, "\n", " ");
    return "basemap '" + spec.name + "' (底图): " + m;
  }
  GDALDataset* level(int k, std::string& error);
};

GDALDataset* Basemap::level(int k, std::string& error) {
  auto it = levels.find(k);
  if (it != levels.end()) return it->second.get();
  detail::StringList oo;
  if (k >= 0) oo.add("OVERVIEW_LEVEL=" + std::to_string(k));
  detail::ErrorCapture errs;
  Level lv;
  lv.base.reset(GDALDataset::FromHandle(
      GDALOpenEx(open_name.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, oo.get(), nullptr)));
  GDALDataset* ds = lv.base.get();
  if (!ds) {
    const std::string why = errs.last_failure();
    error = line(why.empty() ? "GDAL cannot open it as a raster" : why);
    return nullptr;
  }
  // A paletted image is expanded to RGBA (a VRT over it) so the warp blends colours, not indices.
  GDALRasterBand* b1 = ds->GetRasterBand(1);
  if (ds->GetRasterCount() == 1 && b1 && b1->GetColorTable()) {
    const char* argv[] = {"-of", "VRT", "-expand", "rgba", nullptr};
    GDALTranslateOptions* to = GDALTranslateOptionsNew(const_cast<char**>(argv), nullptr);
    GDALDatasetH vrt = GDALTranslate("", GDALDataset::ToHandle(ds), to, nullptr);
    GDALTranslateOptionsFree(to);
    if (!vrt) {
      error = line("cannot expand its colour table: " + errs.last_failure());
      return nullptr;
    }
    lv.expanded.reset(GDALDataset::FromHandle(vrt));
  }
  GDALDataset* got = lv.get();
  levels.emplace(k, std::move(lv));
  return got;
}

const core::BasemapSpec& basemap_spec(const Basemap& b) { return b.spec; }

namespace {

/// Smallest and largest zoom folder under a local tile folder `prefix` (the part of the template
/// before {z}); false when it has none.
bool local_zoom_range(const fs::path& prefix, int& lo, int& hi) {
  lo = 99;
  hi = -1;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(prefix, ec)) {
    const std::string n = e.path().filename().string();
    if (!e.is_directory(ec) || n.empty() || n.size() > 2 ||
        !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    const int z = std::atoi(n.c_str());
    lo = std::min(lo, z);
    hi = std::max(hi, z);
  }
  return hi >= 0;
}

/// A GDAL_WMS description of an XYZ template (web mercator tiles, 256 pixels, y from the top).
std::string xyz_description(const std::string& url, int max_zoom, const fs::path& cache, double timeout_s) {
  std::string u = replace_all(replace_all(replace_all(url, "{z}", "${z}"), "{x}", "${x}"), "{y}", "${y}");
  std::string xml = "<GDAL_WMS><Service name=\"TMS\"><ServerUrl>" + xml_escape(u) + "</ServerUrl></Service>";
  xml +=
      "<DataWindow><UpperLeftX>-20037508.34</UpperLeftX><UpperLeftY>20037508.34</UpperLeftY>"
      "<LowerRightX>20037508.34</LowerRightX><LowerRightY>-20037508.34</LowerRightY>"
      "<TileLevel>" +
      std::to_string(max_zoom) +
      "</TileLevel><TileCountX>1</TileCountX><TileCountY>1</TileCountY><YOrigin>top</YOrigin></DataWindow>"
      "<Projection>EPSG:3857</Projection><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY>"
      "<BandsCount>4</BandsCount><MaxConnections>2</MaxConnections>"
      "<ZeroBlockHttpCodes>204,404</ZeroBlockHttpCodes>"
      "<UserAgent>kepumap/0.1 (science-resource planning desktop app)</UserAgent>";
  xml += "<Timeout>" + std::to_string(std::max(1, static_cast<int>(std::lround(timeout_s)))) + "</Timeout>";
  if (!cache.empty()) xml += "<Cache><Path>" + xml_escape(cache.string()) + "</Path></Cache>";
  xml += "</GDAL_WMS>";
  return xml;
}

/// Thread-local GDAL HTTP settings for the time a basemap is opened or rendered.
class HttpSettings {
 public:
  explicit HttpSettings(const BasemapOptions& o) {
    set("GDAL_HTTP_TIMEOUT", std::to_string(std::max(1, static_cast<int>(std::lround(o.timeout_s)))));
    set("GDAL_HTTP_CONNECTTIMEOUT",
        std::to_string(std::max(1, static_cast<int>(std::lround(o.connect_timeout_s)))));
    set("GDAL_HTTP_MAX_RETRY", "0");
  }
  ~HttpSettings() {
    for (auto it = m_old.rbegin(); it != m_old.rend(); ++it)
      CPLSetThreadLocalConfigOption(it->first.c_str(), it->second ? it->second->c_str() : nullptr);
  }
  HttpSettings(const HttpSettings&) = delete;
  HttpSettings& operator=(const HttpSettings&) = delete;

 private:
  void set(const std::string& key, const std::string& value) {
    const char* old = CPLGetThreadLocalConfigOption(key.c_str(), nullptr);
    m_old.emplace_back(key, old ? std::optional<std::string>(old) : std::nullopt);
    CPLSetThreadLocalConfigOption(key.c_str(), value.c_str());
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> m_old;
};

}  // namespace

BasemapOpen open_basemap(const core::BasemapSpec& spec, const fs::path& project_file,
                         const BasemapOptions& options) {
  detail::ensure_gdal();
  auto b = std::make_shared<Basemap>();
  b->spec = spec;
  b->options = options;
  BasemapOpen out;
  const std::string kind = basemap_kind(spec);
  auto resolve = [&](const std::string& p) {
    fs::path path(reinterpret_cast<const char8_t*>(p.c_str()));
    return path.is_absolute() ? path : project_file.parent_path() / path;
  };
  if (kind == "tianditu") {
    b->secret = tianditu_key(spec);
    if (b->secret.empty()) {
      out.error = b->line("天地图 needs a key: give `key` in the [[basemap]] entry or set TIANDITU_KEY");
      return out;
    }
    if (!tianditu_layer_known(spec.source)) {
      out.error = b->line("'" + spec.source + "' is not a 天地图 layer; one of: " + tianditu_layer_names());
      return out;
    }
  } else if (!spec.key.empty()) {
    b->secret = spec.key;
  }
  std::string url;  // the XYZ template, if a tile service
  if (kind == "tianditu")
    url = "https://t0.tianditu.gov.cn/" + spec.source +
          "_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=" + spec.source +
          "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}";
  else if (kind == "xyz")
    url = spec.source;
  if (!url.empty()) {
    url = replace_all(url, "{key}", b->secret);
    int max_zoom = k_web_max_zoom;
    const bool local = starts_with(url, "file://") || url.find("://") == std::string::npos;
    if (local) {
      std::string path = starts_with(url, "file://") ? url.substr(7) : url;
      const auto z = path.find("${z}") != std::string::npos ? path.find("${z}") : path.find("{z}");
      fs::path prefix = resolve(path.substr(0, z));
      std::error_code ec;
      if (!fs::is_directory(prefix, ec)) {
        out.error = b->line(prefix.string() + ": no such tile folder");
        return out;
      }
      int lo = 0, hi = 0;
      if (!local_zoom_range(prefix, lo, hi)) {
        out.error = b->line(prefix.string() + ": no zoom-level folders (0, 1, 2, ...) in the tile folder");
        return out;
      }
      max_zoom = hi;
      b->max_overview = hi - lo - 1;  // overview k is zoom hi - 1 - k
      url = "file://" + (prefix / "").string() + path.substr(z);
      b->open_name = xyz_description(url, max_zoom, {}, options.timeout_s);
    } else {
      b->network = true;
      const fs::path cache =
          spec.cache.empty() ? default_tile_cache_dir() / folder_part(spec.name) : resolve(spec.cache);
      b->open_name = xyz_description(url, max_zoom, cache, options.timeout_s);
    }
  } else if (kind == "wms") {
    const bool inline_xml = starts_with(spec.source, "<GDAL_WMS") || starts_with(spec.source, "<GDAL_WMTS");
    const bool connection = starts_with(spec.source, "WMS:") || starts_with(spec.source, "WMTS:");
    if (!inline_xml && !connection) {
      const fs::path p = resolve(spec.source);
      if (std::string why = source_refusal(p.string(), SourcePolicy{}); !why.empty()) {
        out.error = b->line(why);
        return out;
      }
      std::error_code ec;
      if (!fs::exists(p, ec)) {
        out.error = b->line(p.string() + ": no such file");
        return out;
      }
      b->open_name = p.string();
    } else {
      b->open_name = spec.source;
    }
    b->network = true;
  } else {
    const fs::path p = resolve(spec.source);
    SourcePolicy policy;
    policy.allow_network = options.allow_network_files;
    if (std::string why = source_refusal(p.string(), policy); !why.empty()) {
      out.error = b->line(why);
      return out;
    }
    std::error_code ec;
    if (!is_network_source(spec.source) && !fs::exists(p, ec)) {
      out.error = b->line(p.string() + ": no such file");
      return out;
    }
    b->open_name = is_network_source(spec.source) ? spec.source : p.string();
    b->network = options.allow_network_files;
  }
  HttpSettings http(options);
  NetworkFileSystemBlock block(b->network || options.allow_network_files);
  std::string error;
  GDALDataset* ds = b->level(-1, error);
  if (!ds) {
    out.error = error;
    return out;
  }
  double gt[6];
  if (ds->GetGeoTransform(gt) != CE_None || !ds->GetSpatialRef()) {
    out.error = b->line("the raster has no georeferencing (no geotransform or no CRS)");
    return out;
  }
  const int bands = ds->GetRasterCount();
  if (bands < 1 || bands > 4) {
    out.error =
        b->line("the raster has " + std::to_string(bands) + " bands; a basemap has 1 to 4 (grey, RGB, RGBA)");
    return out;
  }
  if (ds->GetRasterBand(1)->GetRasterDataType() != GDT_Byte) {
    out.error = b->line(std::string("the raster holds ") +
                        GDALGetDataTypeName(ds->GetRasterBand(1)->GetRasterDataType()) +
                        " values; a basemap is an 8-bit image (make one with gdaldem hillshade or "
                        "gdal_translate -ot Byte -scale)");
    return out;
  }
  out.handle = std::move(b);
  return out;
}

// ---- rendering ----------------------------------------------------------------------------

namespace {

/// Output pixel (analysis CRS, through WGS84, optionally GCJ-02) to source pixel and back.
struct PixelTransform {
  double dst_gt[6];
  double src_gt[6], src_inv[6];
  geo::Transform to_lonlat;  // analysis CRS -> WGS84
  geo::Transform to_source;  // WGS84 -> the source's CRS
  bool gcj02 = false;

  bool dst_to_src(double& x, double& y) const {
    core::Vec2 p{dst_gt[0] + x * dst_gt[1] + y * dst_gt[2], dst_gt[3] + x * dst_gt[4] + y * dst_gt[5]};
    p = to_lonlat.apply(p);
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
    if (gcj02) p = geo::wgs84_to_gcj02(p);
    p = to_source.apply(p);
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
    x = src_inv[0] + p.x * src_inv[1] + p.y * src_inv[2];
    y = src_inv[3] + p.x * src_inv[4] + p.y * src_inv[5];
    return true;
  }
  bool src_to_dst(double& x, double& y) const {
    core::Vec2 p{src_gt[0] + x * src_gt[1] + y * src_gt[2], src_gt[3] + x * src_gt[4] + y * src_gt[5]};
    p = to_source.apply_inverse(p);
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
    if (gcj02) p = geo::gcj02_to_wgs84(p);
    p = to_lonlat.apply_inverse(p);
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
    double inv[6];
    if (!GDALInvGeoTransform(const_cast<double*>(dst_gt), inv)) return false;
    x = inv[0] + p.x * inv[1] + p.y * inv[2];
    y = inv[3] + p.x * inv[4] + p.y * inv[5];
    return true;
  }
};

int CPL_STDCALL transform_points(void* arg, int dst_to_src, int n, double* x, double* y, double*, int* ok) {
  const auto* t = static_cast<const PixelTransform*>(arg);
  int all = TRUE;
  for (int i = 0; i < n; ++i) {
    ok[i] = dst_to_src ? t->dst_to_src(x[i], y[i]) : t->src_to_dst(x[i], y[i]);
    if (!ok[i]) all = FALSE;
  }
  return all;
}

int CPL_STDCALL warp_progress(double, const char*, void* arg) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(arg);
  return cancel && cancel->load() ? FALSE : TRUE;
}

/// Source pixels per output pixel at full resolution (the smallest over a grid of samples, so
/// the level chosen is sharp enough everywhere); 0 when nothing of the extent maps onto the source.
double source_pixels_per_output_pixel(const PixelTransform& t, int w, int h) {
  double best = 0;
  for (int j = 0; j <= 4; ++j)
    for (int i = 0; i <= 4; ++i) {
      const double px = (w - 1) * i / 4.0, py = (h - 1) * j / 4.0;
      double x0 = px, y0 = py, x1 = px + 1, y1 = py, x2 = px, y2 = py + 1;
      if (!t.dst_to_src(x0, y0) || !t.dst_to_src(x1, y1) || !t.dst_to_src(x2, y2)) continue;
      const double r = std::sqrt(std::abs((x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)));
      if (std::isfinite(r) && r > 0 && (best == 0 || r < best)) best = r;
    }
  return best;
}

}  // namespace

BasemapRender render_basemap(Basemap& b, const core::BBox& extent, const std::string& analysis_crs,
                             int width_px, int height_px, const std::atomic<bool>* cancel) {
  BasemapRender out;
  out.image.extent = extent;
  if (width_px < 1 || height_px < 1 || width_px > k_max_image_px || height_px > k_max_image_px) {
    out.error = b.line("an image of " + std::to_string(width_px) + " × " + std::to_string(height_px) +
                       " pixels cannot be rendered (1 to 8192 on a side)");
    return out;
  }
  if (extent.empty() || !(extent.max_x > extent.min_x) || !(extent.max_y > extent.min_y)) {
    out.error = b.line("the map extent is empty");
    return out;
  }
  std::lock_guard<std::mutex> lock(b.mutex);
  if (cancel && cancel->load()) {
    out.cancelled = true;
    return out;
  }
  HttpSettings http(b.options);
  NetworkFileSystemBlock block(b.network || b.options.allow_network_files);
  detail::ErrorCapture errs;
  std::string error;
  GDALDataset* full = b.level(-1, error);
  if (!full) {
    out.error = error;
    return out;
  }
  std::unique_ptr<PixelTransform> t;
  try {
    const OGRSpatialReference* srs = full->GetSpatialRef();
    detail::CplString wkt;
    {
      char* w = nullptr;
      srs->exportToWkt(&w);
      wkt.reset(w);
    }
    t.reset(new PixelTransform{{},
                               {},
                               {},
                               geo::Transform(analysis_crs, "EPSG:4326"),
                               geo::Transform("EPSG:4326", wkt.get()),
                               b.spec.shift == "gcj02"});
  } catch (const std::exception& e) {
    out.error = b.line(e.what());
    return out;
  }
  const double dst_gt[6] = {extent.min_x,
                            (extent.max_x - extent.min_x) / width_px,
                            0,
                            extent.max_y,
                            0,
                            -(extent.max_y - extent.min_y) / height_px};
  std::copy(std::begin(dst_gt), std::end(dst_gt), t->dst_gt);
  full->GetGeoTransform(t->src_gt);
  if (!GDALInvGeoTransform(t->src_gt, t->src_inv)) {
    out.error = b.line("its geotransform cannot be inverted");
    return out;
  }
  // The level: the coarsest overview still at least as fine as the output.
  const double ratio = source_pixels_per_output_pixel(*t, width_px, height_px);
  int chosen = -1;
  GDALRasterBand* band1 = full->GetRasterBand(1);
  const int overviews = band1->GetOverviewCount();
  for (int k = 0; k < overviews && k <= b.max_overview; ++k) {
    GDALRasterBand* o = band1->GetOverview(k);
    if (!o || o->GetXSize() <= 0) continue;
    const double factor = static_cast<double>(full->GetRasterXSize()) / o->GetXSize();
    if (ratio > 0 && factor <= ratio * 1.2) chosen = k;
  }
  GDALDataset* src = b.level(chosen, error);
  if (!src) {
    out.error = error;
    return out;
  }
  src->GetGeoTransform(t->src_gt);
  if (!GDALInvGeoTransform(t->src_gt, t->src_inv)) {
    out.error = b.line("its geotransform cannot be inverted");
    return out;
  }

  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  DatasetPtr dst(mem ? mem->Create("", width_px, height_px, 4, GDT_Byte, nullptr) : nullptr);
  if (!dst) {
    out.error = b.line("cannot create the image in memory");
    return out;
  }
  const int bands = src->GetRasterCount();
  int src_bands[3] = {1, 2, 3};
  int src_alpha = 0;
  if (bands <= 2) src_bands[1] = src_bands[2] = 1;  // grey
  if (bands == 2 || bands == 4) src_alpha = bands;
  if (bands == 3 && src->GetRasterBand(1)->GetMaskFlags() == GMF_PER_DATASET) src_alpha = 0;
  GDALWarpOptions* wo = GDALCreateWarpOptions();
  wo->hSrcDS = GDALDataset::ToHandle(src);
  wo->hDstDS = GDALDataset::ToHandle(dst.get());
  wo->nBandCount = 3;
  wo->panSrcBands = static_cast<int*>(CPLMalloc(sizeof(int) * 3));
  wo->panDstBands = static_cast<int*>(CPLMalloc(sizeof(int) * 3));
  for (int i = 0; i < 3; ++i) {
    wo->panSrcBands[i] = src_bands[i];
    wo->panDstBands[i] = i + 1;
  }
  wo->nSrcAlphaBand = src_alpha;
  wo->nDstAlphaBand = 4;
  wo->eResampleAlg = GRA_Bilinear;
  wo->pfnTransformer = transform_points;
  wo->pTransformerArg = t.get();
  wo->pfnProgress = warp_progress;
  wo->pProgressArg = const_cast<std::atomic<bool>*>(cancel);
  wo->papszWarpOptions = CSLSetNameValue(wo->papszWarpOptions, "INIT_DEST", "0");
  CPLErr rc = CE_Failure;
  {
    GDALWarpOperation op;
    if (op.Initialize(wo) == CE_None) rc = op.ChunkAndWarpImage(0, 0, width_px, height_px);
  }
  wo->pTransformerArg = nullptr;
  GDALDestroyWarpOptions(wo);
  if (cancel && cancel->load()) {
    out.cancelled = true;
    return out;
  }
  if (rc != CE_None) {
    const std::string why = errs.last_failure();
    out.error = b.line(why.empty() ? "the warp failed" : why);
    return out;
  }
  out.image.width = width_px;
  out.image.height = height_px;
  out.image.pixels.assign(static_cast<std::size_t>(width_px) * static_cast<std::size_t>(height_px) * 4, 0);
  if (dst->RasterIO(GF_Read, 0, 0, width_px, height_px, out.image.pixels.data(), width_px, height_px,
                    GDT_Byte, 4, nullptr, 4, static_cast<GSpacing>(width_px) * 4, 1, nullptr) != CE_None) {
    out.image = {};
    out.image.extent = extent;
    out.error = b.line("cannot read the warped image back");
  }
  return out;
}

// ---- the quiet background -----------------------------------------------------------------

bool load_background(const fs::path& file, const std::string& analysis_crs, BackgroundLayers& out,
                     std::string& error) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    error = file.string() + ": the land/water background file is missing";
    return false;
  }
  try {
    core::Diagnostics warnings;
    const std::pair<const char*, core::Layer*> wanted[] = {
        {"lakes", &out.lakes}, {"rivers", &out.rivers}, {"borders", &out.borders}};
    for (const auto& [name, layer] : wanted) {
      VectorReadOptions o;
      o.layer = name;
      o.label = name;
      *layer = read_vector_layer(file.string(), o, analysis_crs, &warnings);
    }
  } catch (const std::exception& e) {
    error = file.string() + ": " + e.what();
    return false;
  }
  detail::ensure_gdal();
  detail::ErrorCapture errs;
  DatasetPtr ds(GDALDataset::FromHandle(
      GDALOpenEx(file.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (ds)
    if (const char* a = ds->GetMetadataItem("attribution")) out.attribution = a;
  return true;
}

}  // namespace kepumap::io
