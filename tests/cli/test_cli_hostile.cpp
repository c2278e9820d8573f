// Hostile project files and inputs through the real binary: sources that are devices, FIFOs,
// sockets, system files, link loops, folders or network locations, thousands of layers and
// absurd numbers. Each one must give exactly one line on stderr naming what is wrong and where,
// exit code 2, nothing written, and never a crash or a hang (every run has a time limit).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "io/io_test_util.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap;
using test::contains;
using test::line_count;
using test::run_kepumap;
using test::ScratchDir;
using test::shell_quote;

namespace {

constexpr int k_timeout_s = 60;

/// A TOML basic string holding `s` (quotes, backslashes and control characters escaped).
std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string project_head() { return "[project]\nname = \"hostile\"\n\n"; }

/// A project whose only layer reads `source` (line 7 is the source key).
std::string project_with_source(const std::string& source, const std::string& extra = {}) {
  return project_head() + "[[layer]]\nname = \"banner\"\nrole = \"banner\"\nsource = " + toml_string(source) +
         "\n" + extra;
}

/// One hostile input: a project file (or a command) that must be refused.
struct Hostile {
  std::string name;    ///< what it is (also the scratch file name)
  std::string toml;    ///< project.toml text
  std::string expect;  ///< text the single stderr line must contain
};

/// The distinct hostile inputs run in this process; their number is printed at exit
/// ("hostile inputs tested: N" — all of them when the executable runs every test case).
struct Tally {
  std::set<std::string> names;
  ~Tally() { std::printf("hostile inputs tested: %zu\n", names.size()); }
};
std::set<std::string>& tested() {
  static Tally tally;
  return tally.names;
}

/// Runs `kepumap <cmd>` and checks: exit 2, exactly one stderr line, containing every `expect`.
void expect_one_line(const std::string& what, const std::string& cmd,
                     const std::vector<std::string>& expect) {
  const auto r = run_kepumap(cmd, k_timeout_s);
  INFO(what << ": kepumap " << cmd << "\nstderr:\n" << r.err);
  CHECK(r.exit_code == 2);
  CHECK(line_count(r.err) == 1);
  CHECK(r.err.rfind("error: ", 0) == 0);
  for (const auto& e : expect) CHECK(contains(r.err, e));
}

/// Writes the project and runs it through `kepumap info` and `kepumap coverage -o`: both refuse
/// it in one line naming `expect` (and the project file unless `names_toml` is false: a problem
/// in a data file names that file), and the output folder is not created.
void expect_refused(const ScratchDir& dir, const Hostile& h, bool names_toml = true) {
  const std::string toml = dir.write(h.name + ".toml", h.toml);
  const std::string out = dir.file(h.name + "-out");
  std::vector<std::string> expect{h.expect};
  if (names_toml) expect.push_back(toml);
  expect_one_line(h.name, "info " + shell_quote(toml), expect);
  expect_one_line(h.name, "coverage " + shell_quote(toml) + " -o " + shell_quote(out), expect);
  CHECK_FALSE(fs::exists(out));
  tested().insert(h.name);
}

void make_fifo(const std::string& path) { REQUIRE(::mkfifo(path.c_str(), 0600) == 0); }

void make_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(path.size() < sizeof addr.sun_path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  ::close(fd);  // the socket file stays
}

/// The first block device under /dev, or empty.
std::string some_block_device() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev", ec)) {
    struct stat st {};
    if (::stat(e.path().c_str(), &st) == 0 && S_ISBLK(st.st_mode)) return e.path().string();
  }
  return {};
}

}  // namespace

TEST_CASE("cli hostile: layer sources that are devices, FIFOs, system files, loops or folders are refused",
          "[cli][hostile]") {
  ScratchDir dir("hostile-local");
  const fs::path d = dir.path();
  make_fifo(dir.file("fifo.gpkg"));
  make_socket(dir.file("sock.gpkg"));
  fs::create_symlink("/dev/zero", d / "zero.gpkg");
  fs::create_symlink("/proc/self/mem", d / "mem.gpkg");
  fs::create_symlink(d / "loop_b.gpkg", d / "loop_a.gpkg");
  fs::create_symlink(d / "loop_a.gpkg", d / "loop_b.gpkg");
  fs::create_symlink(d / "self.gpkg", d / "self.gpkg");
  fs::create_directories(d / "folder.gpkg");
  fs::create_directories(d / "villages");
  // A shapefile whose .shp is a real file but whose .dbf is /dev/zero.
  dir.write("roads.shp", std::string(100, '\0'));
  fs::create_symlink("/dev/zero", d / "roads.dbf");
  // A zip "archive" that is a FIFO.
  make_fifo(dir.file("data.zip"));

  const std::string device = " is a character device";
  const std::vector<Hostile> table{
      {"dev_zero", project_with_source("/dev/zero"), ":7: layer banner: field source: '/dev/zero'" + device},
      {"dev_urandom", project_with_source("/dev/urandom"), "'/dev/urandom'" + device},
      {"dev_null", project_with_source("/dev/null"), "'/dev/null'" + device},
      {"dev_stdin", project_with_source("/dev/stdin"), "field source: '/dev/stdin'"},
      {"proc_self_mem", project_with_source("/proc/self/mem"), "is a system file under /proc/"},
      {"proc_self_environ", project_with_source("/proc/self/environ"), "is a system file under /proc/"},
      {"sys_file", project_with_source("/sys/kernel/uevent_seqnum"), "is a system file under /sys/"},
      {"fifo", project_with_source("fifo.gpkg"), "fifo.gpkg' is a FIFO (named pipe"},
      {"socket", project_with_source("sock.gpkg"), "sock.gpkg' is a socket"},
      {"symlink_to_dev_zero", project_with_source("zero.gpkg"), "zero.gpkg' ('/dev/zero')" + device},
      {"symlink_to_proc_mem", project_with_source("mem.gpkg"), "is a system file under /proc/"},
      {"symlink_loop", project_with_source("loop_a.gpkg"), "loop_a.gpkg' is a symbolic link loop"},
      {"symlink_self_loop", project_with_source("self.gpkg"), "self.gpkg' is a symbolic link loop"},
      {"folder_for_file", project_with_source("folder.gpkg"), "folder.gpkg' is a folder"},
      {"plain_folder", project_with_source("villages"), "villages' is a folder"},
      {"shapefile_dbf_is_dev_zero", project_with_source("roads.shp"),
       "roads.dbf' ('/dev/zero') is a character device"},
      {"vsizip_of_dev_zero", project_with_source("/vsizip//dev/zero/a.shp"), "'/dev/zero'" + device},
      {"vsizip_of_fifo", project_with_source("/vsizip/" + dir.file("data.zip") + "/a.shp"),
       "data.zip' is a FIFO"},
      {"vsigzip_of_dev_zero", project_with_source("/vsigzip//dev/zero"), "'/dev/zero'" + device},
      {"vsitar_of_dev_zero", project_with_source("/vsitar//dev/zero/a.shp"), "'/dev/zero'" + device},
      {"vsi7z_of_fifo", project_with_source("/vsi7z/" + dir.file("data.zip") + "/a.shp"),
       "data.zip' is a FIFO"},
      {"vsirar_of_dev_zero", project_with_source("/vsirar//dev/zero/a.shp"), "'/dev/zero'" + device},
      {"vsisubfile_of_dev_zero", project_with_source("/vsisubfile/0_1000,/dev/zero"), "'/dev/zero'" + device},
      {"vsistdin", project_with_source("/vsistdin/"), "reads standard input"},
      {"unknown_vsi", project_with_source("/vsinosuchthing/a.gpkg"),
       "uses the GDAL virtual file system /vsinosuchthing/, which kepumap does not open"},
      {"nul_in_source", project_with_source(std::string("banner\0.gpkg", 12)),
       "the source name contains a NUL character"},
  };
  for (const auto& h : table) expect_refused(dir, h);
  if (const std::string blk = some_block_device(); !blk.empty())
    expect_refused(dir, {"block_device", project_with_source(blk), "'" + blk + "' is a block device"});
  CHECK(tested().size() >= table.size());
}

TEST_CASE("cli hostile: network sources are refused unless [limits] allow_network_sources = true",
          "[cli][hostile]") {
  ScratchDir dir("hostile-net");
  const std::string net = " reaches the network";
  const std::vector<std::string> sources{
      "/vsicurl/http://example.com/a.gpkg",
      "/vsicurl_streaming/https://example.com/a.geojson",
      "/vsicurl?url=http://example.com/a.gpkg",
      "/vsis3/bucket/a.gpkg",
      "/vsis3_streaming/bucket/a.gpkg",
      "/vsigs/bucket/a.gpkg",
      "/vsiaz/container/a.gpkg",
      "/vsiadls/filesystem/a.gpkg",
      "/vsioss/bucket/a.gpkg",
      "/vsiswift/container/a.gpkg",
      "/vsiwebhdfs/http://example.com/webhdfs/v1/a.gpkg",
      "/vsihdfs/hdfs://example.com/a.gpkg",
      "http://example.com/a.geojson",
      "https://example.com/a.geojson",
      "ftp://example.com/a.geojson",
      "HTTPS://EXAMPLE.COM/A.GEOJSON",
      "/vsizip//vsicurl/http://example.com/a.zip/a.shp",
      "/vsizip/{/vsis3/bucket/a.zip}/a.shp",
      "/vsitar//vsigs/bucket/a.tar/a.shp",
      "/vsigzip//vsicurl/https://example.com/a.geojson.gz",
      "PG:host=example.com dbname=gis",
      "MySQL:gis,host=example.com",
      "WFS:http://example.com/wfs",
  };
  int i = 0;
  for (const auto& s : sources)
    expect_refused(dir, {"network_" + std::to_string(i++), project_with_source(s), "'" + s + "'" + net});
  // The layer's own line and key are named.
  expect_refused(dir,
                 {"network_line", project_with_source("/vsicurl/ftp://example.com/a.gpkg"),
                  ":7: layer banner: field source: '/vsicurl/ftp://example.com/a.gpkg' reaches the network"});
  // Local paths that merely contain such words are not network sources.
  for (const std::string local : {"data/vsis3/a.gpkg", "/vsizip/data/vsicurl.zip/a.shp", "es.gpkg"}) {
    const auto r =
        run_kepumap("info " + shell_quote(dir.write("local.toml", project_with_source(local))), k_timeout_s);
    INFO(local << "\n" << r.err);
    CHECK(r.exit_code == 2);  // not found
    CHECK_FALSE(contains(r.err, net));
  }
  // The message says how to allow them; allowed, the source is opened (and fails here: nothing
  // listens on port 9), so the refusal is gone but the load still fails in one line.
  const std::string allowed =
      project_with_source("http://127.0.0.1:9/a.geojson", "\n[limits]\nallow_network_sources = true\n");
  const std::string toml = dir.write("allowed.toml", allowed);
  const auto r = run_kepumap("info " + shell_quote(toml), k_timeout_s);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK_FALSE(contains(r.err, net));
  CHECK(contains(r.err, "http://127.0.0.1:9/a.geojson"));
  const auto refused =
      run_kepumap("info " + shell_quote(dir.write("p.toml", project_with_source("http://x/a"))));
  CHECK(contains(refused.err, "allow_network_sources = true under [limits]"));
}

namespace {
/// A TCP listener on 127.0.0.1 (a free port) that records whether anything connected.
class Listener {
 public:
  Listener() {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(m_fd, 16) != 0 || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      return;
    m_port = ntohs(a.sin_port);
  }
  ~Listener() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  int port() const { return m_port; }
  /// True if a connection is waiting (it is accepted and closed).
  bool connected() {
    const int c = ::accept(m_fd, nullptr, nullptr);
    if (c < 0) return false;
    ::close(c);
    return true;
  }

 private:
  int m_fd = -1;
  int m_port = 0;
};
}  // namespace

TEST_CASE("cli hostile: a local VRT that points at /vsicurl/ does not reach the network unless allowed",
          "[cli][hostile]") {
  ScratchDir dir("hostile-vrt");
  Listener server;
  REQUIRE(server.port() > 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/a.geojson";
  dir.write("net.vrt", "<OGRVRTDataSource><OGRVRTLayer name=\"a\"><SrcDataSource>/vsicurl/" + url +
                           "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>\n");
  const std::string toml = dir.write("vrt.toml", project_with_source("net.vrt"));
  const auto r = run_kepumap("info " + shell_quote(toml), k_timeout_s);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(line_count(r.err) == 1);
  CHECK(contains(r.err, "net.vrt"));
  CHECK_FALSE(server.connected());
  tested().insert("vrt_to_vsicurl");
  // The control: allowed, the same VRT connects (the run waits for an answer and is stopped).
  const std::string allowed = dir.write(
      "vrt_allowed.toml", project_with_source("net.vrt", "\n[limits]\nallow_network_sources = true\n"));
  run_kepumap("info " + shell_quote(allowed), 5);
  CHECK(server.connected());
}

TEST_CASE("cli hostile: the project file itself is a device, a FIFO, a folder or a link loop",
          "[cli][hostile]") {
  ScratchDir dir("hostile-project");
  const fs::path d = dir.path();
  make_fifo(dir.file("fifo.toml"));
  fs::create_directories(d / "folder.toml");
  fs::create_symlink("/dev/zero", d / "zero.toml");
  fs::create_symlink(d / "loop.toml", d / "loop.toml");
  const std::vector<std::pair<std::string, std::string>> table{
      {"fifo.toml", "is a FIFO"},
      {"folder.toml", "is a folder"},
      {"zero.toml", "('/dev/zero') is a character device"},
      {"loop.toml", "is a symbolic link loop"},
  };
  for (const auto& [name, expect] : table) {
    const std::string toml = dir.file(name);
    const std::string out = dir.file(name + "-out");
    expect_one_line(name, "info " + shell_quote(toml), {"project file", expect});
    expect_one_line(name, "check " + shell_quote(toml), {"project file", expect});
    expect_one_line(name, "coverage " + shell_quote(toml) + " -o " + shell_quote(out),
                    {"project file", expect});
    CHECK_FALSE(fs::exists(out));
    tested().insert("project file " + name);
  }
  // Accepted: a File Geodatabase folder as a layer source, and a folder or a URL named on the
  // command line (the user asked for it). They fail to open here, but are not refused.
  fs::create_directories(d / "empty.gdb");
  const auto gdb = run_kepumap("info " + shell_quote(dir.write("gdb.toml", project_with_source("empty.gdb"))),
                               k_timeout_s);
  CHECK(gdb.exit_code == 2);
  CHECK_FALSE(contains(gdb.err, "is a folder"));
  fs::create_directories(d / "plain_folder");
  const auto folder = run_kepumap("info " + shell_quote((d / "plain_folder").string()), k_timeout_s);
  CHECK_FALSE(contains(folder.err, "is a folder"));
  const auto url = run_kepumap("info http://127.0.0.1:9/a.geojson", k_timeout_s);
  CHECK(url.exit_code == 2);
  CHECK_FALSE(contains(url.err, "reaches the network"));
  // A data file named on the command line that is a device.
  expect_one_line("info /dev/zero", "info /dev/zero", {"'/dev/zero' is a character device"});
  tested().insert("info /dev/zero");
}

TEST_CASE("cli hostile: thousands of layers are refused in one line", "[cli][hostile]") {
  ScratchDir dir("hostile-layers");
  std::string toml = project_head();
  for (int i = 0; i < 5000; ++i)
    toml += "[[layer]]\nname = \"l" + std::to_string(i) + "\"\nrole = \"village\"\nsource = \"v.csv\"\n\n";
  expect_refused(dir, {"five_thousand_layers", toml,
                       "the project has 5000 [[layer]] entries; kepumap reads at most 1000"});
}

TEST_CASE("cli hostile: absurd numbers in project.toml are refused naming the key and line",
          "[cli][hostile]") {
  ScratchDir dir("hostile-numbers");
  const auto travel = [](const std::string& kv) {
    return project_head() + "[travel]\n" + kv + "\n";  // the key is on line 5
  };
  const std::string head_lines = project_head();
  const std::vector<Hostile> table{
      {"cell_size_zero", travel("cell_size_m = 0"),
       ":5: key 'cell_size_m' must be from 1 to 100000 metres (got 0)"},
      {"cell_size_negative", travel("cell_size_m = -500"),
       ":5: key 'cell_size_m' must be from 1 to 100000 metres (got -500)"},
      {"cell_size_nan", travel("cell_size_m = nan"),
       "key 'cell_size_m' must be from 1 to 100000 metres (got nan)"},
      {"cell_size_inf", travel("cell_size_m = inf"),
       "key 'cell_size_m' must be from 1 to 100000 metres (got inf)"},
      {"cell_size_1e9", travel("cell_size_m = 1e9"),
       "key 'cell_size_m' must be from 1 to 100000 metres (got 1e+09)"},
      {"neighbours_3", travel("neighbours = 3"), ":5: key 'neighbours' must be 8 or 16"},
      {"neighbours_4", travel("neighbours = 4"), ":5: key 'neighbours' must be 8 or 16"},
      {"neighbours_wraps_to_8", travel("neighbours = 4294967304"), ":5: key 'neighbours' must be 8 or 16"},
      {"offroad_zero", travel("offroad_kmh = 0"),
       ":5: key 'offroad_kmh' must be above 0 and at most 300 km/h (got 0)"},
      {"offroad_negative", travel("offroad_kmh = -5"),
       "key 'offroad_kmh' must be above 0 and at most 300 km/h (got -5)"},
      {"offroad_nan", travel("offroad_kmh = nan"),
       "key 'offroad_kmh' must be above 0 and at most 300 km/h (got nan)"},
      {"road_speed_zero", travel("road_speeds = { \"track\" = 0 }"),
       ":5: key 'road_speeds.track' must be above 0"},
      {"road_speed_negative", travel("road_speeds = { \"国道\" = -80 }"),
       "key 'road_speeds.国道' must be above 0"},
      {"road_speed_nan", travel("road_speeds = { \"track\" = nan }"),
       "key 'road_speeds.track' must be above 0 and at most 300 km/h (got nan)"},
      {"road_speed_inf", travel("road_speeds = { \"track\" = inf }"), "(got inf)"},
      {"tag_speed_inf", travel("tag_speeds = { \"surface=sand\" = inf }"),
       "key 'tag_speeds' must be above 0 and at most 300 km/h (got inf)"},
      {"tag_speed_nan", travel("tag_speeds = { \"surface=sand\" = nan }"),
       "key 'tag_speeds': 'surface=sand' must have a positive speed"},
      {"landcover_speed_nan", travel("landcover_speeds = { \"10\" = nan }"),
       "key 'landcover_speeds.10' must be from 0 to 300 km/h (got nan)"},
      {"landcover_speed_negative", travel("landcover_speeds = { \"10\" = -1 }"),
       "key 'landcover_speeds.10' must be from 0 to 300 km/h (got -1)"},
      {"snap_tolerance_nan", travel("snap_tolerance_m = nan"),
       "key 'snap_tolerance_m' must be from 0 to 10000 metres (got nan)"},
      {"snap_tolerance_negative", travel("snap_tolerance_m = -1"),
       "key 'snap_tolerance_m' must be from 0 to 10000 metres (got -1)"},
      {"scenario_offroad_nan", head_lines + "[[scenario]]\nname = \"w\"\noffroad_kmh = nan\n",
       ":6: key 'offroad_kmh' must be above 0 and at most 300 km/h (got nan)"},
      {"scenario_road_speed_zero",
       head_lines + "[[scenario]]\nname = \"w\"\nroad_speeds = { \"track\" = 0 }\n",
       ":6: key 'road_speeds.track' must be above 0"},
      {"standard_minutes_negative", head_lines + "[[standard]]\nfacility = \"museum\"\nminutes = -90\n",
       ":6: key 'minutes' must be from 0 to 10080 minutes (got -90)"},
      {"standard_minutes_nan", head_lines + "[[standard]]\nfacility = \"museum\"\nminutes = nan\n",
       ":6: key 'minutes' must be from 0 to 10080 minutes (got nan)"},
      {"standard_visits_negative",
       head_lines + "[[standard]]\nfacility = \"caravan\"\nvisits_per_year = -3\n",
       ":6: key 'visits_per_year' must be an integer from 0 to 100000 (got -3)"},
      {"target_threshold_negative",
       head_lines + "[[target]]\nid = \"t\"\nmetric = \"coverage_share\"\nthreshold = -1\n",
       ":7: target t: key 'threshold' must be from 0 to"},
      {"target_threshold_nan",
       head_lines + "[[target]]\nid = \"t\"\nmetric = \"coverage_share\"\nthreshold = nan\n", "(got nan)"},
      {"target_deadline_huge",
       head_lines +
           "[[target]]\nid = \"t\"\nmetric = \"coverage_share\"\nthreshold = 1\ndeadline = 99999999999\n",
       ":8: target t: key 'deadline' must be an integer from 0 to 9999"},
      {"seat_share_nan", head_lines + "[demand]\nseat_share = nan\n",
       ":5: key 'seat_share' must lie between 0 and 1"},
      {"memory_gb_nan", head_lines + "[limits]\nmemory_gb = nan\n",
       ":5: key 'memory_gb' must be a positive number"},
      // Non-ASCII characters where toml++ 3.3.0 looks for whitespace (its upstream #190/#295,
      // found by fuzz_project): a syntax error, one line.
      {"toml_cjk_punctuation_after_value", head_lines + "[travel]\ncell_size_m = 500 、\n",
       ":5: not valid TOML: Error while parsing key-value pair: expected a comment or whitespace, saw '、'"},
      {"toml_small_form_comma_after_value", head_lines + "[travel]\ncell_size_m = 500 \xef\xb9\x90\n",
       ":5: not valid TOML: Error while parsing key-value pair"},
      // Aborts toml++ 3.3.0 when built with its debug assertions (found by fuzz_project).
      {"toml_bad_table_header", head_lines + "[!layer]]\nname = \"b\"\n",
       ":4: not valid TOML: Error while parsing key"},
      {"memory_gb_negative", head_lines + "[limits]\nmemory_gb = -8\n",
       ":5: key 'memory_gb' must be a positive number"},
  };
  for (const auto& h : table) expect_refused(dir, h);
}

TEST_CASE("cli hostile: a negative population in a layer is refused naming the layer, feature and field",
          "[cli][hostile]") {
  ScratchDir dir("hostile-people");
  fs::copy(test::source_dir() / "data/abag", dir.path(), fs::copy_options::recursive);
  dir.write("extra.csv", "name,lon,lat,pop\nA,114.95,44.02,120\nB,114.97,44.03,-5\n");
  std::string toml = test::slurp(dir.path() / "project.toml");
  toml +=
      "\n[[layer]]\nname = \"extra\"\nrole = \"village\"\nsource = \"extra.csv\"\nfields = { name = "
      "\"name\", "
      "population = \"pop\" }\n";
  expect_refused(dir,
                 {"population_negative", toml,
                  "extra.csv: layer extra: feature 1: field pop: population -5 is negative or not finite"},
                 false);
}

TEST_CASE("cli hostile: a land-cover raster that is a device is refused naming [travel] landcover",
          "[cli][hostile]") {
  ScratchDir dir("hostile-landcover");
  fs::copy(test::source_dir() / "data/abag", dir.path(), fs::copy_options::recursive);
  std::string toml = test::slurp(dir.path() / "project.toml");
  const auto at = toml.find("[travel]\n");
  REQUIRE(at != std::string::npos);
  toml.insert(at + 9, "landcover = \"/dev/zero\"\n");
  expect_refused(dir, {"landcover_dev_zero", toml,
                       "field travel.landcover: land cover (土地覆被): '/dev/zero' is a character device"});
}

TEST_CASE("cli hostile: --matrix, --orlib, --tsplib and --solomon files that are devices or FIFOs",
          "[cli][hostile]") {
  ScratchDir dir("hostile-matrix");
  make_fifo(dir.file("m.csv"));
  const std::string out = dir.file("out");
  const std::vector<std::pair<std::string, std::string>> table{
      {"site --matrix /dev/zero", "--matrix: '/dev/zero' is a character device"},
      {"site --matrix " + shell_quote(dir.file("m.csv")), "--matrix: '" + dir.file("m.csv") + "' is a FIFO"},
      {"site --orlib /proc/self/mem", "--orlib: '/proc/self/mem' ('/proc/"},
      {"site --matrix " + shell_quote(dir.path().string()), "is a folder"},
      {"access --matrix /dev/zero --method 2sfca --minutes 30 -o " + shell_quote(out),
       "--matrix: '/dev/zero' is a character device"},
      {"caravan --tsplib /dev/zero", "--tsplib: '/dev/zero' is a character device"},
      {"caravan --solomon " + shell_quote(dir.file("m.csv")),
       "--solomon: '" + dir.file("m.csv") + "' is a FIFO"},
  };
  for (const auto& [cmd, expect] : table) {
    expect_one_line(cmd, cmd, {expect});
    tested().insert(cmd);
  }
  CHECK_FALSE(fs::exists(out));
}
