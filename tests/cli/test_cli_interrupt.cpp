// Nothing the user had is lost (issue 19): `kepumap coverage`, `report`, `caravan` and `travel`
// killed with SIGKILL at ten points over their run, two runs writing one folder at once, a full
// disk and a read-only folder. After each, every output is a complete file (the old one or the
// new one: GeoPackages pass SQLite's integrity check and open with their layers and rasters, PDFs
// end with %%EOF, XLSX are whole zips, CSVs have all their lines, GeoTIFFs read to the last cell),
// the planner's own files and their layer inside coverage.gpkg are untouched, and the only other
// files are kepumap temporaries, which the next run removes. A scenario save is killed the same
// way (a child process saving in a loop). The kill points are fractions of a measured run time;
// nothing asserts on time.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli_run.hpp"
#include "core/atomic_file.hpp"
#include "io/scenario_file.hpp"
#include "skip.hpp"

using namespace kepumap;
namespace fs = std::filesystem;
using test::shell_quote;
using test::slurp;

namespace {

using Clock = std::chrono::steady_clock;

/// Number of kill points per verb.
constexpr int k_kill_points = 10;

/// A fresh folder for one test, removed at the end.
class Work {
 public:
  explicit Work(const std::string& name) {
    m_dir = fs::temp_directory_path() / ("kepumap-interrupt-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  ~Work() {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
  Work(const Work&) = delete;
  Work& operator=(const Work&) = delete;
  const fs::path& dir() const { return m_dir; }

 private:
  fs::path m_dir;
};

/// The demo project data/abag copied into `dir`; returns its project.toml.
fs::path copy_demo(const fs::path& dir) {
  const fs::path from = test::source_dir() / "data/abag";
  fs::create_directories(dir / "abag");
  for (const auto& e : fs::directory_iterator(from))
    fs::copy_file(e.path(), dir / "abag" / e.path().filename());
  return dir / "abag/project.toml";
}

/// A verb with its arguments (the output folder comes after -o).
struct Verb {
  std::string name;
  std::vector<std::string> args;  ///< after the project file, before -o
};

const std::vector<Verb>& verbs() {
  static const std::vector<Verb> v{
      {"coverage", {}},
      {"report", {"--lang", "en"}},
      {"caravan",
       {"--stops-layer", "township_seats", "--stops-layer", "village_centres", "--overnight", "lodging"}},
      {"travel", {"--from", "town"}},
  };
  return v;
}

/// A verb's exit code when it completed: caravan exits 1 when some stops stay unserved.
bool completed(const Verb& v, int code) { return code == 0 || (v.name == "caravan" && code == 1); }

struct Proc {
  pid_t pid = -1;
  fs::path err_file;
};

/// Starts `kepumap <verb> <project> <args> -o <out>` with stdout and stderr in files.
Proc spawn(const Verb& v, const fs::path& project, const fs::path& out, const fs::path& logs) {
  static int counter = 0;
  Proc p;
  p.err_file = logs / ("run-" + std::to_string(counter++) + ".err");
  const fs::path out_file = p.err_file.string() + ".out";
  std::vector<std::string> argv{(test::binary_dir() / "src/app/kepumap").string(), v.name, project.string()};
  argv.insert(argv.end(), v.args.begin(), v.args.end());
  argv.push_back("-o");
  argv.push_back(out.string());
  p.pid = ::fork();
  if (p.pid == 0) {
    const int fo = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int fe = ::open(p.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fo >= 0) ::dup2(fo, 1);
    if (fe >= 0) ::dup2(fe, 2);
    std::vector<char*> c;
    for (auto& s : argv) c.push_back(s.data());
    c.push_back(nullptr);
    ::execv(c[0], c.data());
    ::_exit(127);
  }
  return p;
}

/// Waits for `p`; its exit code, or -signal when killed.
int wait_for(const Proc& p) {
  int status = 0;
  while (::waitpid(p.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1000;
}

struct Finished {
  int code = -1;
  std::string err;
};

Finished run_to_end(const Verb& v, const fs::path& project, const fs::path& out, const fs::path& logs) {
  const Proc p = spawn(v, project, out, logs);
  Finished f;
  f.code = wait_for(p);
  f.err = slurp(p.err_file);
  return f;
}

/// Every regular file under `dir`, as paths relative to it.
std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> s;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file()) s.insert(fs::relative(it->path(), dir).string());
  return s;
}

bool is_temp(const std::string& rel) { return core::is_temp_name(fs::path(rel).filename().string()); }

std::vector<std::string> temps_under(const fs::path& dir) {
  std::vector<std::string> t;
  for (const auto& f : files_under(dir))
    if (is_temp(f)) t.push_back(f);
  return t;
}

bool ends_with_trimmed(const std::string& s, const std::string& tail) {
  std::size_t e = s.size();
  while (e > 0 && (s[e - 1] == '\n' || s[e - 1] == '\r' || s[e - 1] == ' ')) --e;
  return e >= tail.size() && s.compare(e - tail.size(), tail.size(), tail) == 0;
}

std::uint32_t le32(const std::string& s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}

/// A zip is complete when its end record points at a central directory that ends right there.
std::string zip_problem(const std::string& z) {
  if (z.size() < 22 || z.compare(0, 4, "PK\x03\x04") != 0) return "not a zip";
  const auto eocd = z.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos || eocd + 22 > z.size()) return "no end-of-central-directory record";
  const std::uint32_t cd_size = le32(z, eocd + 12), cd_offset = le32(z, eocd + 16);
  if (static_cast<std::size_t>(cd_offset) + cd_size != eocd)
    return "central directory does not end at the end record";
  if (z.compare(cd_offset, 4, "PK\x01\x02") != 0) return "no central directory";
  return {};
}

/// Opens a file with GDAL and reads it through: "" when complete, else what is wrong.
std::string gdal_problem(const fs::path& f, bool raster_sub = true) {
  GDALAllRegister();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLErrorReset();
  std::string why;
  GDALDatasetH ds =
      GDALOpenEx(f.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) {
    why = std::string("GDAL cannot open it: ") + CPLGetLastErrorMsg();
  } else {
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) {
      OGRLayerH l = GDALDatasetGetLayer(ds, i);
      OGR_L_ResetReading(l);
      for (OGRFeatureH ft; (ft = OGR_L_GetNextFeature(l)) != nullptr;) OGR_F_Destroy(ft);
    }
    if (GDALGetRasterCount(ds) > 0)
      GDALChecksumImage(GDALGetRasterBand(ds, 1), 0, 0, GDALGetRasterXSize(ds), GDALGetRasterYSize(ds));
    if (CPLGetLastErrorType() >= CE_Failure) why = std::string("reading failed: ") + CPLGetLastErrorMsg();
    GDALClose(ds);
  }
  if (why.empty() && raster_sub && f.extension() == ".gpkg") {
    // SQLite's own check, then each raster table read to the last tile.
    GDALDatasetH v = GDALOpenEx(f.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    std::vector<std::string> rasters;
    if (v) {
      OGRLayerH r = GDALDatasetExecuteSQL(v, "PRAGMA integrity_check", nullptr, nullptr);
      OGRFeatureH ft = r ? OGR_L_GetNextFeature(r) : nullptr;
      const std::string ok = ft ? OGR_F_GetFieldAsString(ft, 0) : "";
      if (ok != "ok") why = "integrity_check: " + ok;
      if (ft) OGR_F_Destroy(ft);
      if (r) GDALDatasetReleaseResultSet(v, r);
      r = GDALDatasetExecuteSQL(
          v, "SELECT table_name FROM gpkg_contents WHERE data_type IN ('tiles','2d-gridded-coverage')",
          nullptr, nullptr);
      for (OGRFeatureH t; r && (t = OGR_L_GetNextFeature(r)) != nullptr; OGR_F_Destroy(t))
        rasters.push_back(OGR_F_GetFieldAsString(t, 0));
      if (r) GDALDatasetReleaseResultSet(v, r);
      GDALClose(v);
    }
    for (const auto& t : rasters)
      if (why.empty()) {
        const std::string sub = "GPKG:" + f.string() + ":" + t;
        CPLErrorReset();
        GDALDatasetH rd = GDALOpen(sub.c_str(), GA_ReadOnly);
        if (!rd) {
          why = "raster " + t + " does not open";
          break;
        }
        GDALChecksumImage(GDALGetRasterBand(rd, 1), 0, 0, GDALGetRasterXSize(rd), GDALGetRasterYSize(rd));
        if (CPLGetLastErrorType() >= CE_Failure) why = "raster " + t + ": " + CPLGetLastErrorMsg();
        GDALClose(rd);
      }
  }
  CPLPopErrorHandler();
  return why;
}

/// The tables of a GeoPackage (vector layers and rasters, from gpkg_contents).
std::set<std::string> tables_of(const fs::path& gpkg) {
  std::set<std::string> s;
  GDALAllRegister();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  GDALDatasetH ds = GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  OGRLayerH r =
      ds ? GDALDatasetExecuteSQL(ds, "SELECT table_name FROM gpkg_contents", nullptr, nullptr) : nullptr;
  for (OGRFeatureH t; r && (t = OGR_L_GetNextFeature(r)) != nullptr; OGR_F_Destroy(t))
    s.insert(OGR_F_GetFieldAsString(t, 0));
  if (r) GDALDatasetReleaseResultSet(ds, r);
  if (ds) GDALClose(ds);
  CPLPopErrorHandler();
  return s;
}

/// The tables of a GeoPackage given as its bytes.
std::set<std::string> tables_of_bytes(const std::string& bytes) {
  const fs::path f =
      fs::temp_directory_path() / ("kepumap-interrupt-ref-" + std::to_string(::getpid()) + ".gpkg");
  std::ofstream(f, std::ios::binary) << bytes;
  auto s = tables_of(f);
  fs::remove(f);
  return s;
}

/// "" when the output `f` is a complete file; `reference` is the same output from a complete run.
std::string output_problem(const fs::path& f, const std::string& reference) {
  const std::string ext = f.extension().string();
  const std::string b = slurp(f);
  if (b.empty()) return "empty";
  if (ext == ".pdf") {
    if (b.compare(0, 5, "%PDF-") != 0) return "no %PDF- header";
    if (!ends_with_trimmed(b, "%%EOF")) return "does not end with %%EOF";
    return {};
  }
  if (ext == ".png") {
    if (b.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return "no PNG signature";
    if (!ends_with_trimmed(std::string(b.end() - std::min<std::size_t>(b.size(), 12), b.end()),
                           "IEND\xae\x42\x60\x82"))
      return "no IEND chunk at the end";
    return {};
  }
  if (ext == ".svg") return ends_with_trimmed(b, "</svg>") ? "" : "does not end with </svg>";
  if (ext == ".xlsx") return zip_problem(b);
  if (ext == ".csv") {
    // Complete: ends with a line break and has as many lines as a complete run's file.
    if (b.back() != '\n') return "does not end with a line break";
    if (test::line_count(b) != test::line_count(reference))
      return std::to_string(test::line_count(b)) + " lines, a complete run writes " +
             std::to_string(test::line_count(reference));
    return {};
  }
  if (ext == ".gpx" && !ends_with_trimmed(b, "</gpx>")) return "does not end with </gpx>";
  if (ext == ".kml" && !ends_with_trimmed(b, "</kml>")) return "does not end with </kml>";
  if (ext == ".geojson" && !ends_with_trimmed(b, "}")) return "does not end with }";
  if (ext == ".gpkg" || ext == ".tif" || ext == ".geojson" || ext == ".gpx" || ext == ".kml")
    return gdal_problem(f);
  return {};
}

/// The planner's own files in the output folder: a note, a table, a file in a subfolder, and (for
/// verbs that write coverage.gpkg) a layer of theirs inside it. Returns the files' contents.
std::map<std::string, std::string> add_user_files(const fs::path& out) {
  std::map<std::string, std::string> user{
      {"notes.txt", "field trip plan, do not delete\n"},
      {"my_counts.csv", "village,visitors\n1,20\n2,35\n"},
      {"mine/figure.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"}};
  for (const auto& [name, text] : user) {
    fs::create_directories((out / name).parent_path());
    std::ofstream(out / name, std::ios::binary) << text;
  }
  if (fs::exists(out / "coverage.gpkg")) {
    const fs::path notes = out / "mine/notes_layer.csv";
    std::ofstream(notes, std::ios::binary) << "name,WKT\n\"my note\",\"POINT (114.9 44.0)\"\n";
    user["mine/notes_layer.csv"] = slurp(notes);
    const std::string cmd = "ogr2ogr -update -f GPKG -a_srs EPSG:4326 -nln my_notes " +
                            shell_quote((out / "coverage.gpkg").string()) + " " +
                            shell_quote(notes.string()) + " >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  return user;
}

/// Checks the folder after a run ended any way: outputs complete, the planner's files as they
/// were, nothing else but kepumap temporaries. `where` says which run, for the messages.
void check_folder(const fs::path& out, const std::map<std::string, std::string>& reference,
                  const std::map<std::string, std::string>& user, const std::string& where) {
  INFO(where);
  const auto files = files_under(out);
  for (const auto& [name, bytes] : reference) {
    INFO("output " << name);
    REQUIRE(files.count(name) == 1);
    CHECK(output_problem(out / name, bytes) == "");
  }
  for (const auto& [name, bytes] : user) {
    INFO("planner's file " << name);
    CHECK(slurp(out / name) == bytes);
  }
  // Each GeoPackage has all its tables (none half-replaced: the old file or the new one), and
  // coverage.gpkg the planner's layer too.
  for (const auto& [name, bytes] : reference) {
    if (fs::path(name).extension() != ".gpkg") continue;
    INFO("tables of " << name);
    auto want = tables_of_bytes(bytes);
    REQUIRE(!want.empty());
    if (name == "coverage.gpkg") want.insert("my_notes");
    CHECK(tables_of(out / name) == want);
  }
  for (const auto& f : files) {
    INFO("file " << f);
    CHECK((reference.count(f) == 1 || user.count(f) == 1 || is_temp(f)));
  }
}

/// Runs `v` once into `out`; returns the outputs (relative path → bytes) and the run time.
std::map<std::string, std::string> reference_run(const Verb& v, const fs::path& project, const fs::path& out,
                                                 const fs::path& logs, double* seconds = nullptr) {
  const auto t0 = Clock::now();
  const Finished f = run_to_end(v, project, out, logs);
  if (seconds) *seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  INFO(f.err);
  REQUIRE(completed(v, f.code));
  std::map<std::string, std::string> ref;
  for (const auto& name : files_under(out)) ref[name] = slurp(out / name);
  REQUIRE(!ref.empty());
  return ref;
}

void kill_test(const Verb& v) {
  Work w("kill-" + v.name);
  const fs::path project = copy_demo(w.dir());
  const fs::path out = w.dir() / "out";
  // A first run is the old outputs, and its time places the kill points.
  double seconds = 0;
  const auto reference = reference_run(v, project, out, w.dir(), &seconds);
  const auto user = add_user_files(out);
  check_folder(out, reference, user, "before any kill");
  int killed = 0;
  for (int k = 0; k < k_kill_points; ++k) {
    const auto delay = std::chrono::duration<double>(seconds * (k + 0.5) / k_kill_points);
    const Proc p = spawn(v, project, out, w.dir());
    std::this_thread::sleep_for(delay);
    ::kill(p.pid, SIGKILL);
    const int code = wait_for(p);
    if (code == -SIGKILL) ++killed;
    check_folder(out, reference, user,
                 v.name + " killed at point " + std::to_string(k + 1) + " of " +
                     std::to_string(k_kill_points) + " (" + std::to_string(delay.count()) + " s, exit " +
                     std::to_string(code) + ")");
  }
  // Kills land while the verb runs (if the machine got faster since the first run, the late
  // points find it finished, which is a complete run to check as well).
  CHECK(killed >= 2);
  // The next complete run leaves no temporary behind, its own or the killed runs'.
  const Finished f = run_to_end(v, project, out, w.dir());
  INFO(f.err);
  CHECK(completed(v, f.code));
  check_folder(out, reference, user, "after a complete run");
  CHECK(temps_under(out).empty());
}

bool is_root() { return ::geteuid() == 0; }

/// A tmpfs mounted for one test (root only), unmounted at the end.
class TmpfsMount {
 public:
  TmpfsMount(const fs::path& at, std::uint64_t bytes) : m_at(at) {
    fs::create_directories(at);
    const std::string opts = "size=" + std::to_string(bytes) + ",mode=0755";
    m_ok = ::mount("tmpfs", at.c_str(), "tmpfs", 0, opts.c_str()) == 0;
    if (!m_ok) m_error = std::strerror(errno);
  }
  ~TmpfsMount() {
    if (m_ok) ::umount2(m_at.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool ok() const { return m_ok; }
  const std::string& error() const { return m_error; }
  bool remount_read_only() {
    return ::mount(nullptr, m_at.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }

 private:
  fs::path m_at;
  bool m_ok = false;
  std::string m_error;
};

/// Fills the file system of `dir` with `filler`, leaving `leave` bytes free (page-rounded).
void fill_disk(const fs::path& filler, std::uint64_t leave) {
  const int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  std::vector<char> block(64 * 1024, 'x');
  std::uint64_t written = 0;
  for (std::size_t chunk : {block.size(), std::size_t{4096}}) {
    for (;;) {
      const ssize_t n = ::write(fd, block.data(), chunk);
      if (n <= 0) break;
      written += static_cast<std::uint64_t>(n);
    }
  }
  REQUIRE(errno == ENOSPC);
  REQUIRE(::ftruncate(fd, static_cast<off_t>(written > leave ? written - leave : 0)) == 0);
  ::close(fd);
}

std::uint64_t total_bytes(const std::map<std::string, std::string>& files) {
  std::uint64_t n = 0;
  for (const auto& f : files) n += f.second.size();
  return n;
}

/// A failed run's stderr: one line, an error, naming a file in `out`, saying `what`.
void check_one_clear_line(const Finished& f, const fs::path& out, const std::vector<std::string>& what) {
  INFO("stderr: " << f.err);
  CHECK(f.code == 2);
  CHECK(test::line_count(f.err) == 1);
  CHECK(f.err.rfind("error: ", 0) == 0);
  CHECK(f.err.find(out.string()) != std::string::npos);
  bool found = false;
  for (const auto& w : what) found = found || f.err.find(w) != std::string::npos;
  CHECK(found);
}

void full_disk_test(const Verb& v) {
  if (!is_root()) KEPUMAP_SKIP("a full disk needs a tmpfs mount, which needs root: skipped");
  Work w("full-" + v.name);
  const fs::path project = copy_demo(w.dir());
  // The outputs' size, from a run on the ordinary disk.
  const auto sizes = reference_run(v, project, w.dir() / "sizing", w.dir());
  std::uint64_t largest = 0;
  for (const auto& f : sizes) largest = std::max<std::uint64_t>(largest, f.second.size());
  const fs::path disk = w.dir() / "disk";
  TmpfsMount mount(disk, total_bytes(sizes) * 2 + largest * 3 + (1u << 20));
  if (!mount.ok()) KEPUMAP_SKIP("cannot mount a tmpfs (" + mount.error() + "): skipped");
  const fs::path out = disk / "out";
  const auto reference = reference_run(v, project, out, w.dir());
  const auto user = add_user_files(out);
  std::map<std::string, std::string> before;
  for (const auto& name : files_under(out)) before[name] = slurp(out / name);
  // No room at all: the first file fails, nothing changes.
  fill_disk(disk / "filler", 0);
  Finished f = run_to_end(v, project, out, w.dir());
  check_one_clear_line(f, out, {"no space left"});
  for (const auto& [name, bytes] : before) {
    INFO("file " << name);
    CHECK(slurp(out / name) == bytes);
  }
  CHECK(temps_under(out).empty());
  // Room for half the largest output: some outputs may be replaced, that one fails.
  fs::remove(disk / "filler");
  fill_disk(disk / "filler", largest / 2);
  f = run_to_end(v, project, out, w.dir());
  check_one_clear_line(f, out, {"no space left"});
  check_folder(out, reference, user,
               v.name + " on a disk with " + std::to_string(largest / 2) + " bytes free");
  CHECK(temps_under(out).empty());
  // With room again, the next run completes.
  fs::remove(disk / "filler");
  f = run_to_end(v, project, out, w.dir());
  INFO(f.err);
  CHECK(completed(v, f.code));
  check_folder(out, reference, user, v.name + " with room again");
}

void read_only_test(const Verb& v) {
  Work w("ro-" + v.name);
  const fs::path project = copy_demo(w.dir());
  std::optional<TmpfsMount> mount;
  fs::path out = w.dir() / "out";
  if (is_root()) {
    // Root writes through chmod 555: a read-only file system it is.
    mount.emplace(w.dir() / "disk", 64u << 20);
    if (!mount->ok()) KEPUMAP_SKIP("cannot mount a tmpfs (" + mount->error() + "): skipped");
    out = w.dir() / "disk/out";
  }
  const auto reference = reference_run(v, project, out, w.dir());
  const auto user = add_user_files(out);
  std::map<std::string, std::string> before;
  for (const auto& name : files_under(out)) before[name] = slurp(out / name);
  if (mount) {
    REQUIRE(mount->remount_read_only());
  } else {
    for (const auto& d : {out, out / "tours", out / "mine"})
      if (fs::exists(d)) fs::permissions(d, fs::perms(0555));
  }
  const Finished f = run_to_end(v, project, out, w.dir());
  check_one_clear_line(f, out, {"read-only", "no permission"});
  for (const auto& [name, bytes] : before) {
    INFO("file " << name);
    CHECK(slurp(out / name) == bytes);
  }
  CHECK(files_under(out).size() == before.size());
  if (!mount)
    for (const auto& d : {out, out / "tours", out / "mine"})
      if (fs::exists(d)) fs::permissions(d, fs::perms(0755));
}

void parallel_test(const Verb& v) {
  Work w("parallel-" + v.name);
  const fs::path project = copy_demo(w.dir());
  const fs::path out = w.dir() / "out";
  const auto reference = reference_run(v, project, out, w.dir());
  const auto user = add_user_files(out);
  for (int round = 0; round < 2; ++round) {
    const Proc a = spawn(v, project, out, w.dir()), b = spawn(v, project, out, w.dir());
    const int ca = wait_for(a), cb = wait_for(b);
    const std::string ea = slurp(a.err_file), eb = slurp(b.err_file);
    INFO("round " << round << ": exit " << ca << " / " << cb << "\n" << ea << eb);
    // Both complete: neither trips over the other's temporaries.
    CHECK(completed(v, ca));
    CHECK(completed(v, cb));
    check_folder(out, reference, user, v.name + " twice at once, round " + std::to_string(round + 1));
    CHECK(temps_under(out).empty());
  }
}

const Verb& verb(const std::string& name) {
  for (const auto& v : verbs())
    if (v.name == name) return v;
  throw std::runtime_error("no verb " + name);
}

bool have_demo() {
  return fs::exists(test::source_dir() / "data/abag/project.toml") &&
         fs::exists(test::binary_dir() / "src/app/kepumap");
}

}  // namespace

TEST_CASE("interrupt: kill -9 during coverage leaves old or new outputs", "[cli][interrupt]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  kill_test(verb("coverage"));
}

TEST_CASE("interrupt: kill -9 during report leaves old or new outputs", "[cli][interrupt]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  kill_test(verb("report"));
}

TEST_CASE("interrupt: kill -9 during caravan leaves old or new outputs", "[cli][interrupt]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  kill_test(verb("caravan"));
}

TEST_CASE("interrupt: kill -9 during travel leaves old or new outputs", "[cli][interrupt]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  kill_test(verb("travel"));
}

TEST_CASE("interrupt: kill -9 during a scenario save leaves the old or the new file", "[cli][interrupt]") {
  Work w("scenarios");
  const fs::path file = io::scenarios_file_of(w.dir() / "project.toml");
  std::ofstream(w.dir() / "notes.txt") << "mine\n";
  // Two large scenario lists: a save takes long enough to be killed in the middle.
  std::vector<io::SavedScenario> a(1), b(2);
  a[0].name = "old";
  b[0].name = "new";
  b[1].name = "new too";
  for (int i = 0; i < 3000; ++i) {
    io::SavedEdit e;
    e.kind = "move";
    e.facility = "museum";
    e.index = static_cast<std::size_t>(i % 7);
    e.to = {1000.0 + i, 2000.0 - i};
    e.has_to = true;
    a[0].edits.push_back(e);
    b[i % 2].edits.push_back(e);
  }
  const std::string ta = io::scenarios_text(a), tb = io::scenarios_text(b);
  std::string error;
  REQUIRE(io::write_scenarios(file, a, error));
  // How long one save takes, to place the kills.
  const auto t0 = Clock::now();
  for (int i = 0; i < 20; ++i) REQUIRE(io::write_scenarios(file, i % 2 ? a : b, error));
  const double per_save = std::chrono::duration<double>(Clock::now() - t0).count() / 20;
  REQUIRE(io::write_scenarios(file, a, error));
  for (int k = 0; k < k_kill_points; ++k) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::string e;
      for (int i = 0;; ++i) io::write_scenarios(file, i % 2 ? a : b, e);
    }
    // Kill points spread over a few saves.
    std::this_thread::sleep_for(std::chrono::duration<double>(per_save * (3 + 0.37 * k)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    INFO("kill point " << k + 1);
    const std::string now = slurp(file);
    CHECK((now == ta || now == tb));
    std::string read_error;
    const auto back = io::read_scenarios(file, read_error);
    CHECK(read_error == "");
    CHECK((back.size() == 1 || back.size() == 2));
    CHECK(slurp(w.dir() / "notes.txt") == "mine\n");
    for (const auto& f : files_under(w.dir()))
      CHECK((f == file.filename().string() || f == "notes.txt" || is_temp(f)));
  }
  // The next save in the folder removes what the killed ones left.
  REQUIRE(io::write_scenarios(file, b, error));
  CHECK(slurp(file) == tb);
  CHECK(temps_under(w.dir()).empty());
}

TEST_CASE("interrupt: two coverage runs into one folder at once", "[cli][interrupt][parallel]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  parallel_test(verb("coverage"));
}

TEST_CASE("interrupt: two report runs into one folder at once", "[cli][interrupt][parallel]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  parallel_test(verb("report"));
}

TEST_CASE("interrupt: two caravan runs into one folder at once", "[cli][interrupt][parallel]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  parallel_test(verb("caravan"));
}

TEST_CASE("interrupt: a full disk fails coverage with one line and keeps the old outputs",
          "[cli][interrupt][disk]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  full_disk_test(verb("coverage"));
}

TEST_CASE("interrupt: a full disk fails report with one line and keeps the old outputs",
          "[cli][interrupt][disk]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  full_disk_test(verb("report"));
}

TEST_CASE("interrupt: a full disk fails caravan with one line and keeps the old outputs",
          "[cli][interrupt][disk]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  full_disk_test(verb("caravan"));
}

TEST_CASE("interrupt: a read-only folder fails coverage with one line and keeps the old outputs",
          "[cli][interrupt][readonly]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  read_only_test(verb("coverage"));
}

TEST_CASE("interrupt: a read-only folder fails report with one line and keeps the old outputs",
          "[cli][interrupt][readonly]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  read_only_test(verb("report"));
}

TEST_CASE("interrupt: a read-only folder fails caravan with one line and keeps the old outputs",
          "[cli][interrupt][readonly]") {
  if (!have_demo()) KEPUMAP_SKIP_INSTALLED("demo project or kepumap binary absent");
  read_only_test(verb("caravan"));
}
