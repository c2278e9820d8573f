// kepumap map: one map of a view through the report's print renderer — the page size, the
// heading, the notes (示意图, sources, date), the extent and the layer choice, and bad input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_run.hpp"

using namespace kepumap;
using test::run_kepumap;
using test::shell_quote;

namespace {

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
