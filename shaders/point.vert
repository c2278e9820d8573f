#version 330 core
// Point symbols as point sprites.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_colour;
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform float u_size;      // pixels
out vec4 v_colour;
void main() {
  gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0);
  gl_PointSize = u_size + 2.0;
  v_colour = a_colour;
}
