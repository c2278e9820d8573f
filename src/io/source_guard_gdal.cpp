// The GDAL half of io/source_guard.hpp (kept apart so the fuzz target of the project reader
// compiles source_guard.cpp without GDAL).
#include <cpl_conv.h>

#include "io/source_guard.hpp"

namespace kepumap::io {

namespace {
// CPL_VSIL_CURL_ALLOWED_FILENAME: the only file the curl-based file systems will open; no
// URL is named like this.
constexpr const char* k_allowed_key = "CPL_VSIL_CURL_ALLOWED_FILENAME";
constexpr const char* k_no_file = "/kepumap/network-sources-are-not-allowed";
}  // namespace

NetworkFileSystemBlock::NetworkFileSystemBlock(bool allow_network) : m_active(!allow_network) {
  if (!m_active) return;
  if (const char* old = CPLGetThreadLocalConfigOption(k_allowed_key, nullptr)) {
    m_had_old = true;
    m_old = old;
  }
  CPLSetThreadLocalConfigOption(k_allowed_key, k_no_file);
}

NetworkFileSystemBlock::~NetworkFileSystemBlock() {
  if (m_active) CPLSetThreadLocalConfigOption(k_allowed_key, m_had_old ? m_old.c_str() : nullptr);
}

}  // namespace kepumap::io
