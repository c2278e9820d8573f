// kepumap report on 阿巴嘎旗: the PDF's pages rendered with pdftoppm and its text extracted with
// pdftotext; the names and the figures `kepumap coverage` computed must be in it.
#include <catch2/catch.hpp>

#include <cairo.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "cli_run.hpp"
#include "skip.hpp"

using namespace kepumap;
using test::run_kepumap;
using test::shell_quote;
using test::slurp;

namespace {

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

std::filesystem::path fresh(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("kepumap-report-" + name);
  std::filesystem::remove_all(d);
  return d;
}

// Fraction of non-white pixels and number of distinct colours in a rectangle of a PNG.
void png_stats(const std::filesystem::path& png, double fx0, double fy0, double fx1, double fy1,
               double& inked, std::size_t& colours) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(png.c_str());
  REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* d = cairo_image_surface_get_data(s);
  std::set<std::uint32_t> seen;
  std::size_t ink = 0, n = 0;
  for (int y = static_cast<int>(fy0 * h); y < static_cast<int>(fy1 * h); ++y)
    for (int x = static_cast<int>(fx0 * w); x < static_cast<int>(fx1 * w); ++x) {
      const std::uint32_t px = reinterpret_cast<const std::uint32_t*>(d + y * stride)[x] & 0xffffff;
      seen.insert(px);
      ink += px != 0xffffff;
      ++n;
    }
  cairo_surface_destroy(s);
  inked = n ? static_cast<double>(ink) / n : 0.0;
  colours = seen.size();
}

}  // namespace

TEST_CASE("cli report: 阿巴嘎旗 PDF pages, maps and figures", "[cli][report]") {
  if (!have("pdftotext") || !have("pdftoppm")) {
    KEPUMAP_SKIP_INSTALLED("poppler-utils missing: report test skipped");
  }
  const std::string project = shell_quote((test::source_dir() / "data/abag/project.toml").string());
  const auto dir = fresh("abag"), cov = fresh("abag-cov");
  const auto r = run_kepumap("report " + project + " -o " + shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("report.pdf") != std::string::npos);
  for (const char* f : {"report.pdf", "map_coverage.png", "map_coverage.svg", "map_travel_time.png",
                        "map_travel_time.svg", "coverage.gpkg", "coverage.xlsx"})
    CHECK(std::filesystem::exists(dir / f));

  // Text: names, legend and the figures the coverage verb computes.
  REQUIRE(std::system(("pdftotext -layout " + shell_quote((dir / "report.pdf").string()) + " " +
                       shell_quote((dir / "report.txt").string()))
                          .c_str()) == 0);
  const std::string text = slurp(dir / "report.txt");
  for (const char* s : {"阿巴嘎旗科普资源覆盖规划", "别力古台镇", "那仁宝拉格苏木", "图例", "38589",
                        "规划目标核查", "出行时间基尼系数"})
    CHECK(text.find(s) != std::string::npos);
  REQUIRE(run_kepumap("coverage " + project + " -o " + shell_quote(cov.string())).exit_code == 0);
  std::ifstream banner(cov / "coverage_banner.csv");
  std::string header, row;
  std::getline(banner, header);
  std::getline(banner, row);
  // Column 6 of the banner row is the museum share (0..1); the report prints it as a percentage.
  std::vector<std::string> cells;
  std::stringstream ss(row);
  for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
  REQUIRE(cells.size() > 6);
  char museum[32];
  std::snprintf(museum, sizeof museum, "%.1f %%", 100.0 * std::stod(cells[5]));
  CHECK(text.find(std::string("科技馆：覆盖 ") + museum) != std::string::npos);

  // Pages as images: at least 5 pages; the map on page 1 and page 2 is not blank.
  REQUIRE(std::system(("pdftoppm -r 40 -png " + shell_quote((dir / "report.pdf").string()) + " " +
                       shell_quote((dir / "page").string()))
                          .c_str()) == 0);
  int pages = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().rfind("page-", 0) == 0) ++pages;
  CHECK(pages >= 5);
  double inked = 0;
  std::size_t colours = 0;
  png_stats(dir / "page-1.png", 0.1, 0.35, 0.9, 0.9, inked, colours);
  CHECK(inked > 0.5);
  CHECK(colours > 20);
  png_stats(dir / "page-2.png", 0.1, 0.1, 0.9, 0.9, inked, colours);
  CHECK(inked > 0.5);
  CHECK(colours > 20);
}

TEST_CASE("cli report: a scenario adds a before/after page - English switch", "[cli][report]") {
  if (!have("pdftotext")) KEPUMAP_SKIP_INSTALLED("poppler-utils missing: report test skipped");
  const std::string project = shell_quote((test::source_dir() / "data/abag/project.toml").string());
  const auto dir = fresh("winter");
  const auto r =
      run_kepumap("report " + project + " --scenario winter --lang en -o " + shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::system(("pdftotext " + shell_quote((dir / "report.pdf").string()) + " " +
                       shell_quote((dir / "r.txt").string()))
                          .c_str()) == 0);
  const std::string text = slurp(dir / "r.txt");
  CHECK(text.find("Before and after") != std::string::npos);
  CHECK(text.find("Legend") != std::string::npos);
  CHECK(text.find("winter") != std::string::npos);
  const auto bad = run_kepumap("report " + project + " -o " + shell_quote(dir.string()) + " --paper letter");
  CHECK(bad.exit_code == 2);
}
