import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "{core,sdk,proto,plugins-std/*,registry-server}/{src,test}/**/*.test.ts",
      "golden-tests/*.test.ts",
      "examples/plugins/*/test/**/*.test.ts",
    ],
    // Tests spawn real plugin processes; a machine under load needs headroom.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // @actions/workflow-parser imports JSON without import attributes; let vite transform it.
    server: { deps: { inline: [/@actions\//] } },
  },
});
