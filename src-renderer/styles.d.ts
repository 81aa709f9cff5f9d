// The stylesheet is imported for its side effect; Vite bundles it into a <link> (no inline styles for the CSP).
declare module '*.css' {}
