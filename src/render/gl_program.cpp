#include "render/gl_program.hpp"

#include <glad/gl.h>

#include "render/shaders.hpp"

namespace kepumap::render {

namespace {

GLuint compile(GLenum type, std::string_view name, std::string& error) {
  std::string_view src = shader_source(name);
  if (src.empty()) {
    error = "shader " + std::string(name) + " missing";
    return 0;
  }
  GLuint s = glCreateShader(type);
  const char* p = src.data();
  GLint len = static_cast<GLint>(src.size());
  glShaderSource(s, 1, &p, &len);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    error = "shader " + std::string(name) + ": " + log;
    glDeleteShader(s);
    return 0;
  }
  return s;
}

}  // namespace

GLuint link_program(std::string_view vs, std::string_view fs, std::string& error) {
  GLuint v = compile(GL_VERTEX_SHADER, vs, error);
  if (!v) return 0;
  GLuint f = compile(GL_FRAGMENT_SHADER, fs, error);
  if (!f) {
    glDeleteShader(v);
    return 0;
  }
  GLuint p = glCreateProgram();
  glAttachShader(p, v);
  glAttachShader(p, f);
  glLinkProgram(p);
  glDeleteShader(v);
  glDeleteShader(f);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetProgramInfoLog(p, sizeof log, nullptr, log);
    error = "program " + std::string(vs) + "+" + std::string(fs) + ": " + log;
    glDeleteProgram(p);
    return 0;
  }
  return p;
}

}  // namespace kepumap::render
