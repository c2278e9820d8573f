#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/tables.hpp"
#include "skip.hpp"

using namespace kepumap;

TEST_CASE("CSV tables: BOM, quoting, number formatting", "[report][tables]") {
  report::Sheet s;
  s.name = "苏木镇";
  s.headers = {"名称", "人口", "覆盖率"};
  s.rows.push_back({"别力古台镇", 26439.0, {0.8512, 3}});
  s.rows.push_back({"含,逗号\"引号", 12.0, {std::nan(""), 2}});
  const auto p = std::filesystem::temp_directory_path() / "kepumap_test_table.csv";
  report::write_csv(p, s);
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  CHECK(text.rfind("\xEF\xBB\xBF名称,人口,覆盖率\r\n", 0) == 0);
  CHECK(text.find("别力古台镇,26439,0.851\r\n") != std::string::npos);
  CHECK(text.find("\"含,逗号\"\"引号\",12,\r\n") != std::string::npos);
}

TEST_CASE("XLSX workbooks are valid zip files holding every sheet", "[report][tables]") {
  report::Sheet a{"村级 villages", {"名称", "人口"}, {{"宝格都乌拉苏木", 1234.0}}};
  report::Sheet b{"a sheet name that is far longer than thirty-one characters", {"x"}, {{1.5}}};
  const auto p = std::filesystem::temp_directory_path() / "kepumap_test_book.xlsx";
  std::filesystem::remove(p);
  report::write_xlsx(p, {a, b});
  REQUIRE(std::filesystem::exists(p));
  std::ifstream in(p, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  CHECK(magic[0] == 'P');
  CHECK(magic[1] == 'K');
  // Both sheets and the shared strings are inside (unzip -l lists them when unzip exists).
  if (std::system("command -v unzip >/dev/null 2>&1") == 0) {
    const std::string cmd = "unzip -p '" + p.string() + "' xl/sharedStrings.xml | grep -q 宝格都乌拉苏木";
    CHECK(std::system(cmd.c_str()) == 0);
    const std::string cmd2 = "unzip -l '" + p.string() + "' | grep -q xl/worksheets/sheet2.xml";
    CHECK(std::system(cmd2.c_str()) == 0);
  } else {
    test::record_skip_installed("unzip not installed (Debian package unzip): XLSX contents not checked");
  }
  CHECK_THROWS(report::write_xlsx("/nonexistent-dir/x.xlsx", {a}));
}
