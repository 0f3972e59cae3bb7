/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// Served at /console/ by the local stack (and by CloudFront later), on the API's own origin.
export default defineConfig({
  base: "/console/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // scripts/first-load-size.mjs reads the entry and its static imports from the manifest.
    manifest: true,
    target: "es2022",
  },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
