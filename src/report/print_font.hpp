#pragma once
// Choosing the label font on a Cairo context, with a PDF embedding that renders every glyph.
//
// Debian's cairo 1.16 writes a malformed CFF subset for some glyphs of Noto Sans CJK (如 prints
// blank; Ghostscript draws .notdef). On PDF surfaces the font is therefore embedded through a
// cairo user font that fills each glyph's outline from the same font file: the PDF gets a Type 3
// font with the exact outlines and a ToUnicode map (text stays searchable and copyable). Other
// surfaces (PNG, SVG) use the font directly.
#include <cairo.h>

namespace kepumap::report {

/// Selects `family` (fontconfig name, e.g. "Noto Sans CJK SC"), normal or bold, on `cr`.
void select_print_font(cairo_t* cr, const char* family, bool bold);

}  // namespace kepumap::report
