import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{config,testing,db,src,training,scripts}/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: tests that train models must not fight each other for them.
    fileParallelism: false,
  },
});
