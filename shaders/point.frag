#version 330 core
// Symbol shapes from a signed distance: 0 circle, 1 square, 2 triangle, 3 diamond, 4 star,
// 5 cross. Outline of u_outline_px in u_outline colour.
in vec4 v_colour;
uniform int u_symbol;
uniform float u_size;
uniform vec4 u_outline;
uniform float u_opacity;
uniform vec4 u_override;
out vec4 o_colour;

float sd_polygon_star(vec2 p, float r, float n, float inner) {
  float a = atan(p.x, p.y);
  float seg = 6.2831853 / n;
  float k = mod(a + seg * 0.5, seg) - seg * 0.5;
  vec2 q = length(p) * vec2(cos(k), abs(sin(k)));
  vec2 a0 = vec2(r, 0.0);
  vec2 a1 = inner * r * vec2(cos(seg * 0.5), sin(seg * 0.5));
  vec2 e = a1 - a0;
  vec2 w = q - a0;
  float t = clamp(dot(w, e) / dot(e, e), 0.0, 1.0);
  float d = length(w - e * t);
  float side = e.x * w.y - e.y * w.x;
  return side > 0.0 ? d : -d;
}

void main() {
  float half_px = 0.5 * (u_size + 2.0);
  vec2 p = (gl_PointCoord - 0.5) * 2.0 * half_px;   // pixels from the centre, y down
  p.y = -p.y;
  float r = 0.5 * u_size;
  float d;
  if (u_symbol == 1) {
    vec2 q = abs(p) - vec2(r * 0.85);
    d = max(q.x, q.y);
  } else if (u_symbol == 2) {
    vec2 q = vec2(p.x, p.y + r * 0.25);
    d = max(abs(q.x) * 0.866 + q.y * 0.5, -q.y) - r * 0.5;
  } else if (u_symbol == 3) {
    d = (abs(p.x) + abs(p.y)) * 0.7071 - r * 0.75;
  } else if (u_symbol == 4) {
    d = sd_polygon_star(p, r, 5.0, 0.45);
  } else if (u_symbol == 5) {
    vec2 q = abs(p);
    d = min(max(q.x - r, q.y - r * 0.3), max(q.y - r, q.x - r * 0.3));
  } else {
    d = length(p) - r;
  }
  vec4 fill = u_override.a > 0.0 ? u_override : v_colour;
  float inside = clamp(0.5 - d, 0.0, 1.0);
  if (inside <= 0.0) discard;
  float ring = clamp(d + 1.5, 0.0, 1.0);   // the outer 1.5 pixels are the outline
  vec4 c = mix(fill, u_outline, ring * u_outline.a);
  o_colour = vec4(c.rgb, inside * u_opacity * max(c.a, fill.a));
}
