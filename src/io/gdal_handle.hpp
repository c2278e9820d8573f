#pragma once
// Internal to io: GDAL objects owned by unique_ptr with custom deleters, GDAL error capture,
// and one-time driver registration. Nothing here may appear in a public io header.
#include <memory>
#include <string>
#include <vector>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

namespace kepumap::io::detail {

struct DatasetDeleter {
  void operator()(GDALDataset* ds) const noexcept {
    if (ds) GDALClose(GDALDataset::ToHandle(ds));
  }
};
/// An open GDAL dataset, closed (and flushed) when the pointer goes.
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetDeleter>;

struct FeatureDeleter {
  void operator()(OGRFeature* f) const noexcept { OGRFeature::DestroyFeature(f); }
};
/// A feature returned by OGRLayer::GetNextFeature (owned by the caller).
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

struct GeometryDeleter {
  void operator()(OGRGeometry* g) const noexcept { OGRGeometryFactory::destroyGeometry(g); }
};
/// A geometry we own (e.g. the linear approximation of a curve).
using GeometryPtr = std::unique_ptr<OGRGeometry, GeometryDeleter>;

struct SrsDeleter {
  void operator()(OGRSpatialReference* s) const noexcept {
    if (s) s->Release();
  }
};
/// A reference-counted spatial reference we hold one reference to.
using SrsPtr = std::unique_ptr<OGRSpatialReference, SrsDeleter>;

struct CplFree {
  void operator()(void* p) const noexcept { CPLFree(p); }
};
/// A string GDAL allocated with CPLMalloc (exportToWkt and friends).
using CplString = std::unique_ptr<char, CplFree>;

/// A short human name for a spatial reference: "EPSG:4490 China Geodetic Coordinate System 2000",
/// its own name, or (unnamed custom CRS) geo::crs_short_name of its PROJ string.
std::string srs_display_name(const OGRSpatialReference& srs);

/// Registers every GDAL driver once (thread-safe).
void ensure_gdal();

/// Collects GDAL's error messages while in scope instead of printing them (per thread).
class ErrorCapture {
 public:
  struct Message {
    CPLErr level;
    std::string text;
  };
  ErrorCapture();
  ~ErrorCapture();
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;

  const std::vector<Message>& messages() const { return m_messages; }
  /// Number of CE_Failure / CE_Fatal messages so far.
  std::size_t failures() const;
  /// The last failure message, or the last message of any level, or "".
  std::string last_failure() const;

 private:
  static void CPL_STDCALL handler(CPLErr level, CPLErrorNum num, const char* msg);
  std::vector<Message> m_messages;
};

/// A GDAL open-options / creation-options list (NULL-terminated char* array) built from strings.
class StringList {
 public:
  StringList() = default;
  explicit StringList(std::vector<std::string> items) : m_items(std::move(items)) { rebuild(); }
  void add(std::string item) {
    m_items.push_back(std::move(item));
    rebuild();
  }
  char** get() { return m_items.empty() ? nullptr : m_ptrs.data(); }

 private:
  void rebuild() {
    m_ptrs.clear();
    for (auto& s : m_items) m_ptrs.push_back(s.data());
    m_ptrs.push_back(nullptr);
  }
  std::vector<std::string> m_items;
  std::vector<char*> m_ptrs;
};

}  // namespace kepumap::io::detail
