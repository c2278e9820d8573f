#include "io/source_guard.hpp"

#include <sys/stat.h>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include <array>
#include <memory>

namespace kepumap::io {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

constexpr std::string_view k_not_data = ", not a data file (不是数据文件); point the source at a data file";

/// The path with every symbolic link resolved, or empty if it cannot be resolved.
std::string real_path(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> r(::realpath(path.c_str(), nullptr), &std::free);
  return r ? std::string(r.get()) : std::string{};
}

/// Why the local file `path` must not be opened (empty when it may, or when it does not exist).
std::string file_refusal(const std::string& path, bool folder_ok) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ELOOP)
      return quoted(path) + " is a symbolic link loop (符号链接循环)" + std::string(k_not_data);
    return {};  // missing or unreadable: the reader says so
  }
  const std::string real = real_path(path);
  const std::string what =
      quoted(path) + (real.empty() || real == path ? std::string{} : " (" + quoted(real) + ")");
  if (S_ISCHR(st.st_mode)) return what + " is a character device (设备文件)" + std::string(k_not_data);
  if (S_ISBLK(st.st_mode)) return what + " is a block device (设备文件)" + std::string(k_not_data);
  if (S_ISFIFO(st.st_mode)) return what + " is a FIFO (named pipe, 命名管道)" + std::string(k_not_data);
  if (S_ISSOCK(st.st_mode)) return what + " is a socket (套接字)" + std::string(k_not_data);
  if (S_ISDIR(st.st_mode)) {
    if (folder_ok || ends_with(lower(path), ".gdb") || ends_with(lower(path), ".gdb/")) return {};
    return what + " is a folder (文件夹)" + std::string(k_not_data);
  }
  if (!S_ISREG(st.st_mode)) return what + " is not a regular file" + std::string(k_not_data);
  for (std::string_view sys : {"/proc/", "/sys/", "/dev/"})
    if (starts_with(real, sys))
      return what + " is a system file under " + std::string(sys) + " (系统文件)" + std::string(k_not_data);
  return {};
}

/// file_refusal for a path and, for a shapefile, the files GDAL opens beside it.
std::string path_refusal(const std::string& path, bool folder_ok) {
  std::string why = file_refusal(path, folder_ok);
  if (!why.empty()) return why;
  const std::string l = lower(path);
  if (!ends_with(l, ".shp") && !ends_with(l, ".shx") && !ends_with(l, ".dbf")) return {};
  const std::string stem = path.substr(0, path.size() - 4);
  static constexpr std::array<std::string_view, 12> sidecars{".shp", ".SHP", ".shx", ".SHX", ".dbf", ".DBF",
                                                             ".prj", ".PRJ", ".cpg", ".CPG", ".qix", ".QIX"};
  for (std::string_view ext : sidecars) {
    const std::string side = stem + std::string(ext);
    struct stat st {};
    if (side == path || ::lstat(side.c_str(), &st) != 0) continue;
    why = file_refusal(side, false);
    if (!why.empty()) return why + " (beside the shapefile " + quoted(path) + ")";
  }
  return {};
}

/// Refusal of a local source, which may be wrapped in GDAL's local virtual file systems.
std::string local_refusal(const std::string& source, bool folder_ok, int depth) {
  if (!starts_with(source, "/vsi")) return path_refusal(source, folder_ok);
  if (depth > 8) return quoted(source) + " nests GDAL virtual file systems too deeply";
  const auto slash = source.find_first_of("/?", 1);
  const std::string prefix = lower(source.substr(0, slash == std::string::npos ? source.size() : slash + 1));
  const std::string rest = slash == std::string::npos ? std::string{} : source.substr(slash + 1);
  if (prefix == "/vsimem/") return {};
  if (starts_with(prefix, "/vsistdin") || starts_with(prefix, "/vsistdout"))
    return quoted(source) + " reads standard input (标准输入)" + std::string(k_not_data);
  if (prefix == "/vsisubfile/") {
    const auto comma = rest.find(',');
    return comma == std::string::npos ? std::string{}
                                      : local_refusal(rest.substr(comma + 1), false, depth + 1);
  }
  if (prefix == "/vsizip/" || prefix == "/vsigzip/" || prefix == "/vsitar/" || prefix == "/vsi7z/" ||
      prefix == "/vsirar/") {
    std::string inner = rest;
    if (!inner.empty() && inner.front() == '{') {
      const auto close = inner.find('}');
      inner = inner.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    }
    if (starts_with(inner, "/vsi")) return local_refusal(inner, false, depth + 1);
    // The archive is the first part of the path that exists and is not a folder.
    for (std::size_t pos = 1; pos <= inner.size(); ++pos) {
      if (pos < inner.size() && inner[pos] != '/') continue;
      const std::string part = inner.substr(0, pos);
      struct stat st {};
      if (::stat(part.c_str(), &st) != 0) {
        if (errno == ELOOP) return file_refusal(part, false);
        continue;
      }
      if (S_ISDIR(st.st_mode)) continue;
      return file_refusal(part, false);
    }
    return {};
  }
  return quoted(source) + " uses the GDAL virtual file system " + prefix +
         ", which kepumap does not open (use a plain path, /vsizip/, /vsigzip/ or /vsitar/)";
}

}  // namespace

bool is_network_source(std::string_view source) {
  const std::string l = lower(source);
  if (l.find("://") != std::string::npos) return true;
  static constexpr std::array<std::string_view, 9> network_fs{"/vsicurl",  "/vsis3",      "/vsigs",
                                                              "/vsiaz",    "/vsiadls",    "/vsioss",
                                                              "/vsiswift", "/vsiwebhdfs", "/vsihdfs"};
  // Walk the chain of GDAL virtual file systems (/vsizip/{/vsis3/...}/x.shp, /vsisubfile/0_9,/vsicurl/...).
  std::string_view rest = l;
  for (int depth = 0; depth < 16 && starts_with(rest, "/vsi"); ++depth) {
    for (std::string_view fs : network_fs)
      if (starts_with(rest, fs)) return true;
    const auto slash = rest.find('/', 1);
    if (slash == std::string_view::npos) break;
    const bool subfile = starts_with(rest, "/vsisubfile/");
    rest.remove_prefix(slash + 1);
    if (subfile) {
      const auto comma = rest.find(',');
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (!rest.empty() && rest.front() == '{') rest.remove_prefix(1);
  }
  // Database and web-service connection strings ("PG:host=...", "WFS:http..."): the driver
  // prefix before the first ':'.
  const auto colon = l.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  static constexpr std::array<std::string_view, 24> connections{
      "pg",    "postgresql", "mysql",    "mssql", "oci",  "odbc",          "wfs",     "wms",
      "wmts",  "wcs",        "oapif",    "wfs3",  "es",   "elasticsearch", "mongodb", "mongodbv3",
      "carto", "amigocloud", "plscenes", "ngw",   "eeda", "eedai",         "couchdb", "hana"};
  const std::string_view driver = std::string_view(l).substr(0, colon);
  for (std::string_view c : connections)
    if (driver == c) return true;
  return false;
}

std::string source_refusal(const std::string& source, const SourcePolicy& policy) {
  if (source.find('\0') != std::string::npos)
    return "the source name contains a NUL character (\\u0000)" + std::string(k_not_data);
  if (is_network_source(source)) {
    if (policy.allow_network) return {};
    return quoted(source) +
           " reaches the network (网络数据源); kepumap opens network sources and database connections only "
           "when the project sets allow_network_sources = true under [limits]";
  }
  return local_refusal(source, policy.folder_ok, 0);
}

}  // namespace kepumap::io
