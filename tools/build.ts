/**
 * `npm run build`: the CLI as shipped: one CommonJS bundle of src/ and its dependencies,
 * dist/cli/main.cjs, built with esbuild, beside main.cjs.sha256 (its digest: what bin/code-cache.js
 * keys V8 code caches by). Loading one bundle instead of ~400 modules (each resolved, read and
 * type-stripped) halves start-up; bin/tollgate.js runs it when src/ is absent, or from a checkout with
 * TOLLGATE_FROM_DIST=1 (benchmarks, release checks). CommonJS, not ES modules, because a script can be
 * given a V8 code cache made after a run (vm.Script + createCachedData), which holds every function
 * the run compiled; Node's own compile cache for modules is made before they run and misses them
 * (docs/decisions/0001-node24-ts-imports.md, session 7).
 * Kept outside the bundle: optional plug-ins the CycloneDX library probes for with require()
 * (XML and JSON-schema validators; the writer needs neither), so their absence stays graceful.
 *   node tools/build.ts [--outdir DIR]
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { bundlePatches } from './bundle-patches.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The sources' `import.meta.url` (package.json, the shipped Sigstore root) as the bundle's own URL. */
// "use strict" first: after the banner, esbuild's own directive would be a plain expression (the
// sources are ES modules, strict throughout).
const BANNER = `'use strict';\nconst __tollgateImportMetaUrl = require('node:url').pathToFileURL(__filename).href;`;

export const OPTIONAL_PLUGINS = ['ajv', 'ajv-formats', 'ajv-formats-draft2019', 'libxmljs2', 'xmlbuilder2'];

export async function buildCli(out: string): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const outfile = join(out, 'main.cjs');
  const patches = bundlePatches();
  const result = await build({
    entryPoints: [`${ROOT}src/cli/main.ts`],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    outfile,
    // Whitespace and comments out (names kept, so stacks still name functions; main.cjs.map maps
    // them back): a third smaller file to read and, comments being where the non-ASCII characters
    // were, a one-byte string to V8. Measured: ~20 ms off every run's start-up.
    minifyWhitespace: true,
    define: { 'import.meta.url': '__tollgateImportMetaUrl' },
    banner: { js: BANNER },
    external: OPTIONAL_PLUGINS,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
    plugins: [patches.plugin],
  });
  const unapplied = patches.unapplied();
  if (unapplied.length > 0) throw new Error(`build: bundle patches out of date (tools/bundle-patches.ts):\n  ${unapplied.join('\n  ')}`);
  writeFileSync(`${outfile}.sha256`, `${createHash('sha256').update(readFileSync(outfile)).digest('hex')}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  process.stderr.write(`build: ${String(Object.keys(result.metafile.outputs).length)} files, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${out}\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  await buildCli(values.outdir ?? `${ROOT}dist/cli`);
}
