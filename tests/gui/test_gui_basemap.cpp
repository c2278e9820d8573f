// Basemaps in the app (ui/basemap_view.hpp): with none configured the quiet land/water background
// shows with its attribution; a project's local XYZ basemap is drawn under the layers with each
// tile's colour where the tile lies; one added from the app (添加底图) is saved with the project;
// one that fails is a log line and the app goes on. Screenshots are kept for a look.
#include "gui_harness.hpp"

#include <gdal.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/json.hpp"
#include "geo/crs.hpp"
#include "io/project.hpp"

namespace kepumap::test::gui {
const char* gui_scratch_tag() { return "basemap"; }
}  // namespace kepumap::test::gui

using namespace kepumap;
using namespace kepumap::test::gui;

namespace {

struct Rgb {
  int r, g, b;
};

/// The screenshot's pixels (RGB), read through GDAL.
struct Shot {
  int w = 0, h = 0;
  std::vector<unsigned char> px;
  Rgb at(int x, int y) const {
    const std::size_t i = (static_cast<std::size_t>(y) * w + x) * 3;
    return {px[i], px[i + 1], px[i + 2]};
  }
};

Shot read_shot(const fs::path& p) {
  GDALAllRegister();
  Shot s;
  GDALDatasetH ds = GDALOpen(p.string().c_str(), GA_ReadOnly);
  if (!ds) return s;
  s.w = GDALGetRasterXSize(ds);
  s.h = GDALGetRasterYSize(ds);
  s.px.resize(static_cast<std::size_t>(s.w) * s.h * 3);
  int bands[3] = {1, 2, 3};
  if (GDALDatasetRasterIO(ds, GF_Read, 0, 0, s.w, s.h, s.px.data(), s.w, s.h, GDT_Byte, 3, bands, 3, 3L * s.w,
                          1) != CE_None)
    s = {};
  GDALClose(ds);
  return s;
}

bool close(Rgb a, Rgb b, int tol = 10) {
  return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

Rgb tile_colour(int x, int y) { return {60 + 50 * (x - 50), 40 + 50 * (y - 21), 230}; }
double tile_lon(double x, int z) { return x / std::pow(2.0, z) * 360.0 - 180.0; }
double tile_lat(double y, int z) {
  const double n = M_PI - 2.0 * M_PI * y / std::pow(2.0, z);
  return 180.0 / M_PI * std::atan(std::sinh(n));
}

/// Zoom 6 tiles x 51..53, y 22..24 (阿巴嘎旗 and around), one colour each, as PNG.
void write_tiles(const fs::path& root) {
  GDALAllRegister();
  for (int x = 51; x <= 53; ++x)
    for (int y = 22; y <= 24; ++y) {
      fs::create_directories(root / "6" / std::to_string(x));
      GDALDatasetH ds = GDALCreate(GDALGetDriverByName("MEM"), "", 256, 256, 3, GDT_Byte, nullptr);
      const Rgb c = tile_colour(x, y);
      const int v[3] = {c.r, c.g, c.b};
      for (int b = 0; b < 3; ++b) GDALFillRaster(GDALGetRasterBand(ds, b + 1), v[b], 0);
      GDALDatasetH out =
          GDALCreateCopy(GDALGetDriverByName("PNG"),
                         (root / "6" / std::to_string(x) / (std::to_string(y) + ".png")).string().c_str(), ds,
                         FALSE, nullptr, nullptr, nullptr);
      GDALClose(out);
      GDALClose(ds);
    }
}

/// A copy of data/abag in the scratch folder (`name`/), its project.toml with `extra` appended.
fs::path abag_copy(const std::string& name, const std::string& extra) {
  const fs::path d = work() / name;
  fs::create_directories(d);
  for (const char* f : {"project.toml", "abag.gpkg", "abag_population.tif"})
    fs::copy_file(kepumap::test::source_dir() / "data/abag" / f, d / f, fs::copy_options::overwrite_existing);
  std::ofstream(d / "project.toml", std::ios::app) << extra;
  return d / "project.toml";
}

const char* k_hide_fills = "hide banner\nhide townships\nhide villages\nhide population\n";

}  // namespace

TEST_CASE("app basemap: with none configured, the quiet land and water background and its attribution",
          "[gui][basemap]") {
  if (!can_run()) return;
  const fs::path shot = work() / "quiet.png";
  REQUIRE(run_app("quiet", std::string(k_hide_fills) + "zoom 0.3\nbasemap wait\nwait 2\nscreenshot " +
                               shot.string() + "\nwait 1\n") == 0);
  const auto text = ui_text("quiet");
  CHECK(std::find(text.begin(), text.end(), "陆地与水系（默认底图）") != text.end());
  CHECK(std::find(text.begin(), text.end(), "GSHHG/WDBII (c) The GMT Team, LGPL-3.0-or-later") != text.end());
  // the quiet background's lake fill (#d3e2ec) shows somewhere: lakes around the banner
  const Shot s = read_shot(shot);
  REQUIRE(s.w > 0);
  long water = 0;
  for (int y = 0; y < s.h; ++y)
    for (int x = 0; x < s.w; ++x) water += close(s.at(x, y), {0xd3, 0xe2, 0xec}, 3) ? 1 : 0;
  CHECK(water > 50);
}

TEST_CASE("app basemap: a local XYZ basemap under the layers, one added and saved, one that fails",
          "[gui][basemap]") {
  if (!can_run()) return;
  write_tiles(work() / "tiles");
  const fs::path project = abag_copy(
      "xyz",
      "\n[[basemap]]\nname = \"tiles\"\ntitle = \"测试瓦片\"\nsource = \"../tiles/{z}/{x}/{y}.png\"\n"
      "attribution = \"TestTiles\"\n");
  const fs::path shot = work() / "xyz.png";
  REQUIRE(run_app("xyz", "project open " + project.string() + "\nwait 2\n" + k_hide_fills +
                             "zoom 0.5\nbasemap wait\nwait 2\nscreenshot " + shot.string() + "\nwait 1\n") ==
          0);
  const auto text = ui_text("xyz");
  CHECK(std::find(text.begin(), text.end(), "测试瓦片") != text.end());
  CHECK(std::find(text.begin(), text.end(), "TestTiles") != text.end());
  // each tile's colour where the tile's centre is on screen (away from the panels)
  const render::View v = dumped_view("xyz");
  const core::Document doc = io::load_project(project);
  REQUIRE(!doc.analysis_crs.empty());
  const geo::Transform to(std::string("EPSG:4326"), doc.analysis_crs);
  const Shot s = read_shot(shot);
  REQUIRE(s.w == v.width_px);
  int checked = 0;
  for (int x = 51; x <= 53; ++x)
    for (int y = 22; y <= 24; ++y) {
      const core::Vec2 p = v.to_screen(to.apply(core::Vec2{tile_lon(x + 0.5, 6), tile_lat(y + 0.5, 6)}));
      // the middle of the window, clear of the layer panel (left), inspector (right) and status bar
      if (p.x < 340 || p.x > s.w - 360 || p.y < 40 || p.y > s.h - 60) continue;
      ++checked;
      // a few pixels around the centre: roads, labels or points may cover one
      bool hit = false;
      for (int dy = -12; dy <= 12 && !hit; dy += 4)
        for (int dx = -12; dx <= 12 && !hit; dx += 4)
          hit = close(s.at(static_cast<int>(p.x) + dx, static_cast<int>(p.y) + dy), tile_colour(x, y));
      INFO("tile " << x << "/" << y << " at " << p.x << "," << p.y);
      CHECK(hit);
    }
  CHECK(checked >= 1);

  // 添加底图 from the app, saved with the project; a basemap that fails is a log line
  const fs::path saved = work() / "xyz" / "saved.toml";
  REQUIRE(
      run_app("xyz_add",
              "project open " + project.string() + "\nwait 2\nbasemap add " + (work() / "tiles").string() +
                  "/{z}/{x}/{y}.png extra\nbasemap opacity extra 0.4\n"
                  "basemap add /nonexistent-kepumap/gone.mbtiles\nbasemap wait\nopen_panel log\nwait 2\n"
                  "screenshot " +
                  (work() / "xyz_add.png").string() + "\nproject save " + saved.string() + "\nwait 2\n") ==
      0);
  const std::string err = slurp(work() / "xyz_add.err");
  CHECK(err.find("basemap 'gone'") != std::string::npos);
  const std::string toml = slurp(saved);
  INFO(toml);
  CHECK(toml.find("name = \"extra\"") != std::string::npos);
  CHECK(toml.find("opacity = 0.4") != std::string::npos);
  CHECK(toml.find("name = \"tiles\"") != std::string::npos);
  core::Diagnostics d;
  const auto cfg = io::read_project(saved, d);
  CHECK(!d.has_errors());
  REQUIRE(cfg.basemaps.size() == 3);
  CHECK(cfg.basemaps[1].name == "extra");
  CHECK(cfg.basemaps[1].opacity == Approx(0.4));
}

TEST_CASE("app basemap: the attribution stays clear of the panels (the legend at the bottom right)",
          "[gui][basemap]") {
  if (!can_run()) return;
  REQUIRE(run_app("attribution", "open_panel legend\nwait 2\n") == 0);
  const core::JsonValue st = core::parse_json(slurp(work() / "attribution.json"));
  const core::JsonValue* rects = st.find("panel_rects");
  REQUIRE(rects);
  const core::JsonValue* attr = rects->find("attribution");
  REQUIRE(attr);
  REQUIRE(attr->array.size() == 4);
  auto box = [](const core::JsonValue& v) {
    return std::array<double, 4>{v.array[0].number, v.array[1].number, v.array[2].number, v.array[3].number};
  };
  const auto a = box(*attr);
  int others = 0;
  for (const auto& [name, r] : rects->object) {
    if (name == "attribution" || r.array.size() != 4) continue;
    ++others;
    const auto b = box(r);
    INFO(name << " [" << b[0] << ", " << b[1] << ", " << b[2] << ", " << b[3] << "], attribution [" << a[0]
              << ", " << a[1] << ", " << a[2] << ", " << a[3] << "]");
    CHECK(!(a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]));
  }
  CHECK(others >= 1);
}

TEST_CASE("app basemap: the map of the view prints the background as the basemap section shows it",
          "[gui][basemap][map]") {
  if (!can_run()) return;
  auto water_in_export = [&](const std::string& name, const std::string& before) {
    const fs::path dir = work() / name;
    fs::remove_all(dir);
    if (run_app(name, std::string(k_hide_fills) + "zoom 0.3\nbasemap wait\n" + before +
                          "analysis open coverage\nanalysis wait\nanalysis export_view " + dir.string() +
                          "\n") != 0)
      return -1L;
    const Shot s = read_shot(dir / "view.png");
    if (s.w == 0) return -1L;
    long water = 0;  // the quiet background's lake fill (#d3e2ec)
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x) water += close(s.at(x, y), {0xd3, 0xe2, 0xec}, 3) ? 1 : 0;
    return water;
  };
  const long on = water_in_export("export_quiet_on", "");
  // switched off in the app (not in the file): the export has none of it (the legend's lake
  // swatch and the project's own lakes keep a few pixels of that colour)
  const long off = water_in_export("export_quiet_off", "basemap hide quiet_background\n");
  INFO("lake-coloured pixels: shown " << on << ", hidden " << off);
  CHECK(off >= 0);
  CHECK(on > 10 * off + 50);
}
