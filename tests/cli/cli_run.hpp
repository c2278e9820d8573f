#pragma once
// Runs the kepumap binary with arguments and captures its exit code, stdout and stderr.
#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "test_paths.hpp"

namespace kepumap::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// The whole content of a file ("" if it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The number right after `label` in `text`, or -1 if `label` does not occur.
inline double number_after(const std::string& text, const std::string& label) {
  const auto p = text.find(label);
  if (p == std::string::npos) return -1;
  return std::stod(text.substr(p + label.size()));
}

/// Single-quotes an argument for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs `kepumap <args>`; `args` are already quoted where needed (use shell_quote). With
/// `timeout_s` > 0 the run is killed after that many seconds (exit code 124 or 137), so a test of
/// something that could hang fails instead of hanging.
inline RunResult run_kepumap(const std::string& args, int timeout_s = 0) {
  static int counter = 0;
  const auto err_file =
      std::filesystem::temp_directory_path() /
      ("kepumap-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".err");
  const std::string limit = timeout_s > 0 ? "timeout -k 5 " + std::to_string(timeout_s) + " " : "";
  const std::string cmd = limit + shell_quote((binary_dir() / "src/app/kepumap").string()) + " " + args +
                          " 2>" + shell_quote(err_file.string());
  RunResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  std::error_code ec;
  std::filesystem::remove(err_file, ec);
  return r;
}

/// Number of lines in `s` (a final line without newline counts).
inline std::size_t line_count(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n + (!s.empty() && s.back() != '\n');
}

}  // namespace kepumap::test
