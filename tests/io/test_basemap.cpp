// Basemaps (io/basemap.hpp): a small MBTiles and a local XYZ tile folder made here with GDAL put
// known colours at known places of the rendered image; the GCJ-02 shift moves content by the
// converter's offset; a missing file, a missing tile folder and an unreachable tile server are one
// line each (the key never in it). Nothing here reaches the network (127.0.0.1 only).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gdal.h>
#include <gdal_utils.h>

#include "core/project.hpp"
#include "geo/crs.hpp"
#include "io/basemap.hpp"
#include "io_test_util.hpp"

using namespace kepumap;
namespace fs = std::filesystem;

namespace {

const char* k_wgs84 =
    "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS "
    "84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

struct Colour {
  int r, g, b;
};

/// A GeoTIFF in WGS84 lon/lat over [w, e] × [s, n], `cols` × `rows` pixels, RGB from `colour(lon, lat)`.
template <class F>
void write_lonlat_tiff(const std::string& path, double w, double s, double e, double n, int cols, int rows,
                       F colour) {
  GDALAllRegister();
  GDALDriverH drv = GDALGetDriverByName("GTiff");
  GDALDatasetH ds = GDALCreate(drv, path.c_str(), cols, rows, 3, GDT_Byte, nullptr);
  REQUIRE(ds);
  double gt[6] = {w, (e - w) / cols, 0, n, 0, -(n - s) / rows};
  GDALSetGeoTransform(ds, gt);
  GDALSetProjection(ds, k_wgs84);
  std::vector<unsigned char> px(static_cast<std::size_t>(cols) * rows * 3);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      const Colour c = colour(w + (x + 0.5) * gt[1], n + (y + 0.5) * gt[5]);
      const std::size_t i = static_cast<std::size_t>(y) * cols + x;
      px[i] = static_cast<unsigned char>(c.r);
      px[i + static_cast<std::size_t>(cols) * rows] = static_cast<unsigned char>(c.g);
      px[i + 2 * static_cast<std::size_t>(cols) * rows] = static_cast<unsigned char>(c.b);
    }
  REQUIRE(GDALDatasetRasterIO(ds, GF_Write, 0, 0, cols, rows, px.data(), cols, rows, GDT_Byte, 3, nullptr, 0,
                              0, 0) == CE_None);
  GDALClose(ds);
}

/// Web-mercator tile (x, y) at zoom z: its north-west corner in lon/lat.
double tile_lon(double x, int z) { return x / std::pow(2.0, z) * 360.0 - 180.0; }
double tile_lat(double y, int z) {
  const double n = M_PI - 2.0 * M_PI * y / std::pow(2.0, z);
  return 180.0 / M_PI * std::atan(std::sinh(n));
}

Colour tile_colour(int x, int y) { return {40 * (x - 50), 40 * (y - 21), 200}; }

/// A local XYZ folder: zoom 6 tiles x 51..53, y 22..24 (around 阿巴嘎旗), each one colour, as PNG.
void write_xyz_folder(const fs::path& root) {
  GDALAllRegister();
  GDALDriverH mem = GDALGetDriverByName("MEM"), png = GDALGetDriverByName("PNG");
  for (int x = 51; x <= 53; ++x)
    for (int y = 22; y <= 24; ++y) {
      fs::create_directories(root / "6" / std::to_string(x));
      GDALDatasetH ds = GDALCreate(mem, "", 256, 256, 3, GDT_Byte, nullptr);
      const Colour c = tile_colour(x, y);
      const int v[3] = {c.r, c.g, c.b};
      for (int b = 0; b < 3; ++b) REQUIRE(GDALFillRaster(GDALGetRasterBand(ds, b + 1), v[b], 0) == CE_None);
      const std::string out = (root / "6" / std::to_string(x) / (std::to_string(y) + ".png")).string();
      GDALDatasetH copy = GDALCreateCopy(png, out.c_str(), ds, FALSE, nullptr, nullptr, nullptr);
      REQUIRE(copy);
      GDALClose(copy);
      GDALClose(ds);
    }
}

/// The analysis CRS of the tests: kepumap's own equal-area CRS for the area.
std::string test_crs() {
  core::BBox b;
  b.add(core::Vec2{113.0, 42.5});
  b.add(core::Vec2{117.0, 45.5});
  return geo::analysis_crs_for(b);
}

/// A box of `half_m` metres around lon/lat `c` in the analysis CRS.
core::BBox box_around(const std::string& crs, core::Vec2 c, double half_m) {
  const core::Vec2 p = geo::Transform("EPSG:4326", crs).apply(c);
  core::BBox b;
  b.add(core::Vec2{p.x - half_m, p.y - half_m});
  b.add(core::Vec2{p.x + half_m, p.y + half_m});
  return b;
}

/// The image pixel (column, row) showing analysis-CRS point `p`.
std::pair<int, int> pixel_of(const core::ImageRgba& im, core::Vec2 p) {
  const double fx = (p.x - im.extent.min_x) / im.extent.width(),
               fy = (im.extent.max_y - p.y) / im.extent.height();
  return {static_cast<int>(fx * im.width), static_cast<int>(fy * im.height)};
}

bool near_colour(const std::uint8_t* px, Colour c, int tol = 4) {
  return std::abs(px[0] - c.r) <= tol && std::abs(px[1] - c.g) <= tol && std::abs(px[2] - c.b) <= tol &&
         px[3] == 255;
}

core::BasemapSpec spec_of(const std::string& name, const std::string& source) {
  core::BasemapSpec s;
  s.name = name;
  s.source = source;
  return s;
}

}  // namespace

TEST_CASE("basemap: a local XYZ folder puts each tile's colour where its lon/lat lies", "[io][basemap]") {
  test::ScratchDir dir("xyz");
  write_xyz_folder(dir.path() / "tiles");
  const std::string crs = test_crs();
  for (const std::string& src : {(dir.path() / "tiles").string() + "/{z}/{x}/{y}.png",
                                 "file://" + (dir.path() / "tiles").string() + "/{z}/{x}/{y}.png"}) {
    INFO(src);
    const auto spec = spec_of("local", src);
    CHECK(io::basemap_kind(spec) == "xyz");
    auto opened = io::open_basemap(spec, dir.path() / "project.toml");
    REQUIRE(opened.error == "");
    // the middle tile's box, with a margin of half a tile around it
    const core::Vec2 nw{tile_lon(51.5, 6), tile_lat(22.5, 6)}, se{tile_lon(53.5, 6), tile_lat(24.5, 6)};
    const geo::Transform to(std::string("EPSG:4326"), crs);
    core::BBox ext;
    for (const core::Vec2 c : {nw, se, core::Vec2{nw.x, se.y}, core::Vec2{se.x, nw.y}}) ext.add(to.apply(c));
    const auto r = io::render_basemap(*opened.handle, ext, crs, 400, 400);
    REQUIRE(r.error == "");
    REQUIRE(r.image.width == 400);
    int checked = 0;
    for (int x = 51; x <= 53; ++x)
      for (int y = 22; y <= 24; ++y) {
        const core::Vec2 centre = to.apply(core::Vec2{tile_lon(x + 0.5, 6), tile_lat(y + 0.5, 6)});
        const auto [col, row] = pixel_of(r.image, centre);
        if (col < 0 || row < 0 || col >= r.image.width || row >= r.image.height) continue;
        INFO("tile " << x << "/" << y << " at pixel " << col << "," << row);
        CHECK(near_colour(r.image.at(col, row), tile_colour(x, y)));
        ++checked;
      }
    CHECK(checked >= 5);
    // outside the tiles written: transparent, not an error
    const core::Vec2 far = to.apply(core::Vec2{tile_lon(50.5, 6), tile_lat(22.5, 6)});
    core::BBox west;
    west.add(core::Vec2{far.x - 5000, far.y - 5000});
    west.add(core::Vec2{far.x + 5000, far.y + 5000});
    const auto empty = io::render_basemap(*opened.handle, west, crs, 50, 50);
    REQUIRE(empty.error == "");
    CHECK(empty.image.at(25, 25)[3] == 0);
  }
}

TEST_CASE("basemap: an MBTiles made with gdal_translate and gdaladdo renders at every scale",
          "[io][basemap]") {
  test::ScratchDir dir("mbtiles");
  // four quadrants around 115E 44N: red NW, green NE, blue SW, yellow SE
  const std::string tif = dir.file("quadrants.tif");
  write_lonlat_tiff(tif, 114.0, 43.0, 116.0, 45.0, 400, 400, [](double lon, double lat) {
    if (lat >= 44.0) return lon < 115.0 ? Colour{220, 30, 30} : Colour{30, 200, 30};
    return lon < 115.0 ? Colour{30, 30, 220} : Colour{230, 220, 20};
  });
  const std::string mbt = dir.file("quadrants.mbtiles");
  {
    GDALDatasetH src = GDALOpen(tif.c_str(), GA_ReadOnly);
    REQUIRE(src);
    const char* argv[] = {"-of", "MBTILES", nullptr};
    GDALTranslateOptions* o = GDALTranslateOptionsNew(const_cast<char**>(argv), nullptr);
    GDALDatasetH out = GDALTranslate(mbt.c_str(), src, o, nullptr);
    GDALTranslateOptionsFree(o);
    REQUIRE(out);
    int levels[] = {2, 4, 8, 16};
    REQUIRE(GDALBuildOverviews(out, "AVERAGE", 4, levels, 0, nullptr, nullptr, nullptr) == CE_None);
    GDALClose(out);
    GDALClose(src);
  }
  const std::string crs = test_crs();
  auto opened = io::open_basemap(spec_of("mbt", "quadrants.mbtiles"), dir.path() / "project.toml");
  REQUIRE(opened.error == "");
  const geo::Transform to(std::string("EPSG:4326"), crs);
  const std::pair<core::Vec2, Colour> probes[] = {{{114.5, 44.5}, {220, 30, 30}},
                                                  {{115.5, 44.5}, {30, 200, 30}},
                                                  {{114.5, 43.5}, {30, 30, 220}},
                                                  {{115.5, 43.5}, {230, 220, 20}}};
  // the whole area at a small size (an overview) and a close-up (full resolution)
  for (const auto& [half, size] : {std::pair{120000.0, 64}, std::pair{120000.0, 600}}) {
    const auto r = io::render_basemap(*opened.handle, box_around(crs, {115.0, 44.0}, half), crs, size, size);
    REQUIRE(r.error == "");
    for (const auto& [ll, colour] : probes) {
      const auto [col, row] = pixel_of(r.image, to.apply(ll));
      INFO(size << " px: " << ll.x << "," << ll.y);
      CHECK(near_colour(r.image.at(col, row), colour, 12));
    }
  }
}

TEST_CASE("basemap: the GCJ-02 shift moves the content by the converter's offset", "[io][basemap]") {
  test::ScratchDir dir("gcj");
  // a sharp north-south edge at 115.0E: red west of it, green east
  const std::string tif = dir.file("edge.tif");
  write_lonlat_tiff(tif, 114.9, 43.95, 115.1, 44.05, 2000, 1000, [](double lon, double) {
    return lon < 115.0 ? Colour{220, 30, 30} : Colour{30, 200, 30};
  });
  const std::string crs = test_crs();
  const geo::Transform to(std::string("EPSG:4326"), crs);
  const core::BBox ext = box_around(crs, {115.0, 44.0}, 3000);  // 6 km wide, 10 m a pixel
  auto edge_x = [&](bool shifted) {
    auto spec = spec_of("edge", tif);
    if (shifted) spec.shift = "gcj02";
    auto opened = io::open_basemap(spec, dir.path() / "project.toml");
    REQUIRE(opened.error == "");
    const auto r = io::render_basemap(*opened.handle, ext, crs, 600, 600);
    REQUIRE(r.error == "");
    for (int c = 0; c < r.image.width; ++c)
      if (r.image.at(c, 300)[1] > r.image.at(c, 300)[0])
        return ext.min_x + (c + 0.5) * ext.width() / r.image.width;
    FAIL("no edge in the image");
    return 0.0;
  };
  const double plain = edge_x(false), shifted = edge_x(true);
  // the content at GCJ-02 position 115.0E belongs at its WGS84 position
  const core::Vec2 truth = to.apply(geo::gcj02_to_wgs84({115.0, 44.0}));
  const double expected = truth.x - to.apply(core::Vec2{115.0, 44.0}).x;
  INFO("plain " << plain << " shifted " << shifted << " expected shift " << expected);
  CHECK(std::abs(expected) > 100);  // a few hundred metres
  CHECK(std::abs(expected) < 1000);
  CHECK(std::abs((shifted - plain) - expected) < 25);  // within 2.5 pixels of 10 m
}

TEST_CASE("basemap: a missing file, folder or server is one line, the key never in it", "[io][basemap]") {
  test::ScratchDir dir("bad");
  auto one_line = [](const std::string& e) { return !e.empty() && e.find('\n') == std::string::npos; };
  {
    auto r = io::open_basemap(spec_of("gone", "nope.mbtiles"), dir.path() / "project.toml");
    CHECK(!r.handle);
    CHECK(one_line(r.error));
    CHECK(r.error.find("no such file") != std::string::npos);
    CHECK(r.error.find("gone") != std::string::npos);
  }
  {
    auto r = io::open_basemap(spec_of("nofolder", "file:///nonexistent-kepumap/{z}/{x}/{y}.png"),
                              dir.path() / "p.toml");
    CHECK(!r.handle);
    CHECK(one_line(r.error));
    CHECK(r.error.find("no such tile folder") != std::string::npos);
  }
  {
    auto spec = spec_of("down", "http://127.0.0.1:9/{z}/{x}/{y}.png?tk={key}");
    spec.key = "SECRET-KEY-123";
    spec.cache = dir.file("cache");
    io::BasemapOptions opts;
    opts.timeout_s = 1;
    opts.connect_timeout_s = 1;
    auto r = io::open_basemap(spec, dir.path() / "project.toml", opts);
    REQUIRE(r.handle);
    const std::string crs = test_crs();
    const auto out = io::render_basemap(*r.handle, box_around(crs, {115.0, 44.0}, 20000), crs, 64, 64);
    CHECK(one_line(out.error));
    CHECK(out.error.find("SECRET-KEY-123") == std::string::npos);
    CHECK(out.error.find("down") != std::string::npos);
  }
  {
    ::unsetenv("TIANDITU_KEY");
    auto spec = spec_of("tdt", "vec");
    spec.kind = "tianditu";
    auto r = io::open_basemap(spec, dir.path() / "project.toml");
    CHECK(!r.handle);
    CHECK(one_line(r.error));
    CHECK(r.error.find("TIANDITU_KEY") != std::string::npos);
  }
  {
    // a float raster is not an image
    GDALAllRegister();
    const std::string tif = dir.file("dem.tif");
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), tif.c_str(), 4, 4, 1, GDT_Float32, nullptr);
    double gt[6] = {115, 0.01, 0, 44, 0, -0.01};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, k_wgs84);
    GDALClose(ds);
    auto r = io::open_basemap(spec_of("dem", tif), dir.path() / "project.toml");
    CHECK(!r.handle);
    CHECK(r.error.find("8-bit") != std::string::npos);
  }
  {
    // cancelled before it starts: nothing rendered, no error
    write_lonlat_tiff(dir.file("c.tif"), 114, 43, 116, 45, 20, 20, [](double, double) {
      return Colour{1, 2, 3};
    });
    auto r = io::open_basemap(spec_of("c", dir.file("c.tif")), dir.path() / "project.toml");
    REQUIRE(r.handle);
    std::atomic<bool> cancel{true};
    const std::string crs = test_crs();
    const auto out =
        io::render_basemap(*r.handle, box_around(crs, {115.0, 44.0}, 20000), crs, 32, 32, &cancel);
    CHECK(out.cancelled);
    CHECK(out.image.empty());
  }
}

TEST_CASE("basemap: attributions of the known services", "[io][basemap]") {
  CHECK(io::basemap_attribution(spec_of("osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")) ==
        "© OpenStreetMap contributors");
  auto tdt = spec_of("t", "vec");
  tdt.kind = "tianditu";
  CHECK(io::basemap_attribution(tdt).find("天地图") != std::string::npos);
  CHECK(io::basemap_attribution(spec_of(
            "a", "https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8")) == "© 高德地图");
  auto own = spec_of("f", "hillshade.tif");
  own.attribution = "山体阴影 © 本旗";
  CHECK(io::basemap_attribution(own) == "山体阴影 © 本旗");
  CHECK(io::basemap_attribution(spec_of("f", "hillshade.tif")) == "");
}

TEST_CASE("basemap: the quiet background file has lakes, rivers and borders with their attribution",
          "[io][basemap]") {
  io::BackgroundLayers bg;
  std::string error;
  REQUIRE(io::load_background(io::default_background_file(), test_crs(), bg, error));
  CHECK(error == "");
  CHECK(bg.lakes.geom.feature_count() == 98);
  CHECK(bg.rivers.geom.feature_count() == 235);
  CHECK(bg.borders.geom.feature_count() == 11);
  CHECK(bg.attribution == "GSHHG/WDBII (c) The GMT Team, LGPL-3.0-or-later");
  io::BackgroundLayers none;
  CHECK_FALSE(io::load_background("/nonexistent/physical.gpkg", test_crs(), none, error));
  CHECK(error.find("missing") != std::string::npos);
}

TEST_CASE("basemap: grey and paletted images are drawn in their colours", "[io][basemap]") {
  test::ScratchDir dir("palette");
  GDALAllRegister();
  const std::string grey = dir.file("grey.tif"), pal = dir.file("pal.tif");
  for (const std::string& f : {grey, pal}) {
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), f.c_str(), 40, 40, 1, GDT_Byte, nullptr);
    double gt[6] = {114.0, 0.05, 0, 45.0, 0, -0.05};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, k_wgs84);
    GDALFillRaster(GDALGetRasterBand(ds, 1), 7, 0);
    if (f == pal) {
      GDALColorTableH ct = GDALCreateColorTable(GPI_RGB);
      const GDALColorEntry e{10, 120, 240, 255};
      GDALSetColorEntry(ct, 7, &e);
      GDALSetRasterColorTable(GDALGetRasterBand(ds, 1), ct);
      GDALDestroyColorTable(ct);
    }
    GDALClose(ds);
  }
  const std::string crs = test_crs();
  const core::BBox ext = box_around(crs, {115.0, 44.0}, 20000);
  auto render = [&](const std::string& f) {
    auto r = io::open_basemap(spec_of("img", f), dir.path() / "project.toml");
    REQUIRE(r.handle);
    auto out = io::render_basemap(*r.handle, ext, crs, 20, 20);
    REQUIRE(out.error == "");
    return out.image;
  };
  CHECK(near_colour(render(grey).at(10, 10), {7, 7, 7}, 1));
  CHECK(near_colour(render(pal).at(10, 10), {10, 120, 240}, 1));
}
