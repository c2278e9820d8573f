// Cancelled exports: report.pdf and the coverage files are not half-written when the export's
// cancel flag is set (no file, no temporary left; an existing coverage.gpkg is kept as it was).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "analysis/evaluation.hpp"
#include "io/project.hpp"
#include "report/outputs.hpp"
#include "report/report.hpp"

using namespace kepumap;
namespace fs = std::filesystem;

namespace {

struct Abag {
  core::Document doc;
  analysis::ProjectEvaluation pe;
};

const Abag& abag() {
  static const std::unique_ptr<Abag> a = [] {
    auto x = std::make_unique<Abag>();
    x->doc = io::load_project(fs::path(KEPUMAP_SOURCE_DIR) / "data/abag/project.toml");
    core::Diagnostics diag;
    x->pe = analysis::evaluate_project(x->doc, "", diag);
    REQUIRE_FALSE(diag.has_errors());
    return x;
  }();
  return *a;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("kepumap-test-cancel-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::vector<std::string> files_in(const fs::path& d) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
  return out;
}

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("cancel: a report cancelled before it starts throws Cancelled and writes no file",
          "[report][cancel]") {
  const Abag& a = abag();
  const fs::path dir = fresh_dir("report");
  const std::atomic<bool> cancel{true};
  report::ReportInputs in;
  in.doc = &a.doc;
  in.pe = &a.pe;
  in.date = "2026-01-01";
  in.cancel = &cancel;
  CHECK_THROWS_AS(report::write_report(in, dir), report::Cancelled);
  CHECK(files_in(dir).empty());  // no report.pdf, no temporary beside it
  fs::remove_all(dir);
}

TEST_CASE("cancel: cancelled coverage outputs leave the folder as it was", "[report][cancel]") {
  const Abag& a = abag();
  const fs::path dir = fresh_dir("coverage");
  const std::atomic<bool> cancel{true};
  SECTION("an empty folder stays empty") {
    CHECK(report::write_coverage_outputs(dir, a.doc, a.pe, false, core::Style{}, {}, &cancel) ==
          report::CANCELLED_LINE);
    CHECK(files_in(dir).empty());
  }
  SECTION("an earlier coverage.gpkg is kept byte for byte and no temporary is left") {
    REQUIRE(report::write_coverage_outputs(dir, a.doc, a.pe, false, core::Style{}).empty());
    const auto before = files_in(dir);
    const std::string gpkg = bytes_of(dir / "coverage.gpkg");
    CHECK(report::write_coverage_outputs(dir, a.doc, a.pe, true, core::Style{}, {}, &cancel) ==
          report::CANCELLED_LINE);
    auto after = files_in(dir);
    CHECK(std::is_permutation(before.begin(), before.end(), after.begin(), after.end()));
    CHECK(bytes_of(dir / "coverage.gpkg") == gpkg);
  }
  fs::remove_all(dir);
}
