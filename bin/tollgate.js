#!/usr/bin/env node
// From a git checkout (src/ present) it runs the TypeScript sources on Node 24's type stripping, so a
// stale dist/ never shadows them; the published package ships dist/ (the esbuild bundle of
// tools/build.ts) only and runs that.
import { existsSync } from 'node:fs';
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`tollgate needs Node.js 24 or newer (this is ${process.version}); run it through npm scripts or install Node 24\n`);
  process.exit(7);
}
// V8's compile cache (in the OS temp folder unless NODE_COMPILE_CACHE says otherwise) cuts start-up
// from ~1.5 s to ~0.5 s when running from source.
module.enableCompileCache?.();
const source = new URL('../src/cli/main.ts', import.meta.url);
// TOLLGATE_FROM_DIST=1 runs the built bundle (npm run build) from a checkout: benchmarks, release checks.
const entry = existsSync(source) && process.env.TOLLGATE_FROM_DIST !== '1' ? source : new URL('../dist/cli/main.mjs', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
