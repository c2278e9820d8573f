#version 330 core
// Polygon fill: positions in metres relative to the layer origin, per-vertex colour.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_colour;
uniform vec2 u_offset;   // layer origin minus view centre, metres
uniform vec2 u_scale;    // metres -> normalised device coordinates
out vec4 v_colour;
void main() {
  gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0);
  v_colour = a_colour;
}
