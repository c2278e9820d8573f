// The report's maps as print needs them, on every demo project under data/: the legend clear
// of the study area's bounding box, "示意图", the border note, the data sources and the 审图号
// printed (found in the PDF's text with pdftotext, and in the renderer's layout), in Chinese and
// in English.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "analysis/evaluation.hpp"
#include "cli_run.hpp"
#include "core/style.hpp"
#include "io/project.hpp"
#include "report/report.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

using namespace kepumap;

namespace {

bool disjoint(const core::BBox& a, const core::BBox& b) {
  return a.max_x <= b.min_x || b.max_x <= a.min_x || a.max_y <= b.min_y || b.max_y <= a.min_y;
}

bool inside(const core::BBox& in, const core::BBox& out) {
  return in.min_x >= out.min_x - 1e-6 && in.max_x <= out.max_x + 1e-6 && in.min_y >= out.min_y - 1e-6 &&
         in.max_y <= out.max_y + 1e-6;
}

// pdftotext's text of a PDF with every space and line break removed (CJK runs may be split).
std::string pdf_text(const std::filesystem::path& pdf) {
  const auto txt = pdf.parent_path() / "report.txt";
  if (std::system(
          ("pdftotext " + test::shell_quote(pdf.string()) + " " + test::shell_quote(txt.string())).c_str()) !=
      0)
    return {};
  std::string out;
  for (char c : test::slurp(txt))
    if (c != ' ' && c != '\n' && c != '\r' && c != '\f') out += c;
  return out;
}

}  // namespace

TEST_CASE("report maps on every demo project: legend off the study area, notes printed", "[report][print]") {
  const bool pdftotext = std::system("command -v pdftotext >/dev/null 2>&1") == 0;
  if (!pdftotext) {
    KEPUMAP_SKIP_INSTALLED("poppler-utils missing: report print test skipped");
    return;
  }
  const core::Style style = core::load_style((test::source_dir() / "styles/default.json").string());
  std::size_t projects = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::source_dir() / "data")) {
    const auto toml = e.path() / "project.toml";
    if (!std::filesystem::exists(toml)) continue;
    ++projects;
    const std::string name = e.path().filename().string();
    INFO(name);
    core::Document doc = io::load_project(toml);
    REQUIRE_FALSE(doc.diagnostics.has_errors());
    CHECK_FALSE(doc.config.report.sources.empty());
    doc.config.report.review_number = "蒙S(2025)001号";
    core::Diagnostics diag;
    const auto pe = analysis::evaluate_project(doc, "", diag);
    REQUIRE_FALSE(diag.has_errors());
    for (bool english : {false, true}) {
      if (english && name != "abag") continue;
      report::ReportInputs in;
      in.doc = &doc;
      in.pe = &pe;
      in.style = style;
      in.english = english;
      in.date = "2025-01-01";
      const auto dir = std::filesystem::temp_directory_path() / ("kepumap-print-" + name);
      std::filesystem::remove_all(dir);
      const report::ReportFiles files = report::write_report(in, dir);
      REQUIRE(files.map_layouts.size() >= 2);
      for (const report::MapLayout& l : files.map_layouts) {
        CHECK(disjoint(l.legend, l.study_area));
        CHECK(inside(l.legend, l.frame));
        CHECK(inside(l.study_area, l.frame));
        REQUIRE(l.notes.size() >= 3);
        for (const auto& n : l.notes) CHECK(n.y > l.study_area.max_y);  // the strip under the map
      }
      const std::string text = pdf_text(dir / "report.pdf");
      if (!english) {
        CHECK(text.find("示意图") != std::string::npos);
        CHECK(text.find("边界仅为示意，不作为权属争议依据") != std::string::npos);
        CHECK(text.find("数据来源") != std::string::npos);
        CHECK(text.find("GSHHG/WDBII") != std::string::npos);
        CHECK(text.find("审图号：蒙S(2025)001号") != std::string::npos);
      } else {
        CHECK(text.find("Schematicmap") != std::string::npos);
        CHECK(text.find("Datasources:Countyoutlines") != std::string::npos);
        CHECK(text.find("Mapreviewnumber:蒙S(2025)001号") != std::string::npos);
      }
      std::filesystem::remove_all(dir);
    }
  }
  CHECK(projects >= 4);  // abag, dalad, ningxia, nmg
}
