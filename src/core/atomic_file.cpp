#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <system_error>
#include <utility>

namespace kepumap::core {

namespace fs = std::filesystem;

namespace {

std::atomic<unsigned> g_counter{0};

/// Files GDAL and SQLite may put beside a file they write.
constexpr const char* k_side_suffixes[] = {"-journal", "-wal", "-shm", ".aux.xml"};

bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) == 0) return true;
  return errno == EPERM;
}

/// Removes the temporaries in `dir` of processes that have ended, and with `own` this process's
/// too (its id on a leftover then belonged to an earlier process).
std::size_t remove_temps(const fs::path& dir, bool own) {
  std::size_t removed = 0;
  std::error_code ec;
  std::set<fs::path> stale;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    long pid = 0;
    if (!is_temp_name(it->path().filename().string(), &pid)) continue;
    if (pid == static_cast<long>(::getpid()) ? !own : process_alive(pid)) continue;
    std::error_code rec;
    if (it->is_regular_file(rec)) stale.insert(it->path());
  }
  for (const auto& p : stale) {
    std::error_code rec;
    if (fs::remove(p, rec)) ++removed;
  }
  return removed;
}

/// Before each new temporary: removes the leftovers of ended processes in its folder, and the
/// first time this process writes there, those bearing its own id.
void clean_folder(const fs::path& dir) {
  static std::mutex mutex;
  static std::set<fs::path> seen;
  const fs::path d = dir.empty() ? fs::path(".") : dir;
  std::error_code ec;
  fs::path key = fs::weakly_canonical(d, ec);
  if (ec) key = d;
  std::lock_guard<std::mutex> lock(mutex);
  remove_temps(d, seen.insert(key).second);
}

void remove_with_side_files(const fs::path& p) {
  std::error_code ec;
  fs::remove(p, ec);
  for (const char* s : k_side_suffixes) {
    fs::path side = p;
    side += s;
    fs::remove(side, ec);
  }
}

/// fsync of a file or folder by path; 0 or the errno.
int sync_path(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return errno;
  int err = 0;
  if (::fsync(fd) != 0) err = errno;
  ::close(fd);
  // Some file systems cannot fsync a folder; that is not a failure of the write.
  if (directory && (err == EINVAL || err == EBADF)) err = 0;
  return err;
}

std::string reason_or(const fs::path& file, int err) {
  std::string r = write_failure(file, err);
  if (r.empty()) r = std::strerror(err);
  return r;
}

}  // namespace

bool is_temp_name(const std::string& name, long* pid) {
  const auto at = name.find(kTempMarker);
  if (at == std::string::npos) return false;
  std::size_t i = at + std::strlen(kTempMarker);
  const std::size_t digits = i;
  long v = 0;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9' && i - digits < 10)
    v = v * 10 + (name[i++] - '0');
  if (i == digits || i >= name.size() || name[i] != '-') return false;
  const std::size_t n = ++i;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
  if (i == n) return false;
  if (pid) *pid = v;
  return true;
}

std::size_t remove_stale_temps(const fs::path& dir) { return remove_temps(dir, false); }

std::string write_failure(const fs::path& file, int err) {
  if (err == ENOSPC || err == EDQUOT) return "no space left on the device (磁盘空间不足)";
  if (err == EROFS) return "the folder is on a read-only file system (只读，无法写入)";
  if (err == EACCES || err == EPERM) return "no permission to write in the folder (没有写入权限)";
  fs::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) == 0) {
    if (st.f_flag & ST_RDONLY) return write_failure(file, EROFS);
    if (::access(dir.c_str(), W_OK) != 0 && (errno == EACCES || errno == EROFS || errno == EPERM))
      return write_failure(file, errno);
    // A write that failed on a nearly full file system failed for the space (libraries do not
    // always pass ENOSPC on). This runs while the failed temporary still takes its room.
    const unsigned long long avail = static_cast<unsigned long long>(st.f_bavail) * st.f_frsize;
    if (avail < (1ull << 20)) return write_failure(file, ENOSPC);
  }
  return {};
}

TempFile::TempFile(fs::path target) : m_target(std::move(target)) {
  clean_folder(m_target.parent_path());
  const std::string name = m_target.stem().string() + kTempMarker + std::to_string(::getpid()) + "-" +
                           std::to_string(++g_counter) + m_target.extension().string();
  m_path = m_target.parent_path() / name;
}

TempFile::~TempFile() {
  if (!m_done) remove_with_side_files(m_path);
}

void TempFile::discard() {
  if (m_done) return;
  remove_with_side_files(m_path);
  m_done = true;
}

std::string TempFile::commit() {
  if (m_done) return "the temporary file was already used";
  if (int err = sync_path(m_path, false); err != 0) {
    std::string r = reason_or(m_target, err);
    discard();
    return r;
  }
  if (::rename(m_path.c_str(), m_target.c_str()) != 0) {
    std::string r = reason_or(m_target, errno);
    discard();
    return "cannot move the written file into place: " + r;
  }
  m_done = true;
  // Side files of the temporary's name are no use once it is renamed.
  for (const char* s : k_side_suffixes) {
    fs::path side = m_path;
    side += s;
    std::error_code ec;
    fs::remove(side, ec);
  }
  const fs::path dir = m_target.parent_path().empty() ? fs::path(".") : m_target.parent_path();
  if (int err = sync_path(dir, true); err != 0) return reason_or(m_target, err);
  return {};
}

bool write_file_atomic(const fs::path& file, const std::string& bytes, std::string* why) {
  auto fail = [&](std::string r) {
    if (why) *why = std::move(r);
    return false;
  };
  std::error_code ec;
  if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
  TempFile tmp(file);
  const int fd = ::open(tmp.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return fail(reason_or(file, errno));
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      std::string r = reason_or(file, err);
      ::close(fd);
      return fail(r);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return fail(reason_or(file, errno));
  if (std::string r = tmp.commit(); !r.empty()) return fail(r);
  return true;
}

}  // namespace kepumap::core
