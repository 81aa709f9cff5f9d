// Placeholder entry: replaced by the Electron preload.
export {};
