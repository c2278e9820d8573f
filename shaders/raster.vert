#version 330 core
// A raster drawn as one textured quad; a_pos metres relative to the layer origin.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
uniform vec2 u_offset;
uniform vec2 u_scale;
out vec2 v_uv;
void main() {
  gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0);
  v_uv = a_uv;
}
