#include <catch2/catch.hpp>

#include <cstdio>
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

TEST_CASE("XLSX sheet names stay whole, only names over 31 characters are cut (at a character)",
          "[report][tables]") {
  for (const char* n :
       {"行程", "日程", "未满足", "合计", "现有线路", "嘎查村", "苏木镇", "旗县", "均衡性", "规划目标"})
    CHECK(report::xlsx_sheet_name(n) == n);
  // 40 Chinese characters: cut to the first 31, each kept whole (3 bytes each).
  std::string long_name;
  for (int i = 0; i < 40; ++i) long_name += "嘎";
  const std::string cut = report::xlsx_sheet_name(long_name);
  CHECK(cut.size() == 31 * 3);
  CHECK(cut == long_name.substr(0, 31 * 3));
  CHECK(report::xlsx_sheet_name("a/b:c") == "a_b_c");
}

TEST_CASE("CSV codes Excel would turn into numbers are written as text", "[report][tables]") {
  CHECK(report::csv_code_field("152522000000") == "\"=\"\"152522000000\"\"\"");
  CHECK(report::csv_code_field("0479") == "\"=\"\"0479\"\"\"");
  CHECK(report::csv_code_field("1525") == "1525");
  CHECK(report::csv_code_field("") == "");
  CHECK(report::csv_code_field("A1,2") == "\"A1,2\"");
}

TEST_CASE("XLSX read back: Chinese sheet names whole, percent, integer, date, time formats, print setup",
          "[report][tables]") {
  if (std::system("command -v unzip >/dev/null 2>&1") != 0) return;
  report::Sheet a{"行程", {"日期", "开始", "覆盖率", "人口", "代码"}, {}};
  a.rows.push_back({report::Cell::date("2025-04-01"), report::Cell::time("08:30"), report::Cell::share(0.456),
                    report::Cell::count(1234), report::Cell::code("152522000000")});
  report::Sheet b{"日程", {"x"}, {{1.5}}};
  const auto p = std::filesystem::temp_directory_path() / "kepumap-readback.xlsx";
  report::write_xlsx(p, {a, b});
  auto unzip = [&](const char* member) {
    std::string out;
    FILE* f = ::popen(("unzip -p '" + p.string() + "' " + member).c_str(), "r");
    char buf[4096];
    std::size_t n;
    while (f && (n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    if (f) ::pclose(f);
    return out;
  };
  const std::string wbk = unzip("xl/workbook.xml");
  CHECK(wbk.find("name=\"行程\"") != std::string::npos);
  CHECK(wbk.find("name=\"日程\"") != std::string::npos);
  CHECK(wbk.find("_xlnm.Print_Titles") != std::string::npos);  // header repeated on each page
  CHECK(wbk.find("_xlnm._FilterDatabase") != std::string::npos);
  const std::string styles = unzip("xl/styles.xml");
  CHECK(styles.find("formatCode=\"0.0%\"") != std::string::npos);
  CHECK(styles.find("formatCode=\"#,##0\"") != std::string::npos);
  CHECK(styles.find("formatCode=\"yyyy-mm-dd\"") != std::string::npos);
  CHECK(styles.find("formatCode=\"[h]:mm\"") != std::string::npos);
  const std::string s1 = unzip("xl/worksheets/sheet1.xml");
  CHECK(s1.find("orientation=\"landscape\"") != std::string::npos);
  CHECK(s1.find("fitToWidth=\"1\"") == std::string::npos);   // 1 is the default and not written...
  CHECK(s1.find("fitToHeight=\"0\"") != std::string::npos);  // ...0 pages tall = as many as needed
  CHECK(s1.find("<autoFilter ref=\"A1:E2\"") != std::string::npos);
  CHECK(s1.find("<pane ") != std::string::npos);
  // The date is a real date (serial 45748 = 2025-04-01), the time a fraction of a day (8:30).
  CHECK(s1.find("<v>45748</v>") != std::string::npos);
  CHECK(s1.find("<v>0.354166") != std::string::npos);
  CHECK(s1.find("<v>0.456</v>") != std::string::npos);
  // The code is a shared string, not a number.
  CHECK(s1.find("<v>152522000000</v>") == std::string::npos);
  CHECK(unzip("xl/sharedStrings.xml").find("152522000000") != std::string::npos);
  // Widths from the content, not one fixed width.
  CHECK(s1.find("min=\"1\" max=\"1\" width=\"12.") != std::string::npos);  // a date: 10 + margin
  CHECK(s1.find("min=\"5\" max=\"5\" width=\"14.") != std::string::npos);  // 12 digits + margin
  std::filesystem::remove(p);
}
