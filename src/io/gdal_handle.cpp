#include "io/gdal_handle.hpp"

#include <mutex>

namespace kepumap::io::detail {

void ensure_gdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

ErrorCapture::ErrorCapture() { CPLPushErrorHandlerEx(&ErrorCapture::handler, this); }

ErrorCapture::~ErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL ErrorCapture::handler(CPLErr level, CPLErrorNum, const char* msg) {
  auto* self = static_cast<ErrorCapture*>(CPLGetErrorHandlerUserData());
  if (self && level != CE_Debug && level != CE_None) self->m_messages.push_back({level, msg ? msg : ""});
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
