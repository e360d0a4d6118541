import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableStack } from './stack.ts';

let work: string;
let bundle: string;
let thrown: Error;
beforeAll(async () => {
  // a bundle laid out as the shipped one (dist/cli/main.cjs beside its map, sources under src/)
  work = await mkdtemp(join(tmpdir(), 'tollgate-stack-'));
  await mkdir(join(work, 'src'));
  await writeFile(join(work, 'src', 'thrower.ts'), ['export function outer(): void {', '  inner();', '}', 'function inner(): void {', "  throw new Error('boom');", '}', ''].join('\n'));
  bundle = join(work, 'dist', 'cli', 'main.cjs');
  await build({ entryPoints: [join(work, 'src', 'thrower.ts')], bundle: true, format: 'cjs', platform: 'node', outfile: bundle, minifyWhitespace: true, sourcemap: 'linked', logLevel: 'silent' });
  try {
    (createRequire(import.meta.url)(bundle) as { outer(): void }).outer();
  } catch (error) {
    thrown = error as Error;
  }
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('readableStack', () => {
  it("maps the bundle's frames to the source file, line and column", () => {
    expect(thrown.stack).toContain(`${bundle}:1:`);
    const stack = readableStack(thrown, bundle);
    expect(stack).toContain('Error: boom');
    expect(stack).toMatch(/at inner \(src\/thrower\.ts:5:\d+\)/);
    expect(stack).toMatch(/at (Object\.)?outer \(src\/thrower\.ts:2:\d+\)/);
    expect(stack).not.toContain(`${bundle}:`);
  });

  it('maps frames in the other bundles beside it (vendor bundles) through their own maps, and leaves those without one', async () => {
    // a vendor bundle beside main.cjs, its map naming a dependency's file under node_modules
    const vendor = join(work, 'dist', 'cli', 'vendor-thrower.cjs');
    await mkdir(join(work, 'node_modules', 'dep'), { recursive: true });
    await writeFile(join(work, 'node_modules', 'dep', 'index.js'), ['exports.fail = function fail() {', "  throw new Error('from a dependency');", '};', ''].join('\n'));
    await build({ entryPoints: [join(work, 'node_modules', 'dep', 'index.js')], bundle: true, format: 'cjs', platform: 'node', outfile: vendor, minifyWhitespace: true, sourcemap: 'linked', logLevel: 'silent' });
    let fromVendor: Error | undefined;
    try {
      (createRequire(import.meta.url)(vendor) as { fail(): void }).fail();
    } catch (error) {
      fromVendor = error as Error;
    }
    const both = Object.assign(new Error('both'), { stack: `${String(fromVendor?.stack)}\n${String(thrown.stack).split('\n').slice(1).join('\n')}` });
    const mapped = readableStack(both, bundle);
    expect(mapped).toMatch(/at (Object\.)?fail \(node_modules\/dep\/index\.js:2:\d+\)/);
    expect(mapped).toMatch(/at inner \(src\/thrower\.ts:5:\d+\)/);
    expect(mapped).not.toContain('.cjs:');

    await rm(`${vendor}.map`);
    const unmapped = readableStack(both, bundle);
    expect(unmapped).toContain(`${vendor}:1:`);
    expect(unmapped).toMatch(/at inner \(src\/thrower\.ts:5:\d+\)/);
  });

  it('leaves the stack as it is without a map, outside a bundle, or for a non-error', async () => {
    expect(readableStack(thrown, join(work, 'src', 'thrower.ts'))).toBe(thrown.stack);
    await writeFile(`${bundle}.map`, '{ not json');
    expect(readableStack(thrown, bundle)).toBe(thrown.stack);
    await rm(`${bundle}.map`);
    expect(readableStack(thrown, bundle)).toBe(thrown.stack);
    expect(readableStack('a string thrown', bundle)).toBe('a string thrown');
  });
});
