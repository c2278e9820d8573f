#pragma once
// Linking the GLSL programs of shaders/ (embedded). Needs a current GL context.
#include <string>
#include <string_view>

namespace kepumap::render {

/// Compiles and links shaders/<vs> and shaders/<fs>; 0 with `error` set when that fails.
unsigned link_program(std::string_view vs, std::string_view fs, std::string& error);

}  // namespace kepumap::render
