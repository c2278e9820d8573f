// CSV point tables (io/csv_points.hpp).
#include <catch2/catch.hpp>

#include <iconv.h>

#include <string>
#include <vector>

#include "io/csv_points.hpp"
#include "io/text.hpp"
#include "test_paths.hpp"

using namespace kepumap;
using namespace kepumap::io;
using Catch::Matchers::Contains;

namespace {

/// UTF-8 text re-encoded with iconv (the test's own conversion, independent of to_utf8).
std::string encode(const std::string& utf8, const char* encoding) {
  iconv_t cd = iconv_open(encoding, "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* o = out.data();
  std::size_t out_left = out.size();
  const std::size_t r = iconv(cd, &in, &in_left, &o, &out_left);
  iconv_close(cd);
  REQUIRE(r != static_cast<std::size_t>(-1));
  out.resize(out.size() - out_left);
  return out;
}

CsvPoints parse(const std::string& text, CsvOptions opt = {}) { return parse_csv_points(text, opt, "t.csv"); }

std::string all_problems(const CsvPoints& c) {
  std::string s;
  for (const auto& p : c.diagnostics.problems) s += p.to_line() + "\n";
  return s;
}

int warnings(const CsvPoints& c) {
  int n = 0;
  for (const auto& p : c.diagnostics.problems) n += p.severity == core::Severity::Warning;
  return n;
}

int errors(const CsvPoints& c) {
  int n = 0;
  for (const auto& p : c.diagnostics.problems) n += p.severity == core::Severity::Error;
  return n;
}

/// The invariants every result keeps, whatever the input.
void check_consistent(const CsvPoints& c) {
  REQUIRE(c.points.kind == core::GeomKind::Point);
  REQUIRE(c.points.feature_count() == c.table.row_count());
  REQUIRE(c.points.feature_count() == c.source_lines.size());
  for (const auto& col : c.table.columns) REQUIRE(col.size() == c.table.row_count());
  for (const auto& p : c.points.coords) {
    REQUIRE(std::abs(p.x) <= 180.0);
    REQUIRE(std::abs(p.y) <= 90.0);
  }
}

const core::Column& column(const CsvPoints& c, const std::string& name) {
  const int j = c.table.find(name);
  INFO("column " << name);
  REQUIRE(j >= 0);
  return c.table.columns[static_cast<std::size_t>(j)];
}

const char* const STATIONS =
    "名称,经度,纬度,人口,面积,代码\n"
    "阿巴嘎旗科技馆,114.958,44.022,43500,27479.5,152522\n"
    "查干淖尔镇,114°57′30″,43°40′12″,5200,3100,0152\n"
    "别力古台镇,E114.5,N44.1,,,152522101\n";

}  // namespace

TEST_CASE("a UTF-8 point table: columns found, coordinates read, attributes typed", "[io][csv]") {
  const CsvPoints c = parse(STATIONS);
  INFO(all_problems(c));
  check_consistent(c);
  CHECK(c.diagnostics.problems.empty());
  CHECK(c.encoding == "UTF-8");
  CHECK(c.delimiter == ",");
  CHECK(c.lon_column == "经度");
  CHECK(c.lat_column == "纬度");
  CHECK_FALSE(c.swapped);
  CHECK(c.rows_read == 3);
  REQUIRE(c.points.feature_count() == 3);
  CHECK(c.points.first_point(0).x == Approx(114.958).margin(1e-12));
  CHECK(c.points.first_point(0).y == Approx(44.022).margin(1e-12));
  CHECK(c.points.first_point(1).x == Approx(114.0 + 57.0 / 60 + 30.0 / 3600).margin(1e-12));
  CHECK(c.points.first_point(1).y == Approx(43.0 + 40.0 / 60 + 12.0 / 3600).margin(1e-12));
  CHECK(c.points.first_point(2).x == Approx(114.5).margin(1e-12));
  CHECK(c.source_lines == std::vector<int>{2, 3, 4});

  // The coordinate columns are geometry, the others attributes.
  REQUIRE(c.table.columns.size() == 4);
  CHECK(c.table.find("经度") < 0);
  const auto& name = column(c, "名称");
  CHECK(name.type == core::FieldType::Text);
  CHECK(name.text(1) == "查干淖尔镇");
  const auto& pop = column(c, "人口");
  CHECK(pop.type == core::FieldType::Integer);
  CHECK(pop.ints[0] == 43500);
  CHECK(pop.is_null(2));
  const auto& area = column(c, "面积");
  CHECK(area.type == core::FieldType::Real);
  CHECK(area.reals[0] == 27479.5);
  CHECK(area.is_null(2));
  // "0152" keeps its leading zero, so the code column stays text.
  const auto& code = column(c, "代码");
  CHECK(code.type == core::FieldType::Text);
  CHECK(code.text(1) == "0152");
}

TEST_CASE("GB18030 files are detected and decoded", "[io][csv][encoding]") {
  const std::string gb = encode(STATIONS, "GB18030");
  REQUIRE_FALSE(is_valid_utf8(gb));
  const CsvPoints c = parse(gb);
  INFO(all_problems(c));
  check_consistent(c);
  CHECK(c.diagnostics.problems.empty());
  CHECK(c.encoding == "GB18030");
  CHECK(c.lon_column == "经度");
  REQUIRE(c.points.feature_count() == 3);
  CHECK(column(c, "名称").text(0) == "阿巴嘎旗科技馆");
  CHECK(c.points.first_point(1).x == Approx(114.0 + 57.0 / 60 + 30.0 / 3600).margin(1e-12));

  // GBK (what Excel on a Chinese Windows writes) reads the same way.
  const CsvPoints k = parse(encode(STATIONS, "GBK"));
  CHECK(k.encoding == "GB18030");
  CHECK(column(k, "名称").text(2) == "别力古台镇");

  // A forced encoding wins over detection.
  CsvOptions opt;
  opt.encoding = "gbk";
  CHECK(parse(gb, opt).points.feature_count() == 3);
  opt.encoding = "no-such-encoding";
  const CsvPoints bad = parse(gb, opt);
  CHECK(errors(bad) == 1);
  CHECK_THAT(all_problems(bad), Contains("unknown encoding"));
}

TEST_CASE("UTF-8 with a BOM and CRLF line ends, and UTF-16", "[io][csv][encoding]") {
  const CsvPoints c = parse(
      "\xEF\xBB\xBF"
      "lon,lat,name\r\n111.5,40.8,呼和浩特\r\n");
  INFO(all_problems(c));
  CHECK(c.diagnostics.problems.empty());
  CHECK(c.lon_column == "lon");  // the BOM is not part of the first header
  REQUIRE(c.points.feature_count() == 1);
  CHECK(column(c, "name").text(0) == "呼和浩特");

  const CsvPoints u = parse("\xFF\xFE" + encode("lon,lat,name\n111.5,40.8,呼和浩特\n", "UTF-16LE"));
  INFO(all_problems(u));
  CHECK(u.encoding == "UTF-16");
  REQUIRE(u.points.feature_count() == 1);
  CHECK(column(u, "name").text(0) == "呼和浩特");
}

TEST_CASE("the delimiter is sniffed: comma, semicolon, tab, full-width comma", "[io][csv]") {
  struct Case {
    std::string text;
    std::string delimiter;
  };
  const std::vector<Case> cases = {
      {"name;lon;lat\na, b;114.1;44.2\nc;114.3;44.4\n", ";"},
      {"name\tlon\tlat\na,b;c\t114.1\t44.2\nd\t114.3\t44.4\n", "\t"},
      {"name，经度，纬度\n甲，114.1，44.2\n乙，114.3，44.4\n", "，"},
      {"name,lon,lat\n\"a;b\",114.1,44.2\nd,114.3,44.4\n", ","},
  };
  for (const auto& k : cases) {
    const CsvPoints c = parse(k.text);
    INFO(k.text << all_problems(c));
    CHECK(c.delimiter == k.delimiter);
    CHECK(c.diagnostics.problems.empty());
    REQUIRE(c.points.feature_count() == 2);
    CHECK(c.points.first_point(1).x == Approx(114.3).margin(1e-12));
    CHECK(c.points.first_point(1).y == Approx(44.4).margin(1e-12));
  }
  // Forced.
  CsvOptions opt;
  opt.delimiter = ";";
  CHECK(parse("lon;lat\n1;2\n", opt).points.feature_count() == 1);
}

TEST_CASE("quoted fields hold delimiters, quotes and newlines", "[io][csv]") {
  const std::string text =
      "name,lon,lat,note\n"
      "\"Abag, museum\",114.9,44.0,\"says \"\"hi\"\"\"\n"
      "\"two\nline name\",114.8,44.1,\"a\r\nb\"\n"
      "after,999,44.2,x\n";
  const CsvPoints c = parse(text);
  check_consistent(c);
  REQUIRE(c.points.feature_count() == 2);
  CHECK(column(c, "name").text(0) == "Abag, museum");
  CHECK(column(c, "note").text(0) == "says \"hi\"");
  CHECK(column(c, "name").text(1) == "two\nline name");
  CHECK(column(c, "note").text(1) == "a\r\nb");
  CHECK(c.source_lines == std::vector<int>{2, 3});
  // The bad row after the two multi-line fields starts on line 6.
  REQUIRE(errors(c) == 1);
  CHECK(c.diagnostics.problems[0].line == 6);
  CHECK(c.diagnostics.problems[0].field == "lon");

  // A quoted coordinate is read too; an unterminated quote is a warning, not a crash.
  const CsvPoints q = parse("lon,lat\n\"114.5\",\"44.5\"\n\"114.6,44.6\n");
  check_consistent(q);
  CHECK(q.points.feature_count() == 1);
  CHECK_THAT(all_problems(q), Contains("unterminated quote"));
}

TEST_CASE("coordinate columns are found by many header names", "[io][csv]") {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"经度", "纬度"},
      {"东经", "北纬"},
      {"lon", "lat"},
      {"LNG", "LAT"},
      {"long", "lat"},
      {"Longitude", "Latitude"},
      {"x", "y"},
      {"POINT_X", "POINT_Y"},
      {" Lon ", " Lat "},
      {"经度(°)", "纬度(°)"},
      {"经度（度）", "纬度（度）"},
      {"GPS经度", "GPS纬度"},
  };
  for (const auto& [lon, lat] : headers) {
    const CsvPoints c = parse("id," + lat + "," + lon + "\n1,44.5,114.5\n");
    INFO(lon << " / " << lat << "\n" << all_problems(c));
    CHECK(c.diagnostics.problems.empty());
    REQUIRE(c.points.feature_count() == 1);
    CHECK(c.points.first_point(0).x == 114.5);
    CHECK(c.points.first_point(0).y == 44.5);
    CHECK(is_longitude_header(lon));
    CHECK(is_latitude_header(lat));
  }
  CHECK_FALSE(is_longitude_header("name"));
  CHECK_FALSE(is_latitude_header("lon"));
  // A specific name is preferred over x/y.
  const CsvPoints c = parse("x,y,经度,纬度\n1,2,114.5,44.5\n");
  CHECK(c.lon_column == "经度");
  CHECK(column(c, "x").ints[0] == 1);
}

TEST_CASE("coordinate columns can be forced by name", "[io][csv]") {
  CsvOptions opt;
  opt.lon_column = "E_COORD";
  opt.lat_column = "n_coord";
  const CsvPoints c = parse("id,N_COORD,E_COORD,x\n1,44.5,114.5,0\n", opt);
  INFO(all_problems(c));
  CHECK(c.diagnostics.problems.empty());
  CHECK(c.lon_column == "E_COORD");
  CHECK(c.lat_column == "N_COORD");
  REQUIRE(c.points.feature_count() == 1);
  CHECK(c.points.first_point(0).x == 114.5);

  opt.lon_column = "nope";
  const CsvPoints bad = parse("id,N_COORD,E_COORD\n1,44.5,114.5\n", opt);
  REQUIRE(errors(bad) == 1);
  CHECK(bad.diagnostics.problems[0].field == "nope");
  CHECK_THAT(all_problems(bad), Contains("'E_COORD'"));
}

TEST_CASE("swapped longitude and latitude are detected and fixed with a warning", "[io][csv][swap]") {
  SECTION("latitudes in the longitude column, longitudes beyond 90 in the latitude column") {
    const CsvPoints c = parse("name,lon,lat\na,44.02,114.96\nb,43.67,114.12\n");
    INFO(all_problems(c));
    check_consistent(c);
    CHECK(c.swapped);
    CHECK(c.lon_column == "lat");
    CHECK(c.lat_column == "lon");
    CHECK(warnings(c) == 1);
    CHECK(errors(c) == 0);
    CHECK_THAT(all_problems(c), Contains("swapped"));
    REQUIRE(c.points.feature_count() == 2);
    CHECK(c.points.first_point(0).x == 114.96);
    CHECK(c.points.first_point(0).y == 44.02);
  }
  SECTION("both below 90: plausibility against China's extent (Xinjiang)") {
    const CsvPoints c = parse("经度,纬度\n39.47,75.99\n43.83,87.62\n");
    INFO(all_problems(c));
    CHECK(c.swapped);
    REQUIRE(c.points.feature_count() == 2);
    CHECK(c.points.first_point(1).x == 87.62);
    CHECK(c.points.first_point(1).y == 43.83);
  }
  SECTION("hemisphere letters") {
    const CsvPoints c = parse("lon,lat\nN44.1,E114.9\n");
    CHECK(c.swapped);
    REQUIRE(c.points.feature_count() == 1);
    CHECK(c.points.first_point(0).x == 114.9);
  }
  SECTION("not swapped when the points are plausible as given") {
    CHECK_FALSE(parse("lon,lat\n114.9,44.0\n").swapped);
    CHECK_FALSE(parse("lon,lat\n10.0,50.0\n-3.7,40.4\n").swapped);  // Europe
    CHECK_FALSE(parse("lon,lat\nE44.0,N14.9\n").swapped);           // hemispheres say so
  }
  SECTION("detected but left alone when fixing is off") {
    CsvOptions opt;
    opt.fix_swapped = false;
    const CsvPoints c = parse("name,lon,lat\na,44.02,114.96\n", opt);
    CHECK_FALSE(c.swapped);
    CHECK_THAT(all_problems(c), Contains("not fixed"));
    CHECK(c.points.feature_count() == 0);  // 114.96 is no latitude
  }
}

TEST_CASE("no coordinate columns: one error naming the headers seen", "[io][csv]") {
  const CsvPoints c = parse("名称,地址,电话\n科技馆,新华大街,0479-1234567\n");
  check_consistent(c);
  REQUIRE(c.diagnostics.problems.size() == 1);
  const auto& p = c.diagnostics.problems[0];
  CHECK(p.severity == core::Severity::Error);
  CHECK(p.file == "t.csv");
  CHECK(p.line == 1);
  CHECK_THAT(p.what, Contains("no longitude and latitude columns"));
  CHECK_THAT(p.what, Contains("'名称', '地址', '电话'"));
  CHECK(c.points.feature_count() == 0);

  const CsvPoints only_lon = parse("name,lon\na,114\n");
  REQUIRE(errors(only_lon) == 1);
  CHECK_THAT(all_problems(only_lon), Contains("no latitude column"));
}

TEST_CASE("rows with bad coordinates are reported one problem each and skipped", "[io][csv]") {
  const std::string text =
      "name,经度,纬度\n"
      "ok1,114.9,44.0\n"
      "far,190.0,44.0\n"
      "north,114.9,91\n"
      "minutes,114°60′00″,44\n"
      "words,somewhere,44\n"
      "both,x,y\n"
      "\n"
      "empty,,\n"
      "short,114.9\n"
      "ok2,１１５．１,４４．２\n";
  const CsvPoints c = parse(text);
  INFO(all_problems(c));
  check_consistent(c);
  REQUIRE(c.points.feature_count() == 2);
  CHECK(c.points.first_point(1).x == Approx(115.1).margin(1e-12));
  CHECK(c.source_lines == std::vector<int>{2, 11});
  CHECK(c.rows_read == 9);
  CHECK(c.rows_skipped == 7);
  REQUIRE(errors(c) == 7);
  const auto& ps = c.diagnostics.problems;
  CHECK(ps[0].line == 3);
  CHECK(ps[0].field == "经度");
  CHECK_THAT(ps[0].what, Contains("180"));
  CHECK(ps[1].line == 4);
  CHECK(ps[1].field == "纬度");
  CHECK_THAT(ps[1].what, Contains("90"));
  CHECK(ps[2].line == 5);
  CHECK_THAT(ps[2].what, Contains("minutes"));
  CHECK(ps[3].line == 6);
  CHECK(ps[4].line == 7);
  CHECK(ps[4].field == "经度, 纬度");
  CHECK(ps[5].line == 9);
  CHECK_THAT(ps[5].what, Contains("missing coordinates"));
  CHECK(ps[6].line == 10);
  CHECK(ps[6].field == "纬度");
  CHECK_THAT(ps[0].to_line(), Contains("t.csv:3: field 经度:"));
  CHECK(column(c, "name").text(1) == "ok2");

  CsvOptions lenient;
  lenient.bad_rows_are_errors = false;
  const CsvPoints w = parse(text, lenient);
  CHECK(errors(w) == 0);
  CHECK(warnings(w) == 7);
  CHECK(w.points.feature_count() == 2);
}

TEST_CASE("every row bad: an error says no row is usable", "[io][csv]") {
  const CsvPoints c = parse("x,y\n38500000,4870000\n38500100,4870100\n");  // Gauss-Krüger metres
  check_consistent(c);
  CHECK(c.points.feature_count() == 0);
  CHECK(errors(c) == 3);
  CHECK_THAT(all_problems(c), Contains("no row has usable coordinates"));
}

TEST_CASE("empty file, blank file and header only are errors", "[io][csv]") {
  for (const std::string text : {"", "\n\n", "   \r\n"}) {
    const CsvPoints c = parse(text);
    check_consistent(c);
    REQUIRE(c.diagnostics.problems.size() == 1);
    CHECK_THAT(c.diagnostics.problems[0].what, Contains("empty file"));
  }
  const CsvPoints h = parse("lon,lat\n");
  REQUIRE(errors(h) == 1);
  CHECK_THAT(all_problems(h), Contains("no data rows"));
}

TEST_CASE("duplicate and empty headers get unique names - ragged rows warn", "[io][csv]") {
  const CsvPoints c = parse("name,lon,lat,name,\na,114,44,b,c\nd,114,44,e,f,g\n");
  INFO(all_problems(c));
  check_consistent(c);
  REQUIRE(c.table.columns.size() == 3);
  CHECK(c.table.columns[0].name == "name");
  CHECK(c.table.columns[1].name == "name_2");
  CHECK(c.table.columns[2].name == "field_5");
  CHECK(c.table.columns[2].text(0) == "c");
  CHECK(warnings(c) == 1);
  CHECK(c.diagnostics.problems[0].line == 3);
  // Trailing empty fields (as spreadsheets export) do not warn.
  CHECK(parse("lon,lat\n114,44,,\n").diagnostics.problems.empty());
}

TEST_CASE("full-width digits in attribute columns are numbers", "[io][csv]") {
  const CsvPoints c = parse("经度,纬度,人口\n114,44,１２３４\n115,45,５６\n");
  const auto& pop = column(c, "人口");
  CHECK(pop.type == core::FieldType::Integer);
  CHECK(pop.ints[0] == 1234);
  CHECK(pop.ints[1] == 56);
}

TEST_CASE("read_csv_points reads a committed GB18030 file and reports a missing one", "[io][csv]") {
  const auto dir = test::source_dir() / "tests/io/data";
  const CsvPoints c = read_csv_points(dir / "stations_gb18030.csv", {});
  INFO(all_problems(c));
  check_consistent(c);
  CHECK(c.encoding == "GB18030");
  CHECK(c.delimiter == ",");
  CHECK(c.swapped);  // the file's 经度/纬度 columns are swapped on purpose
  CHECK(warnings(c) == 1);
  CHECK(errors(c) == 0);
  REQUIRE(c.points.feature_count() == 4);
  CHECK(column(c, "名称").text(0) == "阿巴嘎旗科技馆");
  CHECK(c.points.first_point(0).x == Approx(114.0 + 57.0 / 60 + 30.0 / 3600).margin(1e-12));
  CHECK(c.points.first_point(0).y == Approx(44.0 + 1.0 / 60 + 20.0 / 3600).margin(1e-12));

  const CsvPoints m = read_csv_points(dir / "no_such_file.csv", {});
  REQUIRE(m.diagnostics.problems.size() == 1);
  CHECK_THAT(m.diagnostics.problems[0].to_line(), Contains("no_such_file.csv"));
  CHECK_THAT(m.diagnostics.problems[0].what, Contains("not found"));
}

TEST_CASE("every prefix of a tricky file parses without breaking the invariants", "[io][csv]") {
  const std::string text = encode(
      "\"名称\"，经度，纬度，备注\n\"甲，\"\"乙\"\"\"，１１４°５７′３０″，北纬44.1，\"多\n行\"\n"
      "丙，E114.5，44°06′，\n丁，114 57 30，44:06:00，x\n",
      "GB18030");
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const CsvPoints c = parse(text.substr(0, n));
    check_consistent(c);
    if (n == text.size()) {
      INFO(all_problems(c));
      CHECK(c.encoding == "GB18030");
      CHECK(c.delimiter == "，");
      CHECK(c.points.feature_count() == 3);
      CHECK(column(c, "名称").text(0) == "甲，\"乙\"");
    }
  }
}

TEST_CASE("a bad row prints as the README shows it", "[io][csv]") {
  const CsvPoints c =
      parse_csv_points("名称,经度,纬度\na,114,44\nb,114,44\nc,114,44\nd,114°60′00″,44\n", {}, "站点.csv");
  REQUIRE(c.diagnostics.problems.size() == 1);
  CHECK(c.diagnostics.problems[0].to_line() ==
        "error: 站点.csv:5: field 经度: 经度 (longitude): 分必须小于 60 (minutes must be below 60): "
        "114°60′00″");
}

TEST_CASE("quoted empty cells, spaces around values and a missing final newline", "[io][csv]") {
  const CsvPoints c = parse("name , lon , lat \n\"\" , 114.5 ,\" 44.5 \"\n\"x\",\"\",\"\"\nlast,115,45");
  INFO(all_problems(c));
  check_consistent(c);
  CHECK(c.lon_column == "lon");
  REQUIRE(c.points.feature_count() == 2);
  CHECK(c.points.first_point(0).x == 114.5);
  CHECK(c.points.first_point(0).y == 44.5);
  CHECK(c.points.first_point(1).y == 45.0);
  CHECK(column(c, "name").is_null(0));
  CHECK(column(c, "name").text(1) == "last");
  REQUIRE(errors(c) == 1);
  CHECK(c.diagnostics.problems[0].line == 3);
  CHECK_THAT(c.diagnostics.problems[0].what, Contains("missing coordinates"));
}

TEST_CASE("single swapped rows in an otherwise right table are pointed out", "[io][csv][swap]") {
  const CsvPoints c = parse("lon,lat\n114.9,44.0\n115.1,43.8\n44.2,114.7\n43.83,87.62\n");
  INFO(all_problems(c));
  check_consistent(c);
  CHECK_FALSE(c.swapped);
  // 44.2,114.7: latitude beyond 90, skipped, with the hint.
  REQUIRE(errors(c) == 1);
  const auto& ps = c.diagnostics.problems;
  CHECK(ps[0].line == 4);
  CHECK_THAT(ps[0].what, Contains("look swapped"));
  // 43.83,87.62 reads as a point in the Arctic: kept, with a warning.
  REQUIRE(warnings(c) == 1);
  CHECK(ps[1].line == 5);
  CHECK(ps[1].severity == core::Severity::Warning);
  CHECK_THAT(ps[1].what, Contains("look swapped"));
  CHECK(c.points.feature_count() == 3);
  // Rows plausibly outside China as given get no warning.
  CHECK(parse("lon,lat\n114.9,44.0\n10.0,50.0\n").diagnostics.problems.empty());
}
