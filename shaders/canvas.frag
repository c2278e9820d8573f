#version 330 core
// The cached map image as shown (opaque: background, basemaps, layers and what is over them).
// Kept to one texture read: llvmpipe draws such a quad on its fast path.
in vec2 v_uv;
uniform sampler2D u_image;
out vec4 o_colour;
void main() {
  o_colour = texture(u_image, v_uv);
}
