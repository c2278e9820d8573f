#pragma once
// What kepumap refuses to open: sources that reach the network (unless the project allows it),
// devices, FIFOs, sockets, system files, symbolic link loops and folders where a file is
// expected. Checked before any reader (GDAL, the CSV reader, the project reader) touches the
// source, so a hostile project file cannot make kepumap hang on /dev/zero or a FIFO, read
// /proc/self/mem or fetch a URL.
#include <string>
#include <string_view>

namespace kepumap::io {

/// What a source may be.
struct SourcePolicy {
  /// URLs (http://, ftp://, ...), GDAL network file systems (/vsicurl/, /vsis3/, ... also nested
  /// inside /vsizip/) and database connection strings (PG:, MySQL:, WFS:, ...) may be opened.
  bool allow_network = false;
  /// A folder may be opened (as a dataset of its own, e.g. a shapefile folder). Folders named
  /// *.gdb (Esri File Geodatabase) are always accepted.
  bool folder_ok = false;
};

/// True when opening `source` would reach the network: a URL, a GDAL network file system
/// anywhere in it, or a database/web-service connection string.
bool is_network_source(std::string_view source);

/// Why `source` must not be opened, as a clause naming what it is ("'/dev/zero' is a character
/// device, not a data file ..."), or empty when it may be opened. A missing file is not refused
/// here (the reader reports it). Never throws; opens nothing (only stat()s paths).
std::string source_refusal(const std::string& source, const SourcePolicy& policy);

/// While alive, GDAL's curl-based virtual file systems (/vsicurl/ and those built on it:
/// /vsis3/, /vsigs/, /vsiaz/, /vsiadls/, /vsioss/, /vsiswift/, /vsiwebhdfs/) refuse every file on
/// this thread, so a local file that points GDAL at them (an OGR or raster VRT) cannot reach the
/// network either. Does nothing when `allow_network`. (Drivers that fetch http:// themselves,
/// such as GeoJSON or WFS, are not covered.)
class NetworkFileSystemBlock {
 public:
  explicit NetworkFileSystemBlock(bool allow_network);
  ~NetworkFileSystemBlock();
  NetworkFileSystemBlock(const NetworkFileSystemBlock&) = delete;
  NetworkFileSystemBlock& operator=(const NetworkFileSystemBlock&) = delete;

 private:
  bool m_active = false;
  bool m_had_old = false;
  std::string m_old;
};

}  // namespace kepumap::io
