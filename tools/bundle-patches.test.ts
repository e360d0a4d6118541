/**
 * The bundle patches (tools/bundle-patches.ts) change when dependency code runs, never what it does:
 * each patched or deferred module, bundled with the plug-in, answers as the unbundled original.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePatches, DEFERRED_REQUIRES, SOURCE_PATCHES, standIn } from './bundle-patches.ts';
import { OPTIONAL_PLUGINS } from './build.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-bundle-patches-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Bundles `source` (CommonJS, resolved from the project) with the patches; its exports and the patches left unapplied. */
async function bundled(source: string, external: readonly string[] = []): Promise<{ exports: Record<string, unknown>; text: string; unapplied: string[] }> {
  const outfile = join(work, `out-${String(Math.random()).slice(2)}.cjs`);
  const patches = bundlePatches();
  await build({ stdin: { contents: source, resolveDir: ROOT, loader: 'js' }, bundle: true, format: 'cjs', platform: 'node', target: 'node24', outfile, external: [...external], plugins: [patches.plugin], logLevel: 'silent' });
  return { exports: require(outfile) as Record<string, unknown>, text: await readFile(outfile, 'utf8'), unapplied: patches.unapplied() };
}

describe('bundle patches', () => {
  it("the CycloneDX library's SPDX id lookups answer as the original for every id, other cases and non-ids", async () => {
    const { exports, text } = await bundled("module.exports = require('@cyclonedx/cyclonedx-library/SPDX');");
    expect(text).toContain('new Map(spdx_SNAPSHOT_schema_json_1.enum');
    expect(text).not.toContain('Object.fromEntries(spdx_SNAPSHOT_schema_json_1');
    const original = require('@cyclonedx/cyclonedx-library/SPDX') as { fixupSpdxId(v: unknown): string | undefined; isSupportedSpdxId(v: unknown): boolean };
    const patched = exports as typeof original;
    const ids = (JSON.parse(await readFile(join(ROOT, 'node_modules/@cyclonedx/cyclonedx-library/res/schema/spdx.SNAPSHOT.schema.json'), 'utf8')) as { enum: string[] }).enum;
    expect(ids.length).toBeGreaterThan(500);
    const inputs: unknown[] = [
      ...ids,
      ...ids.map((id) => id.toLowerCase()),
      ...ids.map((id) => id.toUpperCase()),
      'mit', 'Apache-2', 'GPL-2.0+', '', ' MIT', 'MIT ', 'Ⅻ', 42, undefined, null,
    ];
    for (const value of inputs) {
      expect({ value, fixed: patched.fixupSpdxId(value), known: patched.isSupportedSpdxId(value) }).toEqual({
        value,
        fixed: original.fixupSpdxId(value),
        known: original.isSupportedSpdxId(value),
      });
    }
    // where they differ, the original is wrong: its table was a plain object, whose prototype answered
    for (const value of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(patched.fixupSpdxId(value)).toBeUndefined();
      expect(typeof original.fixupSpdxId(value)).not.toBe('string');
    }
  });

  it('a deferred module loads on first use and acts as the module itself: called, read, constructed', async () => {
    // in a fresh process, where nothing has loaded the modules yet
    for (const [request, name] of [['node:assert', 'assert'], ['node:child_process', 'child_process'], ['node:events', 'events']] as const) {
      await writeFile(join(work, `${name}.cjs`), standIn(request));
    }
    const script = `
      const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
      const out = {};
      const assert = require('./assert.cjs');
      const childProcess = require('./child_process.cjs');
      out.before = [loaded('assert'), loaded('child_process')];
      try { assert(false, 'no'); } catch (error) { out.thrown = error.constructor.name + ': ' + error.message; }
      assert.strictEqual(1, 1);
      out.status = childProcess.spawnSync('true').status;
      out.after = [loaded('assert'), loaded('child_process')];
      const Events = require('./events.cjs');
      const emitter = new Events();
      out.instance = emitter instanceof require('node:events');
      out.once = typeof Events.once;
      process.stdout.write(JSON.stringify(out));
    `;
    const { execFileSync } = await import('node:child_process');
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: work, encoding: 'utf8' })) as Record<string, unknown>;
    expect(out).toEqual({ before: [false, false], thrown: 'AssertionError: no', status: 0, after: [true, true], instance: true, once: 'function' });
  });

  it("pino's asynchronous destination still works with worker_threads taken on first use", async () => {
    const { exports, text } = await bundled("module.exports = require('pino');");
    expect(text).not.toContain("const { isMainThread } = require('worker_threads')");
    const pino = exports as unknown as typeof import('pino').default;
    const file = join(work, 'async.log');
    const destination = pino.destination({ dest: file, sync: false });
    const log = pino({ level: 'info' }, destination);
    log.info({ n: 1 }, 'asynchronous');
    await new Promise<void>((resolve, reject) => destination.flush((error) => (error ? reject(error) : resolve())));
    destination.end();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ msg: 'asynchronous', n: 1 });
  });

  it("minipass-fetch without iconv-lite: bodies read as the original's, textConverted() refuses with its own message", async () => {
    const { exports, text } = await bundled("module.exports = require('minipass-fetch');");
    expect(text).not.toContain('iconv-lite/lib');
    type Fetch = { Response: new (body: string, init: { headers: Record<string, string> }) => { text(): Promise<string>; json(): Promise<unknown>; textConverted(): Promise<string> } };
    const original = require('minipass-fetch') as Fetch;
    const patched = exports as unknown as Fetch;
    const body = JSON.stringify({ signed: { version: 1 }, note: 'é ✓' });
    for (const fetch of [original, patched]) {
      const response = (): InstanceType<Fetch['Response']> => new fetch.Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } });
      expect(await response().text()).toBe(body);
      expect(await response().json()).toEqual({ signed: { version: 1 }, note: 'é ✓' });
    }
    expect(await new original.Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } }).textConverted()).toBe(body);
    expect(() => new patched.Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } }).textConverted()).toThrow(/`iconv-lite` must be installed/);
  });

  it("the CycloneDX library's XML serializer looks for xmlbuilder2 on first use, not at load, and answers as the original", async () => {
    const source = "const S = require('@cyclonedx/cyclonedx-library/Serialize'); const M = require('@cyclonedx/cyclonedx-library/Models'); const Spec = require('@cyclonedx/cyclonedx-library/Spec'); module.exports = { S, M, Spec };";
    // its optional peers stay outside the bundle, as tools/build.ts has them
    const { exports, text } = await bundled(source, OPTIONAL_PLUGINS);
    expect(text).toContain('plugged ??=');
    type Lib = { S: { XmlSerializer: new (f: unknown) => { serialize(bom: unknown): string }; XML: { Normalize: { Factory: new (spec: unknown) => unknown } } }; M: { Bom: new () => unknown }; Spec: { Spec1dot6: unknown } };
    const attempt = (lib: Lib): unknown => {
      try {
        return new lib.S.XmlSerializer(new lib.S.XML.Normalize.Factory(lib.Spec.Spec1dot6)).serialize(new lib.M.Bom());
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message };
      }
    };
    const original = { S: require('@cyclonedx/cyclonedx-library/Serialize'), M: require('@cyclonedx/cyclonedx-library/Models'), Spec: require('@cyclonedx/cyclonedx-library/Spec') } as Lib;
    // whether xmlbuilder2 is installed or not (it is not shipped), both answer alike
    expect(attempt(exports as unknown as Lib)).toEqual(attempt(original));
  });

  it('fails the build when a patch or deferred require no longer applies', async () => {
    const { unapplied } = await bundled("module.exports = require('@cyclonedx/cyclonedx-library/SPDX');");
    // only the SPDX module was bundled: every other entry is reported, the SPDX patches are not
    const others = SOURCE_PATCHES.filter((p) => !p.file.endsWith('/spdx.js'));
    expect(unapplied).toHaveLength(DEFERRED_REQUIRES.length + others.length);
    expect(unapplied.join('\n')).toContain('commander/lib/command.js no longer requires node:child_process');
    expect(unapplied.join('\n')).toContain('pino/lib/tools.js: the text to change');
    expect(unapplied.join('\n')).not.toContain('spdx.js');
  });
});
