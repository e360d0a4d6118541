/**
 * `npm run build`: the CLI as shipped: one ESM bundle of src/ and its dependencies in dist/cli/
 * (main.mjs plus chunks for what loads lazily), built with esbuild. Loading one bundle instead of
 * ~400 modules (each resolved, read and type-stripped) halves start-up; bin/tollgate.js runs it
 * when src/ is absent, or from a checkout with TOLLGATE_FROM_DIST=1 (benchmarks, release checks).
 * Kept outside the bundle: optional plug-ins the CycloneDX library probes for with require()
 * (XML and JSON-schema validators; the writer needs neither), so their absence stays graceful.
 *   node tools/build.ts [--outdir DIR]
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** CommonJS dependencies inside an ESM bundle still call require() and read __dirname. */
const BANNER = [
  "import { createRequire as __tollgateCreateRequire } from 'node:module';",
  "import { dirname as __tollgateDirname } from 'node:path';",
  "import { fileURLToPath as __tollgateFileURLToPath } from 'node:url';",
  'const require = __tollgateCreateRequire(import.meta.url);',
  'const __filename = __tollgateFileURLToPath(import.meta.url);',
  'const __dirname = __tollgateDirname(__filename);',
].join('\n');

export const OPTIONAL_PLUGINS = ['ajv', 'ajv-formats', 'ajv-formats-draft2019', 'libxmljs2', 'xmlbuilder2'];

export async function buildCli(out: string): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const result = await build({
    entryPoints: { main: `${ROOT}src/cli/main.ts` },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    outdir: out,
    outExtension: { '.js': '.mjs' },
    banner: { js: BANNER },
    external: OPTIONAL_PLUGINS,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  process.stderr.write(`build: ${String(Object.keys(result.metafile.outputs).length)} files, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${out}\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  await buildCli(values.outdir ?? `${ROOT}dist/cli`);
}
