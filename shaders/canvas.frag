#version 330 core
// The cached map image (opaque: background, basemaps and layers drawn into it) with its over
// image on it (analysis surfaces, isolines, labels; premultiplied alpha), in one pass.
in vec2 v_uv;
uniform sampler2D u_image;
uniform sampler2D u_over;
out vec4 o_colour;
void main() {
  vec4 over = texture(u_over, v_uv);
  o_colour = vec4(texture(u_image, v_uv).rgb * (1.0 - over.a) + over.rgb, 1.0);
}
