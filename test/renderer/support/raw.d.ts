// Test fixtures read as text through Vite's ?raw import (renderer tests have no node:fs types).
declare module '*?raw' {
  const text: string;
  export default text;
}
