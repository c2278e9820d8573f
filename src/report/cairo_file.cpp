#include "report/cairo_file.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <stdexcept>
#include <utility>

#include "core/atomic_file.hpp"

namespace kepumap::report {

namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

CairoFile::CairoFile(std::filesystem::path path, double w_pt, double h_pt) : m_path(std::move(path)) {
  const std::string ext = m_path.extension().string();
  if (ext == ".pdf")
    m_surface = cairo_pdf_surface_create_for_stream(append, &m_bytes, w_pt, h_pt);
  else if (ext == ".svg")
    m_surface = cairo_svg_surface_create_for_stream(append, &m_bytes, w_pt, h_pt);
  else
    throw std::runtime_error(m_path.string() + ": not a vector format '" + ext + "' (use .pdf or .svg)");
  if (cairo_surface_status(m_surface) != CAIRO_STATUS_SUCCESS) {
    const std::string why = cairo_status_to_string(cairo_surface_status(m_surface));
    cairo_surface_destroy(m_surface);
    m_surface = nullptr;
    throw std::runtime_error(m_path.string() + ": cannot create the drawing: " + why);
  }
}

CairoFile::~CairoFile() {
  if (m_surface) cairo_surface_destroy(m_surface);
}

std::string CairoFile::finish() {
  cairo_surface_finish(m_surface);
  const cairo_status_t st = cairo_surface_status(m_surface);
  if (st != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(m_path.string() + ": drawing failed: " + cairo_status_to_string(st));
  return std::move(m_bytes);
}

void CairoFile::save() { save_bytes(m_path, finish()); }

void save_png(cairo_surface_t* image, const std::filesystem::path& path) {
  std::string bytes;
  cairo_surface_flush(image);
  cairo_status_t st = cairo_surface_status(image);
  if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_write_to_png_stream(image, append, &bytes);
  if (st != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(path.string() + ": cannot encode the PNG image: " + cairo_status_to_string(st));
  save_bytes(path, bytes);
}

void save_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::string why;
  if (!core::write_file_atomic(path, bytes, &why))
    throw std::runtime_error(path.string() + ": cannot write (无法写入): " + why);
}

}  // namespace kepumap::report
