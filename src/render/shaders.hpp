#pragma once
// GLSL sources from shaders/, embedded into the binary at configure time.
#include <string_view>

namespace kepumap::render {
/// Source of shaders/<name> (e.g. "fill.vert"); empty if there is no such file.
std::string_view shader_source(std::string_view name);
}  // namespace kepumap::render
