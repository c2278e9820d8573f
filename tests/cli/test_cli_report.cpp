// kepumap report on 阿巴嘎旗: the PDF's pages rendered with pdftoppm and its text extracted with
// pdftotext; the names and the figures `kepumap coverage` and `kepumap access` computed must be in it.
#include <catch2/catch.hpp>

#include <cairo.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

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

namespace {

// pdftotext's text of a PDF, one string per page (pages end in a form feed).
std::vector<std::string> pdf_pages(const std::filesystem::path& pdf) {
  const auto txt = pdf.parent_path() / "pages.txt";
  std::vector<std::string> pages;
  if (std::system(("pdftotext " + shell_quote(pdf.string()) + " " + shell_quote(txt.string())).c_str()) != 0)
    return pages;
  std::stringstream ss(slurp(txt));
  for (std::string page; std::getline(ss, page, '\f');) pages.push_back(page);
  if (!pages.empty() && pages.back().find_first_not_of(" \n") == std::string::npos) pages.pop_back();
  return pages;
}

// The Gini printed after "Gini " in `text`, as printed ("" when there is none).
std::string printed_gini(const std::string& text) {
  const auto p = text.find("Gini ");
  if (p == std::string::npos) return {};
  const auto e = text.find_first_not_of("0123456789.", p + 5);
  return text.substr(p + 5, e == std::string::npos ? std::string::npos : e - (p + 5));
}

const char* const k_access_title = "Accessibility and balance: Lorenz curve and index by township";

}  // namespace

TEST_CASE("cli report: the accessibility page agrees with kepumap access", "[cli][report][access]") {
  if (!have("pdftotext")) KEPUMAP_SKIP_INSTALLED("poppler-utils missing: report test skipped");
  const std::string project = shell_quote((test::source_dir() / "data/abag/project.toml").string());
  const auto dir = fresh("access"), acc = fresh("access-e2sfca");
  const auto r = run_kepumap("report " + project + " --lang en -o " + shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto pages = pdf_pages(dir / "report.pdf");
  REQUIRE(pages.size() >= 6);
  // Its own page, right after the targets (the report has no scenario, so it is the last page).
  std::size_t at = pages.size();
  for (std::size_t i = 0; i < pages.size(); ++i)
    if (pages[i].find(k_access_title) != std::string::npos) {
      CHECK(at == pages.size());  // only one such page
      at = i;
    }
  REQUIRE(at == pages.size() - 1);
  CHECK(pages[at - 1].find("The plan's targets") != std::string::npos);
  CHECK(r.out.find("(" + std::to_string(pages.size()) + " pages)") != std::string::npos);
  const std::string& page = pages[at];
  CHECK(page.find("museum set's E2SFCA index") != std::string::npos);
  CHECK(page.find("Gaussian decay") != std::string::npos);
  CHECK(page.find("Lorenz curve") != std::string::npos);
  CHECK(page.find("region mean = 1") != std::string::npos);

  // The same index through `kepumap access`: its Gini to the printed precision.
  const auto a = run_kepumap("access " + project + " --method e2sfca --facility museum --lang en -o " +
                             shell_quote(acc.string()));
  INFO(a.err);
  REQUIRE(a.exit_code == 0);
  std::ifstream equity(acc / "access_equity.csv");
  std::string csv_gini;
  for (std::string line; std::getline(equity, line);)
    if (line.find("Gini (finest units),") != std::string::npos) {
      const auto p = line.find(',') + 1;
      csv_gini = line.substr(p, line.find(',', p) - p);
    }
  REQUIRE_FALSE(csv_gini.empty());
  CHECK(printed_gini(page) == csv_gini);
  // The Lorenz figure on the page prints it too ("Gini 0.xxx" under its title).
  const auto fig = page.find("Lorenz curve");
  REQUIRE(fig != std::string::npos);
  CHECK(printed_gini(page.substr(fig)) == csv_gini);

  for (const char* f : {"report_lorenz.png", "report_lorenz.svg", "report_index_by_township.png",
                        "report_index_by_township.svg"}) {
    INFO(f);
    REQUIRE(std::filesystem::exists(dir / f));
    CHECK(std::filesystem::file_size(dir / f) > 0);
    CHECK(r.out.find(f) != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(dir / "report_lorenz.pdf"));
  double inked = 0;
  std::size_t colours = 0;
  png_stats(dir / "report_index_by_township.png", 0.3, 0.1, 0.9, 0.8, inked, colours);
  CHECK(inked > 0.05);
  CHECK(colours > 3);
}

TEST_CASE("cli report: a project without people gets the accessibility page with a note",
          "[cli][report][access]") {
  if (!have("pdftotext")) KEPUMAP_SKIP_INSTALLED("poppler-utils missing: report test skipped");
  const auto dir = fresh("nobody");
  std::filesystem::create_directories(dir);
  // Abag's villages without a population field, one museum.
  const auto gpkg = (test::source_dir() / "data/abag/abag.gpkg").string();
  std::ofstream(dir / "museums.csv") << "name,lon,lat\n馆,114.97,44.02\n";
  std::ofstream(dir / "project.toml")
      << "[project]\nname = \"nobody\"\n\n"
         "[[layer]]\nname = \"villages\"\nrole = \"village\"\nsource = \""
      << gpkg
      << "\"\nlayer = \"villages\"\nfields = { name = \"name\" }\n\n"
         "[[layer]]\nname = \"museums\"\nrole = \"museum\"\nsource = \"museums.csv\"\n"
         "fields = { name = \"name\" }\n\n"
         "[[standard]]\nfacility = \"museum\"\nminutes = 60\n";
  // A figure from an earlier run is not left behind.
  std::filesystem::create_directories(dir / "out");
  std::ofstream(dir / "out/report_lorenz.png") << "old";
  const auto r = run_kepumap("report " + shell_quote((dir / "project.toml").string()) + " --lang en -o " +
                             shell_quote((dir / "out").string()));
  INFO(r.out);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto pages = pdf_pages(dir / "out/report.pdf");
  REQUIRE_FALSE(pages.empty());
  const std::string& last = pages.back();
  CHECK(last.find(k_access_title) != std::string::npos);
  CHECK(last.find("No accessibility index: zero demand") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out/report_lorenz.png"));
  CHECK_FALSE(std::filesystem::exists(dir / "out/report_index_by_township.svg"));
}
