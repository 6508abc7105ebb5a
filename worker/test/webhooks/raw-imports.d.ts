// Vite's `?raw` imports (file contents as a string), used to lint the real wrangler.toml inside the tests.
declare module "*?raw" {
  const content: string;
  export default content;
}
