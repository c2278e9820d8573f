#version 330 core
// The cached map image: opaque (background, basemaps and layers drawn into it).
in vec2 v_uv;
uniform sampler2D u_image;
out vec4 o_colour;
void main() {
  o_colour = texture(u_image, v_uv);
}
