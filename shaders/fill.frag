#version 330 core
in vec4 v_colour;
uniform float u_opacity;
uniform vec4 u_override;  // alpha > 0: draw this colour instead (selection highlight)
out vec4 o_colour;
void main() {
  vec4 c = u_override.a > 0.0 ? u_override : v_colour;
  o_colour = vec4(c.rgb, c.a * u_opacity);
}
