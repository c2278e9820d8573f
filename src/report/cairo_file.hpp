#pragma once
// Cairo output into memory, written to its file with core::write_file_atomic: a PDF or SVG
// surface streams into a buffer and a PNG is encoded into one, so every figure reaches the disk
// the one way (temporary beside the target, flushed, renamed) with the real reason when it fails.
#include <cairo.h>

#include <filesystem>
#include <string>

namespace kepumap::report {

/// A vector surface (PDF or SVG by `path`'s extension) of `w_pt` × `h_pt` points whose bytes
/// collect in memory until save().
class CairoFile {
 public:
  /// `path`: .pdf or .svg; `w_pt`, `h_pt`: the page in points.
  CairoFile(std::filesystem::path path, double w_pt, double h_pt);
  ~CairoFile();
  CairoFile(const CairoFile&) = delete;
  CairoFile& operator=(const CairoFile&) = delete;

  cairo_surface_t* surface() const { return m_surface; }
  /// Finishes the surface and writes the file; throws std::runtime_error with one line
  /// ("<file>: cannot write (无法写入): <reason>") when it cannot.
  void save();
  /// Finishes the drawing and returns the file's bytes without writing them (to edit first,
  /// then save_bytes); throws like save().
  std::string finish();

 private:
  std::filesystem::path m_path;
  std::string m_bytes;
  cairo_surface_t* m_surface = nullptr;
};

/// Encodes an image surface as PNG and writes it to `path` atomically; throws like save().
void save_png(cairo_surface_t* image, const std::filesystem::path& path);

/// Writes `bytes` to `path` atomically; throws std::runtime_error with one line when it cannot.
void save_bytes(const std::filesystem::path& path, const std::string& bytes);

}  // namespace kepumap::report
