#pragma once
// PNG output of RGBA pixels through Cairo.
#include <cstdint>
#include <string>
#include <vector>

namespace kepumap::ui {
/// Writes w x h RGBA pixels (top row first, straight alpha; written opaque) as a PNG, through a
/// temporary file renamed into place. False with `error` set on failure.
bool write_png(const std::string& path, const std::vector<std::uint8_t>& rgba, int w, int h,
               std::string& error);
}  // namespace kepumap::ui
