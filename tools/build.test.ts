/**
 * tools/build.ts: the check that keeps the vendor bundles apart from the main bundle (a module in both
 * would run as two copies: two registries, failing `instanceof`). The bundles as built are checked in
 * test/e2e/bundle.test.ts.
 */
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { sharedModules, VENDOR_BUNDLES, vendorFile } from './build.ts';

const metafile = (...inputs: string[]): Metafile => ({ inputs: Object.fromEntries(inputs.map((path) => [path, { bytes: 1, imports: [] }])), outputs: {} });

describe('the vendor bundles', () => {
  it('are refused when a module is in both the main bundle and a vendor bundle', () => {
    const main = metafile('src/cli/main.ts', 'node_modules/commander/index.js', 'tollgate-vendor:sigstore');
    expect(sharedModules(main, [metafile('node_modules/sigstore/dist/index.js'), metafile('node_modules/yaml/dist/index.js')])).toEqual([]);
    // the main bundle's stand-ins for vendor packages are not modules of the vendor bundle
    expect(sharedModules(main, [metafile('tollgate-vendor:sigstore', 'node_modules/sigstore/dist/index.js')])).toEqual([]);
    expect(
      sharedModules(main, [metafile('node_modules/sigstore/dist/index.js', 'node_modules/commander/index.js'), metafile('node_modules/commander/index.js', 'src/cli/main.ts')]),
    ).toEqual(['node_modules/commander/index.js', 'src/cli/main.ts']);
  });

  it('each ship as vendor-<name>.cjs, a package in one bundle only', () => {
    const packages = VENDOR_BUNDLES.flatMap((bundle) => bundle.packages);
    expect(new Set(packages).size).toBe(packages.length);
    expect(VENDOR_BUNDLES.map(vendorFile)).toEqual(VENDOR_BUNDLES.map((bundle) => `vendor-${bundle.name}.cjs`));
    for (const bundle of VENDOR_BUNDLES) expect(vendorFile(bundle)).toMatch(/^vendor-[a-z0-9-]+\.cjs$/); // bin/code-cache.js VENDOR_REQUEST
  });
});
