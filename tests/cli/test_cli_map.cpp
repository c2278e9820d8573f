// kepumap map: one map of a view through the report's print renderer — the page size, the
// heading, the notes (示意图, sources, date), the extent and the layer choice, and bad input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gdal.h>

#include "cli_run.hpp"

using namespace kepumap;
using test::run_kepumap;
using test::shell_quote;

namespace {

const char* k_wgs84 =
    "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS "
    "84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

std::string abag() { return shell_quote((test::source_dir() / "data/abag/project.toml").string()); }

std::filesystem::path out_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("kepumap-map-" + name);
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

/// Width and height of a PNG from its IHDR chunk.
std::pair<int, int> png_size(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  unsigned char b[24] = {};
  in.read(reinterpret_cast<char*>(b), 24);
  auto be = [&](int at) { return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]; };
  return {be(16), be(20)};
}

}  // namespace

TEST_CASE("cli map: a view of the project as SVG, PNG and PDF with heading, notes and date", "[cli][map]") {
  const auto dir = out_dir("views");
  const auto svg = dir / "view.svg";
  const auto r = run_kepumap("map " + abag() + " -o " + shell_quote(svg.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string whole = test::slurp(svg);
  // Heading (project name and map title), labels as text, the notes of every report map and the date.
  CHECK(whole.find("阿巴嘎旗") != std::string::npos);
  CHECK(whole.find("<text") != std::string::npos);
  CHECK(whole.find(">巴彦图嘎苏木<") != std::string::npos);  // the northern township
  CHECK(whole.find(">别力古台镇<") != std::string::npos);
  // A4 portrait by default: 595 x 842 points.
  CHECK(whole.find("width=\"595") != std::string::npos);

  // --extent: a box around 别力古台镇 keeps its label and drops the northern township's.
  const auto part = dir / "part.svg";
  REQUIRE(run_kepumap("map " + abag() + " --extent 114.5,43.7,115.4,44.3 -o " + shell_quote(part.string()))
              .exit_code == 0);
  const std::string p = test::slurp(part);
  CHECK(p.find(">别力古台镇<") != std::string::npos);
  CHECK(p.find(">巴彦图嘎苏木<") == std::string::npos);

  // --layers: only the layers named (the townships), the other layers' legend entries gone.
  const auto only = dir / "only.svg";
  const auto lr =
      run_kepumap("map " + abag() + " --layers townships --lang en -o " + shell_quote(only.string()));
  INFO(lr.err);
  REQUIRE(lr.exit_code == 0);
  const std::string o = test::slurp(only);
  CHECK(o.find(">别力古台镇<") != std::string::npos);

  // PNG: A3 landscape at 72 dpi is 1190 x 841 pixels.
  const auto png = dir / "view.png";
  REQUIRE(run_kepumap("map " + abag() + " --map travel_time --paper a3 --landscape --dpi 72 -o " +
                      shell_quote(png.string()))
              .exit_code == 0);
  const auto [w, h] = png_size(png);
  CHECK(w == 1190);
  CHECK(h == 841);

  // PDF: the text carries 示意图, the sources and the date line.
  const auto pdf = dir / "view.pdf";
  REQUIRE(run_kepumap("map " + abag() + " --title 会议用图 -o " + shell_quote(pdf.string())).exit_code == 0);
  const auto txt = dir / "view.txt";
  if (std::system(("pdftotext " + shell_quote(pdf.string()) + " " + shell_quote(txt.string())).c_str()) ==
      0) {
    const std::string t = test::slurp(txt);
    CHECK(t.find("会议用图") != std::string::npos);
    CHECK(t.find("示意图") != std::string::npos);
    CHECK(t.find("kepumap 制图 20") != std::string::npos);
  }
}

TEST_CASE("cli map: bad input is one line and exit 2, and nothing is written", "[cli][map]") {
  const auto dir = out_dir("bad");
  const auto out = dir / "x.svg";
  struct Case {
    std::string args, expect;
  };
  for (const Case& c :
       {Case{"--layers nosuch", "no layer 'nosuch'"}, Case{"--extent 1,2,3", "four numbers"},
        Case{"--extent 116,44,115,45", "west must be less than east"},
        Case{"--extent 10,10,11,11", "outside the project's study area"},
        Case{"--extent a,b,c,d", "is not a number"}, Case{"--map gap", "use coverage or travel_time"},
        Case{"--paper a5", "use a4 or a3"}, Case{"--dpi 5", "from 30 to 1200"}}) {
    const auto r = run_kepumap("map " + abag() + " " + c.args + " -o " + shell_quote(out.string()));
    INFO(c.args << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(c.expect) != std::string::npos);
    CHECK(!std::filesystem::exists(out));
  }
  const auto wrong = run_kepumap("map " + abag() + " -o " + shell_quote((dir / "x.docx").string()));
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err.find(".pdf, .png or .svg") != std::string::npos);
}

namespace {

/// Pixels of a PNG (read through GDAL) within 12 of the colour (r, g, b) in every channel.
long count_colour(const std::filesystem::path& png, int r, int g, int b) {
  GDALAllRegister();
  GDALDatasetH ds = GDALOpen(png.string().c_str(), GA_ReadOnly);
  if (!ds || GDALGetRasterCount(ds) < 3) return -1;
  const int w = GDALGetRasterXSize(ds), h = GDALGetRasterYSize(ds);
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3);
  int bands[3] = {1, 2, 3};
  if (GDALDatasetRasterIO(ds, GF_Read, 0, 0, w, h, px.data(), w, h, GDT_Byte, 3, bands, 3, 3L * w, 1) !=
      CE_None)
    return -1;
  GDALClose(ds);
  long n = 0;
  for (std::size_t i = 0; i < px.size(); i += 3)
    if (std::abs(px[i] - r) <= 12 && std::abs(px[i + 1] - g) <= 12 && std::abs(px[i + 2] - b) <= 12) ++n;
  return n;
}

}  // namespace

TEST_CASE("cli map: a [[basemap]] is drawn under the layers with its attribution in the sources",
          "[cli][map][basemap]") {
  const auto dir = out_dir("basemap");
  for (const char* f : {"project.toml", "abag.gpkg", "abag_population.tif"})
    std::filesystem::copy_file(test::source_dir() / "data/abag" / f, dir / f);
  // a magenta GeoTIFF over the whole banner and beyond
  GDALAllRegister();
  {
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), (dir / "magenta.tif").string().c_str(), 100,
                                 80, 3, GDT_Byte, nullptr);
    double gt[6] = {110.0, 0.1, 0, 48.0, 0, -0.1};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, k_wgs84);
    const int v[3] = {255, 0, 255};
    for (int b = 0; b < 3; ++b) GDALFillRaster(GDALGetRasterBand(ds, b + 1), v[b], 0);
    GDALClose(ds);
  }
  // without a basemap: no magenta (the quiet background is muted blue and grey)
  const auto plain = dir / "plain.png";
  const auto p0 = run_kepumap("map " + shell_quote((dir / "project.toml").string()) + " --dpi 60 -o " +
                              shell_quote(plain.string()));
  INFO(p0.err);
  REQUIRE(p0.exit_code == 0);
  CHECK(count_colour(plain, 255, 0, 255) == 0);
  {
    std::ofstream t(dir / "project.toml", std::ios::app);
    t << "\n[[basemap]]\nname = \"magenta\"\nsource = \"magenta.tif\"\nattribution = \"TestBasemap\"\n";
  }
  const auto png = dir / "basemap.png";
  const auto r = run_kepumap("map " + shell_quote((dir / "project.toml").string()) + " --dpi 60 -o " +
                             shell_quote(png.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto [w, h] = png_size(png);
  // outside the banner's opaque fills the basemap shows: a good part of the page
  const long magenta = count_colour(png, 255, 0, 255);
  CHECK(magenta > static_cast<long>(w) * h / 20);
  // the attribution in the notes under the map (the PDF's text)
  const auto pdf = dir / "basemap.pdf";
  REQUIRE(
      run_kepumap("map " + shell_quote((dir / "project.toml").string()) + " -o " + shell_quote(pdf.string()))
          .exit_code == 0);
  const auto txt = dir / "basemap.txt";
  if (std::system(("pdftotext " + shell_quote(pdf.string()) + " " + shell_quote(txt.string())).c_str()) == 0)
    CHECK(test::slurp(txt).find("TestBasemap") != std::string::npos);
  // a basemap that cannot be opened: a warning line, and the map is still written
  {
    std::ofstream t(dir / "project.toml", std::ios::app);
    t << "\n[[basemap]]\nname = \"gone\"\nsource = \"gone.mbtiles\"\n";
  }
  const auto png2 = dir / "gone.png";
  const auto g = run_kepumap("map " + shell_quote((dir / "project.toml").string()) + " --dpi 60 -o " +
                             shell_quote(png2.string()));
  CHECK(g.exit_code == 0);
  CHECK(g.err.find("basemap 'gone'") != std::string::npos);
  CHECK(count_colour(png2, 255, 0, 255) > static_cast<long>(w) * h / 20);
}
