/**
 * Start-up work some dependencies do when they load, for features tollgate never or rarely uses, taken
 * out of the shipped bundle (tools/build.ts). Every CLI run pays a dependency's load-time work, so
 * each entry here was measured in a run of `tollgate sbom` (docs/decisions/0001-node24-ts-imports.md,
 * session 8). Both kinds check that what they change is still there: a dependency update that moves
 * it fails the build (update or drop the entry) instead of silently losing the change.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * A `require` a module makes at its top level, for code it runs only on rare paths: in the bundle it
 * becomes a stand-in that loads the module on first use (a call, `new`, or reading a property).
 */
interface DeferredRequire {
  /** The requiring module, a path under node_modules (forward slashes). */
  readonly importer: string;
  /** The request exactly as written in it. */
  readonly request: string;
  readonly why: string;
}

export const DEFERRED_REQUIRES: readonly DeferredRequire[] = [
  {
    importer: 'commander/lib/command.js',
    request: 'node:child_process',
    why: 'runs executable sub-commands (tollgate has none); loading it and node:net costs ~4 ms',
  },
  {
    importer: 'sonic-boom/index.js',
    request: 'assert',
    why: 'one assertion when a destination is closed; node:assert costs ~3 ms',
  },
  {
    importer: 'pino/lib/transport.js',
    request: 'thread-stream',
    why: 'pino transports (worker threads); tollgate logs straight to a file descriptor',
  },
];

/** A fixed text change in a dependency's file: `find` must occur exactly once. */
interface SourcePatch {
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  readonly why: string;
}

export const SOURCE_PATCHES: readonly SourcePatch[] = [
  {
    // pino reads isMainThread only for an asynchronous destination (tollgate's is synchronous), but
    // took it from node:worker_threads when it loaded (~3 ms: the worker machinery)
    file: 'pino/lib/tools.js',
    find: "const { isMainThread } = require('worker_threads')\n",
    replace: '\n',
    why: "pino's load-time require of node:worker_threads",
  },
  {
    file: 'pino/lib/tools.js',
    find: 'if (!opts.sync && isMainThread) {',
    replace: "if (!opts.sync && require('worker_threads').isMainThread) {",
    why: 'its one use, on the asynchronous path',
  },
  {
    // make-fetch-happen's fetch (sigstore's TUF client) takes iconv-lite, if present, for one legacy
    // method, Response.textConverted(), which neither sigstore-js nor tollgate calls: 0.5 MB of
    // character-set tables, 38% of the Sigstore bundle, loaded with the HTTP stack. Without it that
    // method throws minipass-fetch's own error asking for iconv-lite.
    file: 'minipass-fetch/lib/body.js',
    find: "  decode = require('iconv-lite').decode\n",
    replace: '  decode = undefined\n',
    why: "minipass-fetch's optional iconv-lite (Response.textConverted only)",
  },
  {
    // The CycloneDX library looks for its optional XML stringifier (xmlbuilder2) when its Serialize
    // module loads, and tollgate writes JSON only: the failed lookup (not shipped) cost ~0.6 ms of every
    // `sbom` run. Looked for on first use instead, with the same answer and error.
    file: '@cyclonedx/cyclonedx-library/dist.node/_optPlug.node/xmlStringify.js',
    find: "exports.default = (0, _wrapper_1.default)('XmlStringifier', [\n    ['xmlbuilder2', () => require('./__xmlStringifiers/xmlbuilder2').default]\n]);",
    replace:
      "let plugged;\nexports.default = function xmlStringify(...args) {\n    plugged ??= (0, _wrapper_1.default)('XmlStringifier', [\n        ['xmlbuilder2', () => require('./__xmlStringifiers/xmlbuilder2').default]\n    ]);\n    return plugged(...args);\n};",
    why: "the CycloneDX library's load-time lookup of its optional XML stringifier",
  },
  {
    // Object.fromEntries with the ~830 lower-cased SPDX ids took ~7 ms at every load (V8 adds the
    // properties one by one); a Map of the same pairs takes ~0.1 ms and answers the same lookups.
    file: '@cyclonedx/cyclonedx-library/dist.node/spdx.js',
    find: 'const spdxLowerToActual = Object.freeze(Object.fromEntries(spdx_SNAPSHOT_schema_json_1.enum.map(spdxId => [spdxId.toLowerCase(), spdxId])));',
    replace: 'const spdxLowerToActual = new Map(spdx_SNAPSHOT_schema_json_1.enum.map(spdxId => [spdxId.toLowerCase(), spdxId]));',
    why: 'the SPDX id table of the CycloneDX library',
  },
  {
    file: '@cyclonedx/cyclonedx-library/dist.node/spdx.js',
    find: '? spdxLowerToActual[value.toLowerCase()]',
    replace: '? spdxLowerToActual.get(value.toLowerCase())',
    why: 'lookups in that table',
  },
];

const NAMESPACE = 'tollgate-deferred';

const under = (path: string, file: string): boolean => path.replaceAll('\\', '/').endsWith(`/node_modules/${file}`);

/** The stand-in for a deferred module: a function proxy, so it can be called, constructed or read. */
export function standIn(request: string): string {
  return `'use strict';
let loaded;
const load = () => (loaded ??= require(${JSON.stringify(request)}));
module.exports = new Proxy(function deferred() {}, {
  apply: (_, self, args) => Reflect.apply(load(), self, args),
  construct: (_, args) => Reflect.construct(load(), args),
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
});
`;
}

/**
 * The esbuild plug-in applying DEFERRED_REQUIRES and SOURCE_PATCHES, and after the build the ones
 * that no longer applied (the caller fails the build on any).
 */
export function bundlePatches(): { readonly plugin: Plugin; unapplied(): string[] } {
  const deferred = new Set<DeferredRequire>();
  const patched = new Map<SourcePatch, number>();
  const requests = new Set(DEFERRED_REQUIRES.map((d) => d.request));
  const files = [...new Set(SOURCE_PATCHES.map((p) => p.file))];
  const plugin: Plugin = {
    name: 'tollgate-bundle-patches',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === NAMESPACE || !requests.has(args.path)) return undefined;
        const rule = DEFERRED_REQUIRES.find((d) => d.request === args.path && under(args.importer, d.importer));
        if (rule === undefined) return undefined;
        deferred.add(rule);
        return { path: rule.request, namespace: NAMESPACE, pluginData: { resolveDir: dirname(args.importer) } };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: standIn(args.path),
        loader: 'js',
        resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
      }));
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        const file = files.find((f) => under(args.path, f));
        if (file === undefined) return undefined;
        let text = await readFile(args.path, 'utf8');
        for (const patch of SOURCE_PATCHES.filter((p) => p.file === file)) {
          const parts = text.split(patch.find);
          patched.set(patch, parts.length - 1);
          if (parts.length === 2) text = parts.join(patch.replace);
        }
        return { contents: text, loader: 'js' };
      });
    },
  };
  return {
    plugin,
    unapplied: () => [
      ...DEFERRED_REQUIRES.filter((d) => !deferred.has(d)).map((d) => `${d.importer} no longer requires ${d.request}`),
      ...SOURCE_PATCHES.filter((p) => patched.get(p) !== 1).map((p) => `${p.file}: the text to change (${p.why}) was found ${String(patched.get(p) ?? 0)} times, not once`),
    ],
  };
}
