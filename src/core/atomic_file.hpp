#pragma once
// Writing files so that nothing the user had is lost. Every writer (text and CSV, cairo, GDAL,
// libxlsxwriter) writes to a temporary file beside its target, named so that nobody takes it for
// an output ("coverage.kepumap-tmp-4711-3.gpkg": process id and a counter, so runs in parallel
// never share one), flushes it to the disk and renames it over the target (atomic on one file
// system). A run killed at any moment leaves the old file or the new one, never half a file; the
// temporaries a killed run left are removed the next time kepumap writes in the folder (never
// those of a run that is still alive).
#include <filesystem>
#include <string>

namespace kepumap::core {

/// The marker in every temporary's name: "<stem>.kepumap-tmp-<pid>-<n><extension>".
inline constexpr const char* kTempMarker = ".kepumap-tmp-";

/// True when the file name `name` is a kepumap temporary (or a file beside one, such as SQLite's
/// "-journal"); `pid` receives the process that made it.
bool is_temp_name(const std::string& name, long* pid = nullptr);

/// Removes the kepumap temporaries in `dir` whose process has ended; returns how many. Each new
/// TempFile does this in its folder, so a killed run's leftovers go with the next write there.
std::size_t remove_stale_temps(const std::filesystem::path& dir);

/// Why writing in the folder of `file` failed, in plain words ("no space left on the device",
/// "the folder is read-only", ...): from `err` (an errno value) when it names one of those, else
/// from the folder's file system (full, read-only, not writable). "" when neither tells.
std::string write_failure(const std::filesystem::path& file, int err = 0);

/// A temporary file beside `target` that becomes `target` on commit(). Not committed, it is
/// removed (with any SQLite or GDAL side files of its name) when destroyed.
class TempFile {
 public:
  /// Picks a new temporary name beside `target` (same extension: GDAL drivers choose by it); the
  /// folder must exist. Nothing is created yet.
  explicit TempFile(std::filesystem::path target);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  /// Where to write.
  const std::filesystem::path& path() const { return m_path; }
  /// What it becomes.
  const std::filesystem::path& target() const { return m_target; }

  /// Flushes the written temporary to the disk, renames it over the target and flushes the
  /// folder. "" when done; else one line's reason (the temporary is then removed).
  std::string commit();
  /// Removes the temporary and its side files now.
  void discard();

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_path;
  bool m_done = false;
};

/// Writes `bytes` to `file` through a TempFile (the folder is created if needed). False (with
/// the reason in `why` if given, and no temporary left behind) when it cannot be written.
bool write_file_atomic(const std::filesystem::path& file, const std::string& bytes,
                       std::string* why = nullptr);

}  // namespace kepumap::core
