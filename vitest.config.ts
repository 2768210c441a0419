import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["training/**/*.test.ts", "src/**/*.test.ts", "db/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: tests that train models must not fight each other for them.
    fileParallelism: false,
  },
});
