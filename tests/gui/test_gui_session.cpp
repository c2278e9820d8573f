// The app's one session under Xvfb: recompute after adding a layer keeps the what-if edits and
// the accepted sites, accepted sites count toward the targets and reach the report (named,
// drawn, listed), and bad input (a scenario file that does not parse, a scenario whose facility
// is gone) is one line in the app's log with the session unchanged.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gui_harness.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap;

const char* kepumap::test::gui::gui_scratch_tag() { return "session"; }

namespace {

using namespace kepumap::test::gui;

/// The number after "\"key\": " in the dumped state's session object (NaN if absent).
double session_number(const std::string& name, const std::string& key) {
  const std::string j = slurp(work() / (name + ".json"));
  const auto s = j.find("\"session\": {");
  if (s == std::string::npos) return std::nan("");
  const auto p = j.find("\"" + key + "\": ", s);
  return p == std::string::npos ? std::nan("") : std::strtod(j.c_str() + p + key.size() + 4, nullptr);
}

std::string dumped(const std::string& name) { return slurp(work() / (name + ".json")); }

}  // namespace

TEST_CASE("app session: recompute after adding a layer keeps edits and accepted sites, the report shows them",
          "[gui][session]") {
  if (!can_run()) return;
  const fs::path out = work() / "export";
  // a copy of the project's GeoPackage: the same file twice would be refused
  const fs::path copy = work() / "abag_copy.gpkg";
  fs::copy_file(test::source_dir() / "data/abag/abag.gpkg", copy, fs::copy_options::overwrite_existing);
  const std::string script =
      "analysis open coverage\nanalysis wait\n"
      "siting open\nsiting run mclp 2\nsiting wait\nsiting accept\n"
      "analysis drag education_base 0 5000 0\n"
      "load_layer " +
      copy.string() +
      " other village_centres\n"
      "analysis recompute\n"
      "analysis rename education_base 5 新址甲 region\n"
      "analysis export " +
      out.string() + " zh\n";
  REQUIRE(run_app("kept", script) == 0);
  // 5 bases in the data + 2 accepted; the move, the accepted sites, the layer and the rename
  CHECK(session_number("kept", "edits") == 4);
  CHECK(session_number("kept", "facility_edits") == 3);
  const std::string j = dumped("kept");
  CHECK(j.find("\"stale\": false") != std::string::npos);
  CHECK(j.find("\"education_base\": {\"covered\": ") != std::string::npos);
  CHECK(j.find("\"facilities\": 7}") != std::string::npos);
  // the renamed region-level site counts toward region_education_bases (1 in the data)
  CHECK(j.find("\"region_education_bases\": {\"value\": 2") != std::string::npos);
  const std::string pdf = capture("pdftotext '" + (out / "report.pdf").string() + "' - 2>/dev/null");
  CHECK(pdf.find("情景：现状 + 假设编辑 3 项") != std::string::npos);
  CHECK(pdf.find("采纳选址结果（MCLP, p = 2）") != std::string::npos);
  CHECK(pdf.find("新址甲") != std::string::npos);  // listed and drawn (labelled) on the maps
}

TEST_CASE("app session: a scenario file that does not parse, or whose facility is gone, changes nothing",
          "[gui][session]") {
  if (!can_run()) return;
  const fs::path bad = work() / "bad.scenarios.toml";
  std::ofstream(bad) << "[[whatif]]\nname = \"x\"\n[[whatif.edit]]\nkind = \"move\nfacility = 3\n";
  const fs::path gone = work() / "gone.scenarios.toml";
  std::ofstream(gone)
      << "[[whatif]]\nname = \"gone\"\n[[whatif.edit]]\nkind = \"delete\"\nfacility = \"education_base\"\n"
         "index = 99\n";
  const std::string base = "analysis open coverage\nanalysis wait\nanalysis drag education_base 0 5000 0\n";
  REQUIRE(run_app("parse", base + "analysis load x " + bad.string() + "\n") != 0);
  REQUIRE(run_app("gone", base + "analysis load gone " + gone.string() + "\n") != 0);
  // the failing command stops the script; the state is dumped as it was
  const std::string err1 = slurp(work() / "parse.err"), err2 = slurp(work() / "gone.err");
  CHECK(err1.find(bad.string() + ":") != std::string::npos);
  CHECK(err2.find("edit 1: no facility 99 of education_base") != std::string::npos);
}
