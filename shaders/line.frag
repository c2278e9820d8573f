#version 330 core
in vec4 v_colour;
in float v_side_px;
in float v_half_width;
in float v_dist_px;
uniform float u_opacity;
uniform vec4 u_override;   // alpha > 0: draw this colour instead
uniform float u_dash;      // dash length in pixels; 0 = solid
out vec4 o_colour;
void main() {
  vec4 c = u_override.a > 0.0 ? u_override : v_colour;
  float edge = clamp(v_half_width + 0.5 - abs(v_side_px), 0.0, 1.0);
  if (u_dash > 0.0 && mod(v_dist_px, 2.0 * u_dash) > u_dash) discard;
  o_colour = vec4(c.rgb, c.a * u_opacity * edge);
  if (o_colour.a <= 0.0) discard;
}
