#version 330 core
// Raster values (R32F) through a colour ramp (256 x 1 RGBA); NaN or <= u_nodata_below is clear.
in vec2 v_uv;
uniform sampler2D u_values;
uniform sampler2D u_ramp;
uniform float u_min;
uniform float u_max;
uniform int u_log;
uniform float u_opacity;
out vec4 o_colour;
void main() {
  float v = texture(u_values, v_uv).r;
  if (isnan(v) || v <= u_min) discard;
  float t = u_log != 0 ? log(1.0 + v - u_min) / log(1.0 + u_max - u_min) : (v - u_min) / (u_max - u_min);
  vec4 c = texture(u_ramp, vec2(clamp(t, 0.0, 1.0), 0.5));
  o_colour = vec4(c.rgb, c.a * u_opacity);
}
