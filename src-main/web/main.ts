// Placeholder entry: replaced by the web host.
export {};
