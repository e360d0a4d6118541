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
 * (XML and JSON-schema validators; the writer needs neither), so their absence stays graceful; and
 * the third-party stacks in VENDOR_BUNDLES, each a bundle of its own (dist/cli/vendor-<name>.cjs)
 * loaded the first time a command needs it, so that the commands that never do (sbom, lint, ref...)
 * do not read and load them at every start.
 *   node tools/build.ts [--outdir DIR]
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { bundlePatches } from './bundle-patches.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The sources' `import.meta.url` (package.json, the shipped Sigstore root) as the bundle's own URL. */
// "use strict" first: after the banner, esbuild's own directive would be a plain expression (the
// sources are ES modules, strict throughout).
const BANNER = `'use strict';\nconst __tollgateImportMetaUrl = require('node:url').pathToFileURL(__filename).href;`;

export const OPTIONAL_PLUGINS = ['ajv', 'ajv-formats', 'ajv-formats-draft2019', 'libxmljs2', 'xmlbuilder2'];

/**
 * A third-party stack shipped as a bundle of its own: the packages src/ imports from it, which must
 * share no module with the rest (a module in both bundles would be two copies, and `instanceof` across
 * them would fail; the build checks).
 */
interface VendorBundle {
  readonly name: string;
  readonly packages: readonly string[];
  readonly why: string;
}

export const VENDOR_BUNDLES: readonly VendorBundle[] = [
  {
    name: 'sigstore',
    packages: ['sigstore', '@sigstore/bundle', '@sigstore/core', '@sigstore/protobuf-specs', '@sigstore/verify'],
    why: 'signing and verification (sigstore-js with TUF and its HTTP stack): 0.8 MB, a third of a single bundle, used only by the trust commands',
  },
  { name: 'yaml', packages: ['yaml'], why: 'YAML (configuration files, CI workflows, Kubernetes objects): 0.17 MB' },
  { name: 'cvss', packages: ['ae-cvss-calculator'], why: 'CVSS vector scoring, for scans only: 0.19 MB' },
];

/** The file a vendor bundle is shipped as, beside main.cjs (bin/code-cache.js loads it when required). */
export const vendorFile = (bundle: VendorBundle): string => `vendor-${bundle.name}.cjs`;

const VENDOR_NAMESPACE = 'tollgate-vendor';

/**
 * In the main bundle, src/'s import of a vendor package becomes `require('./vendor-<name>.cjs')[package]`,
 * resolved at run time by bin/code-cache.js. Only src/'s: a dependency importing one of these
 * packages may want another version of it (its own nested copy), so it keeps what esbuild resolves;
 * were that the vendor bundle's copy, the check after the build fails on the module in both.
 */
function vendorImports(): Plugin {
  const owner = new Map(VENDOR_BUNDLES.flatMap((bundle) => bundle.packages.map((name) => [name, bundle] as const)));
  const sources = join(ROOT, 'src');
  return {
    name: 'tollgate-vendor-imports',
    setup(builder) {
      builder.onResolve({ filter: /^[@a-z]/ }, (args) => (owner.has(args.path) && args.importer.startsWith(sources) ? { path: args.path, namespace: VENDOR_NAMESPACE } : undefined));
      builder.onResolve({ filter: /^\.\/vendor-[a-z0-9-]+\.cjs$/, namespace: VENDOR_NAMESPACE }, (args) => ({ path: args.path, external: true }));
      builder.onLoad({ filter: /.*/, namespace: VENDOR_NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`./${vendorFile(owner.get(args.path) as VendorBundle)}`)})[${JSON.stringify(args.path)}];\n`,
        loader: 'js',
      }));
    },
  };
}

/** A vendor bundle's entry: each package as a property, loaded when first read. */
const vendorEntry = (bundle: VendorBundle): string =>
  `'use strict';\nObject.defineProperties(module.exports, {\n${bundle.packages.map((name) => `  ${JSON.stringify(name)}: { enumerable: true, get: () => require(${JSON.stringify(name)}) },`).join('\n')}\n});\n`;

const COMMON = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node24',
  // Whitespace and comments out (names kept, so stacks still name functions; each bundle's .map maps
  // them back): a third smaller file to read and, comments being where the non-ASCII characters
  // were, a one-byte string to V8. Measured: ~20 ms off every run's start-up.
  minifyWhitespace: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
} as const satisfies BuildOptions;

export async function buildCli(out: string): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const outfile = join(out, 'main.cjs');
  const patches = bundlePatches();
  const main = await build({
    ...COMMON,
    entryPoints: [`${ROOT}src/cli/main.ts`],
    outfile,
    define: { 'import.meta.url': '__tollgateImportMetaUrl' },
    banner: { js: BANNER },
    external: OPTIONAL_PLUGINS,
    plugins: [patches.plugin, vendorImports()],
  });
  const vendors = await Promise.all(
    VENDOR_BUNDLES.map((bundle) =>
      build({
        ...COMMON,
        stdin: { contents: vendorEntry(bundle), resolveDir: ROOT, sourcefile: `tollgate-${vendorFile(bundle)}`, loader: 'js' },
        outfile: join(out, vendorFile(bundle)),
        banner: { js: "'use strict';" },
        external: OPTIONAL_PLUGINS,
        plugins: [patches.plugin],
      }),
    ),
  );
  const unapplied = patches.unapplied();
  if (unapplied.length > 0) throw new Error(`build: bundle patches out of date (tools/bundle-patches.ts):\n  ${unapplied.join('\n  ')}`);
  const shared = sharedModules(main.metafile, vendors.map((v) => v.metafile));
  if (shared.length > 0) throw new Error(`build: modules in both the main bundle and a vendor bundle (tools/build.ts VENDOR_BUNDLES):\n  ${shared.join('\n  ')}`);
  const files = [outfile, ...VENDOR_BUNDLES.map((bundle) => join(out, vendorFile(bundle)))];
  for (const file of files) writeFileSync(`${file}.sha256`, `${createHash('sha256').update(readFileSync(file)).digest('hex')}\n`);
  const outputs = [main, ...vendors].flatMap((result) => Object.values(result.metafile.outputs));
  const bytes = outputs.reduce((sum, o) => sum + o.bytes, 0);
  process.stderr.write(`build: ${String(outputs.length)} files, ${(bytes / 1024 / 1024).toFixed(1)} MB in ${out}\n`);
}

/** Source files bundled both in the main bundle and in a vendor bundle (an empty list is the only good answer). */
export function sharedModules(main: Metafile, vendors: readonly Metafile[]): string[] {
  const inMain = new Set(Object.keys(main.inputs).filter((input) => !input.startsWith(`${VENDOR_NAMESPACE}:`)));
  return [...new Set(vendors.flatMap((vendor) => Object.keys(vendor.inputs).filter((input) => inMain.has(input))))].sort();
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  await buildCli(values.outdir ?? `${ROOT}dist/cli`);
}
