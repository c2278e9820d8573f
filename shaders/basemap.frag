#version 330 core
// A basemap image (straight alpha) at the basemap's opacity.
in vec2 v_uv;
uniform sampler2D u_tex;
uniform float u_opacity;
out vec4 o_colour;
void main() {
  vec4 c = texture(u_tex, v_uv);
  o_colour = vec4(c.rgb, c.a * u_opacity);
}
