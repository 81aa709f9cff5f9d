// Placeholder entry: replaced by the Electron shell.
export {};
