#!/usr/bin/env node
// From a git checkout (src/ present) it runs the TypeScript sources on Node 24's type stripping, so a
// stale dist/ never shadows them; the published package ships dist/ (the esbuild bundle of
// tools/build.ts) only and runs that, with a code cache of its own (code-cache.js).
import { existsSync } from 'node:fs';
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`tollgate needs Node.js 24 or newer (this is ${process.version}); run it through npm scripts or install Node 24\n`);
  process.exit(7);
}
const argv = process.argv.slice(2);
const source = new URL('../src/cli/main.ts', import.meta.url);
// TOLLGATE_FROM_DIST=1 runs the built bundle (npm run build) from a checkout: benchmarks, release checks.
if (existsSync(source) && process.env.TOLLGATE_FROM_DIST !== '1') {
  // V8's compile cache (in the OS temp folder unless NODE_COMPILE_CACHE says otherwise) cuts start-up
  // from ~1.5 s to ~0.5 s when running from source.
  module.enableCompileCache?.();
  const { main } = await import(source.href);
  process.exitCode = await main(argv);
} else {
  const { loadBundle } = await import('./code-cache.js');
  const { exports } = loadBundle(new URL('../dist/cli/main.cjs', import.meta.url).pathname, argv);
  process.exitCode = await exports.main(argv);
}
