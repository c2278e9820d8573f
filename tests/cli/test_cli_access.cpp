// kepumap access on the demo project and on a hand-made matrix: known answers, the capacity
// table's invariants, the figures, and bad input (exit 2, one line naming layer, feature, field).
#include <catch2/catch.hpp>

#include <gdal.h>
#include <ogr_api.h>

#include <fstream>
#include <sstream>

#include "cli_run.hpp"

using namespace kepumap;
using test::run_kepumap;
using test::shell_quote;

namespace {

using Csv = std::vector<std::vector<std::string>>;

Csv read_csv(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string line;
  Csv rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (rows.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

int col(const Csv& t, const std::string& header) {
  for (std::size_t i = 0; i < t[0].size(); ++i)
    if (t[0][i] == header) return static_cast<int>(i);
  FAIL("no column " << header);
  return -1;
}

std::filesystem::path out_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("kepumap-access-" + name);
  std::filesystem::remove_all(d);
  return d;
}

std::string abag() { return shell_quote((test::source_dir() / "data/abag/project.toml").string()); }

double num(const std::string& s) { return s.empty() ? 0.0 : std::stod(s); }

}  // namespace

TEST_CASE("cli access: capacity-limited coverage of the Abag education bases", "[cli][access]") {
  const auto dir = out_dir("cap");
  const auto r =
      run_kepumap("access " + abag() + " --method capacity --facility education_base --lang en -o " +
                  shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Csv f = read_csv(dir / "access_facilities.csv");
  REQUIRE(f.size() > 2);
  const int cc = col(f, "capacity"), cr = col(f, "realised"), cw = col(f, "people within the standard");
  double cap = 0, realised = 0;
  for (std::size_t i = 1; i < f.size(); ++i) {
    CHECK(num(f[i][cr]) <= num(f[i][cc]) + 0.5);
    CHECK(num(f[i][cr]) <= num(f[i][cw]) + 0.5);
    cap += num(f[i][cc]);
    realised += num(f[i][cr]);
  }
  const Csv b = read_csv(dir / "access_banner.csv");
  REQUIRE(b.size() == 2);
  const double served = num(b[1][col(b, "covered within capacity")]),
               reach = num(b[1][col(b, "within reach")]);
  CHECK(served == Approx(realised).margin(f.size()));
  CHECK(served <= cap + 0.5);
  CHECK(served <= reach);
  // Within reach is exactly what `coverage` counts as covered for the same standard.
  const auto cov =
      run_kepumap("coverage " + abag() + " --lang en -o " + shell_quote(out_dir("cov").string()));
  REQUIRE(cov.exit_code == 0);
  CHECK(test::number_after(cov.out.substr(cov.out.find("education_base")), "%  (") ==
        Approx(reach).margin(1.0));
  // Townships sum to the banner.
  const Csv t = read_csv(dir / "access_township.csv");
  double sum = 0;
  for (std::size_t i = 1; i < t.size(); ++i) sum += num(t[i][col(t, "covered within capacity")]);
  CHECK(sum == Approx(served).margin(t.size()));
  for (const char* file : {"access.gpkg", "access.xlsx", "access_equity.csv", "lorenz.png", "lorenz.pdf",
                           "lorenz.svg", "index_by_township.png", "index_map.png"})
    CHECK(std::filesystem::file_size(dir / file) > 0);
  // The catchments as polygons, one per facility that took anyone, their realised people as in
  // access_facilities.csv.
  const std::string gpkg = (dir / "access.gpkg").string();
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  REQUIRE(ds);
  OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "capacity_catchments");
  REQUIRE(lyr);
  CHECK(OGR_L_GetFeatureCount(lyr, 1) == static_cast<GIntBig>(f.size() - 1));
  double realised_layer = 0, area = 0;
  OGR_L_ResetReading(lyr);
  while (OGRFeatureH ft = OGR_L_GetNextFeature(lyr)) {
    realised_layer += OGR_F_GetFieldAsDouble(ft, OGR_F_GetFieldIndex(ft, "realised"));
    if (OGRGeometryH g = OGR_F_GetGeometryRef(ft)) area += OGR_G_Area(g);
    OGR_F_Destroy(ft);
  }
  GDALClose(ds);
  CHECK(realised_layer == Approx(realised).margin(f.size()));
  CHECK(area > 0);
}

TEST_CASE("cli access: E2SFCA index is relative to the region's mean", "[cli][access]") {
  const auto dir = out_dir("e2sfca");
  const auto r = run_kepumap("access " + abag() +
                             " --method e2sfca --decay step --facility museum --minutes 120 --lang en -o " +
                             shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Csv b = read_csv(dir / "access_banner.csv");
  CHECK(num(b[1][col(b, "relative (mean = 1)")]) == Approx(1.0).epsilon(1e-3));
  // Population-weighted mean of the townships' relative index is 1 too.
  const Csv t = read_csv(dir / "access_township.csv");
  double pw = 0, p = 0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    p += num(t[i][col(t, "population")]);
    pw += num(t[i][col(t, "population")]) * num(t[i][col(t, "relative (mean = 1)")]);
  }
  CHECK(pw / p == Approx(1.0).epsilon(2e-3));
  CHECK(r.out.find("Gini") != std::string::npos);
}

TEST_CASE("cli access --matrix: hand-computed 2SFCA per demand point", "[cli][access]") {
  const auto dir = out_dir("matrix");
  std::filesystem::create_directories(dir);
  const auto m = dir / "m.csv";
  std::ofstream(m) << "demand,population,A,B\n"
                      "a,100,300,\n"
                      "b,200,600,600\n"
                      "c,100,,300\n"
                      "@capacity,,10,20\n";
  const auto r = run_kepumap("access --matrix " + shell_quote(m.string()) +
                             " --method 2sfca --minutes 15 -o " + shell_quote((dir / "out").string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Csv p = read_csv(dir / "out/access_points.csv");
  REQUIRE(p.size() == 4);
  const int ck = col(p, "per_10k"), cr = col(p, "relative");
  CHECK(num(p[1][ck]) == Approx(1e4 / 30.0).epsilon(1e-6));
  CHECK(num(p[2][ck]) == Approx(1000.0).epsilon(1e-6));
  CHECK(num(p[3][ck]) == Approx(1e4 / 15.0).epsilon(1e-6));
  CHECK(num(p[2][cr]) == Approx(0.1 / 0.075).epsilon(1e-6));
  // Capacity on the same matrix: A (10) and B (20) serve 30 of 400 people.
  const auto c = run_kepumap("access --matrix " + shell_quote(m.string()) +
                             " --method capacity --minutes 15 -o " + shell_quote((dir / "cap").string()));
  REQUIRE(c.exit_code == 0);
  const Csv f = read_csv(dir / "cap/access_facilities.csv");
  CHECK(num(f[1][col(f, "realised")]) == Approx(10.0));
  CHECK(num(f[2][col(f, "realised")]) == Approx(20.0));
}

TEST_CASE("cli access: bad input is one line and exit 2", "[cli][access]") {
  const auto dir = out_dir("bad");
  std::filesystem::create_directories(dir);
  auto one_line = [](const test::RunResult& r) {
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') >= 1);
  };
  const auto decay =
      run_kepumap("access " + abag() + " --method e2sfca --decay cubic -o " + shell_quote(dir.string()));
  one_line(decay);
  CHECK(decay.err.find("cubic") != std::string::npos);
  CHECK(std::count(decay.err.begin(), decay.err.end(), '\n') == 1);
  one_line(run_kepumap("access " + abag() + " --method 3sfca -o " + shell_quote(dir.string())));

  const auto m = dir / "zero.csv";
  std::ofstream(m) << "demand,population,A\na,0,60\n";
  const auto zero = run_kepumap("access --matrix " + shell_quote(m.string()) +
                                " --method 2sfca --minutes 10 -o " + shell_quote(dir.string()));
  one_line(zero);
  CHECK(zero.err.find("zero demand") != std::string::npos);
  const auto neg = dir / "neg.csv";
  std::ofstream(neg) << "demand,population,A\na,5,60\n@capacity,,-3\n";
  const auto n = run_kepumap("access --matrix " + shell_quote(neg.string()) +
                             " --method capacity --minutes 10 -o " + shell_quote(dir.string()));
  one_line(n);
  CHECK(n.err.find("@capacity") != std::string::npos);

  // A project whose education bases have a negative, a non-numeric and a missing capacity.
  const auto gpkg = (test::source_dir() / "data/abag/abag.gpkg").string();
  std::ofstream(dir / "bases.csv") << "name,lon,lat,capacity\n"
                                      "甲,114.95,44.02,300\n"
                                      "乙,115.08,44.25,-5\n"
                                      "丙,114.83,45.34,many\n"
                                      "丁,115.50,44.60,\n";
  std::ofstream(dir / "project.toml")
      << "[project]\nname = \"bad capacities\"\n\n"
         "[[layer]]\nname = \"villages\"\nrole = \"village\"\nsource = \""
      << gpkg
      << "\"\nlayer = \"villages\"\nfields = { name = \"name\", population = \"population\" }\n\n"
         "[[layer]]\nname = \"education_bases\"\nrole = \"education_base\"\nsource = \"bases.csv\"\n"
         "fields = { name = \"name\", capacity = \"capacity\" }\n\n"
         "[[standard]]\nfacility = \"education_base\"\nminutes = 60\n";
  const auto cap = run_kepumap("access " + shell_quote((dir / "project.toml").string()) +
                               " --method capacity -o " + shell_quote((dir / "out").string()));
  INFO(cap.err);
  CHECK(cap.exit_code == 2);
  CHECK(std::count(cap.err.begin(), cap.err.end(), '\n') == 3);
  CHECK(cap.err.find("education_bases") != std::string::npos);
  CHECK(cap.err.find("capacity") != std::string::npos);
  CHECK(cap.err.find("-5") != std::string::npos);
  CHECK(cap.err.find("many") != std::string::npos);
  CHECK(cap.err.find("missing") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "out/access.gpkg"));

  // Zero demand in a project: the villages map no population field. The line names the layer
  // and what is missing, and nothing is written.
  std::ofstream(dir / "nopeople.toml")
      << "[project]\nname = \"no people\"\n\n"
         "[[layer]]\nname = \"villages\"\nrole = \"village\"\nsource = \""
      << gpkg
      << "\"\nlayer = \"villages\"\nfields = { name = \"name\" }\n\n"
         "[[layer]]\nname = \"education_bases\"\nrole = \"education_base\"\nsource = \"bases.csv\"\n"
         "where = \"capacity = '300'\"\nfields = { name = \"name\" }\n\n"
         "[[standard]]\nfacility = \"education_base\"\nminutes = 60\n";
  const auto nobody = run_kepumap("access " + shell_quote((dir / "nopeople.toml").string()) +
                                  " --method e2sfca -o " + shell_quote((dir / "out0").string()));
  INFO(nobody.err);
  CHECK(nobody.exit_code == 2);
  const std::string last = nobody.err.substr(nobody.err.rfind("error"));
  CHECK(std::count(last.begin(), last.end(), '\n') == 1);
  CHECK(last.find("zero demand") != std::string::npos);
  CHECK(last.find("'villages'") != std::string::npos);
  CHECK(last.find("maps no population field") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "out0/access.gpkg"));
}
