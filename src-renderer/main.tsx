// Placeholder: replaced by the renderer.
export {};
