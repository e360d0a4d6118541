import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'tools/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default'],
    // podman on these machines needs the lab's containers.conf (tools/setup.sh writes it).
    // NODE_COMPILE_CACHE: CLI processes spawned by tests reuse V8's compiled code (start-up ~3x faster).
    env: {
      CONTAINERS_CONF: fileURLToPath(new URL('./.cache/containers.conf', import.meta.url)),
      NODE_COMPILE_CACHE: fileURLToPath(new URL('./.cache/node-compile-cache', import.meta.url)),
      // the built bundle's code caches (bin/code-cache.js) stay in the project, not in the user's home
      TOLLGATE_CODE_CACHE_DIR: fileURLToPath(new URL('./.cache/tollgate-code-cache', import.meta.url)),
    },
  },
});
