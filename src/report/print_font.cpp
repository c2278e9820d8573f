#include "report/print_font.hpp"

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "core/utf8.hpp"

namespace kepumap::report {

namespace {

cairo_user_data_key_t k_inner_key;

cairo_font_face_t* inner_of(cairo_scaled_font_t* sf) {
  return static_cast<cairo_font_face_t*>(
      cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(sf), &k_inner_key));
}

// The user font works in font units of one em: the inner font is used at size 1.
cairo_status_t outline_init(cairo_scaled_font_t* sf, cairo_t* cr, cairo_font_extents_t* extents) {
  cairo_set_font_face(cr, inner_of(sf));
  cairo_set_font_size(cr, 1.0);
  cairo_font_extents(cr, extents);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t outline_render(cairo_scaled_font_t* sf, unsigned long glyph, cairo_t* cr,
                              cairo_text_extents_t* extents) {
  cairo_set_font_face(cr, inner_of(sf));
  cairo_set_font_size(cr, 1.0);
  cairo_glyph_t g{glyph, 0.0, 0.0};
  cairo_glyph_extents(cr, &g, 1, extents);
  cairo_glyph_path(cr, &g, 1);
  cairo_fill(cr);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t outline_unicode_to_glyph(cairo_scaled_font_t* sf, unsigned long unicode,
                                        unsigned long* glyph) {
  cairo_matrix_t m, ctm;
  cairo_matrix_init_identity(&m);
  cairo_matrix_init_identity(&ctm);
  cairo_font_options_t* opts = cairo_font_options_create();
  cairo_scaled_font_t* inner = cairo_scaled_font_create(inner_of(sf), &m, &ctm, opts);
  std::string utf8;
  core::append_utf8(utf8, static_cast<std::uint32_t>(unicode));
  cairo_glyph_t* glyphs = nullptr;
  int n = 0;
  const cairo_status_t st = cairo_scaled_font_text_to_glyphs(
      inner, 0, 0, utf8.data(), static_cast<int>(utf8.size()), &glyphs, &n, nullptr, nullptr, nullptr);
  *glyph = st == CAIRO_STATUS_SUCCESS && n > 0 ? glyphs[0].index : 0;
  cairo_glyph_free(glyphs);
  cairo_scaled_font_destroy(inner);
  cairo_font_options_destroy(opts);
  return CAIRO_STATUS_SUCCESS;
}

/// One outline face per family and weight, kept for the life of the process.
cairo_font_face_t* outline_face(const char* family, bool bold) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, bool>, cairo_font_face_t*> faces;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& face = faces[{family, bold}];
  if (!face) {
    cairo_font_face_t* inner = cairo_toy_font_face_create(
        family, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    face = cairo_user_font_face_create();
    cairo_font_face_set_user_data(face, &k_inner_key, inner, [](void* p) {
      cairo_font_face_destroy(static_cast<cairo_font_face_t*>(p));
    });
    cairo_user_font_face_set_init_func(face, outline_init);
    cairo_user_font_face_set_render_glyph_func(face, outline_render);
    cairo_user_font_face_set_unicode_to_glyph_func(face, outline_unicode_to_glyph);
  }
  return face;
}

}  // namespace

void select_print_font(cairo_t* cr, const char* family, bool bold) {
  if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_PDF) {
    cairo_set_font_face(cr, outline_face(family, bold));
    return;
  }
  cairo_select_font_face(cr, family, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
}

}  // namespace kepumap::report
