import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// The PWA is served by the API Worker as static assets (wrangler.toml [assets] → web/dist), so it always talks
// to its own origin. `vite dev` proxies the API to a local `wrangler dev`.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    target: "es2020", outDir: "dist", emptyOutDir: true, modulePreload: { polyfill: false },
    // Two entries: the onboarding PWA (index.html) and the developer console (console.html, served by the Worker at
    // /console/*). Console code lands in its own chunks, so the onboarding's first screen does not grow.
    rollupOptions: { input: { index: "index.html", console: "console.html" } },
  },
  server: { proxy: { "/api": process.env.API_ORIGIN ?? "http://127.0.0.1:8787" } },
  plugins: [
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      includeAssets: ["icon.svg", "apple-touch-icon.png"],
      manifest: {
        id: "/connect",
        name: "Connect your health data",
        short_name: "Connect",
        description: "Connect your phone's health data to the app you use, and see it arrive.",
        start_url: "/connect",
        scope: "/",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#0b5cad",
        lang: "en",
        icons: [
          { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
      workbox: {
        // The shell (and the lazily loaded QR chunk) is precached so every visited step reloads offline.
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        // Not part of the offline onboarding app: the API reference viewer (5 MB, for operators at /api/v1/docs) and the
        // console (its HTML and chunks).
        globIgnores: ["api-docs/**", "console.html", "assets/console-*", "assets/uPlot*", "assets/webauthn-*"],
        navigateFallback: "/index.html",
        // API calls always go to the network: status must be live, and the app caches what it may show itself.
        navigateFallbackDenylist: [/^\/api\//, /^\/\.well-known\//, /^\/console(\/|$)/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
