#include "io/gdal_handle.hpp"

#include <mutex>

#include "geo/crs.hpp"

namespace kepumap::io::detail {

void ensure_gdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

std::string srs_display_name(const OGRSpatialReference& srs) {
  const char* auth = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  const char* name = srs.GetName();
  const bool named = name && *name && std::string(name) != "unknown" && std::string(name) != "unnamed";
  if (auth && code) return std::string(auth) + ":" + code + (named ? std::string(" ") + name : std::string{});
  if (named) return name;
  char* proj4 = nullptr;
  std::string out = "custom CRS";
  if (srs.exportToProj4(&proj4) == OGRERR_NONE && proj4 && *proj4) out = geo::crs_short_name(proj4);
  CPLFree(proj4);
  return out;
}

ErrorCapture::ErrorCapture() { CPLPushErrorHandlerEx(&ErrorCapture::handler, this); }

ErrorCapture::~ErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL ErrorCapture::handler(CPLErr level, CPLErrorNum, const char* msg) {
  auto* self = static_cast<ErrorCapture*>(CPLGetErrorHandlerUserData());
  if (!self || level == CE_Debug || level == CE_None) return;
  std::string text = msg ? msg : "";
  for (auto& c : text)
    if (c == '\n' || c == '\r') c = ' ';  // every problem is printed as one line
  self->m_messages.push_back({level, std::move(text)});
}

std::size_t ErrorCapture::failures() const {
  std::size_t n = 0;
  for (const auto& m : m_messages)
    if (m.level == CE_Failure || m.level == CE_Fatal) ++n;
  return n;
}

std::string ErrorCapture::last_failure() const {
  for (auto it = m_messages.rbegin(); it != m_messages.rend(); ++it)
    if (it->level == CE_Failure || it->level == CE_Fatal) return it->text;
  return m_messages.empty() ? std::string{} : m_messages.back().text;
}

}  // namespace kepumap::io::detail
