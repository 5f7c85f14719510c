package templating

// defaultRenderer is the engine Render uses; nil until
// app/templating/render is wired in.
var defaultRenderer Renderer
