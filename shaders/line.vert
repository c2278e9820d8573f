#version 330 core
// Wide lines: each segment is a quad extruded in screen space. a_corner.x = 0 at the segment
// start, 1 at its end; a_corner.y = -1 / +1 for the two sides.
layout(location = 0) in vec2 a_p0;
layout(location = 1) in vec2 a_p1;
layout(location = 2) in vec2 a_corner;
layout(location = 3) in vec4 a_colour;
layout(location = 4) in float a_width;    // pixels; < 0: use u_width
layout(location = 5) in float a_dist0;    // metres along the line at the segment start
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform vec2 u_viewport;    // pixels
uniform float u_width;      // pixels, used when a_width < 0
uniform float u_m_per_px;
out vec4 v_colour;
out float v_side_px;        // signed distance from the centre line, pixels
out float v_half_width;
out float v_dist_px;        // distance along the line, pixels
void main() {
  vec2 s0 = (a_p0 + u_offset) * u_scale * 0.5 * u_viewport;
  vec2 s1 = (a_p1 + u_offset) * u_scale * 0.5 * u_viewport;
  vec2 d = s1 - s0;
  float len = length(d);
  vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
  vec2 nrm = vec2(-dir.y, dir.x);
  float w = a_width < 0.0 ? u_width : a_width;
  float hw = 0.5 * w + 1.0;   // one extra pixel for the antialiased edge
  vec2 s = mix(s0, s1, a_corner.x) + nrm * a_corner.y * hw + dir * (a_corner.x * 2.0 - 1.0) * 0.5 * w;
  gl_Position = vec4(s / (0.5 * u_viewport), 0.0, 1.0);
  v_colour = a_colour;
  v_side_px = a_corner.y * hw;
  v_half_width = 0.5 * w;
  v_dist_px = a_dist0 / u_m_per_px + a_corner.x * len;
}
