#version 330 core
// The window's panels drawn into a texture (premultiplied alpha), over the window.
in vec2 v_uv;
uniform sampler2D u_ui;
out vec4 o_colour;
void main() {
  o_colour = texture(u_ui, v_uv);
}
