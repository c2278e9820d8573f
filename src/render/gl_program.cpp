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

void ImageQuad::init() {
  if (m_vao) return;
  glGenVertexArrays(1, &m_vao);
  glGenBuffers(1, &m_vbo);
  glBindVertexArray(m_vao);
  glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
  glBufferData(GL_ARRAY_BUFFER, sizeof(float) * 16, nullptr, GL_DYNAMIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float),
                        reinterpret_cast<void*>(2 * sizeof(float)));
  glBindVertexArray(0);
}

void ImageQuad::release() {
  if (m_vbo) glDeleteBuffers(1, &m_vbo);
  if (m_vao) glDeleteVertexArrays(1, &m_vao);
  m_vbo = m_vao = 0;
}

void ImageQuad::draw(const float xyuv[16]) const {
  glBindVertexArray(m_vao);
  glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
  glBufferSubData(GL_ARRAY_BUFFER, 0, sizeof(float) * 16, xyuv);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
}

}  // namespace kepumap::render
