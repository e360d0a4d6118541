import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IMAGE_CATALOGUERS_FINGERPRINT } from './fingerprint.ts';
import { CATALOGUERS, ECOSYSTEM_MODULES, fingerprintOf, folderCataloguers, imageCataloguers, selectCataloguers } from './registry.ts';

describe('catalog/registry', () => {
  it('the image fingerprint constant names the image cataloguers and their versions (update fingerprint.ts to the value shown)', () => {
    expect(IMAGE_CATALOGUERS_FINGERPRINT).toBe(fingerprintOf(imageCataloguers()));
  });

  it('images get every cataloguer but the lockfile (declared) ones; folders get those too', () => {
    const images = imageCataloguers().map((c) => c.id);
    const folders = folderCataloguers().map((c) => c.id);
    const installed = ['dpkg-status', 'npm-installed', 'go-binary', 'elf-unowned', 'java-archive'];
    const declared = ['npm-package-lock', 'yarn-lock', 'pnpm-lock', 'go-mod', 'maven-pom', 'cargo-lock'];

    expect(imageCataloguers().filter((c) => c.tags.includes('declared')).map((c) => c.id)).toEqual([]);
    expect(images).toEqual(expect.arrayContaining(installed));
    for (const id of declared) expect(images, id).not.toContain(id);
    expect(folders).toEqual(expect.arrayContaining([...installed, ...declared]));
    // only declared cataloguers are left out of images: nothing installed is lost
    expect(CATALOGUERS.filter((c) => !images.includes(c.id) && !c.tags.includes('declared')).map((c) => c.id)).toEqual([]);
  });

  it('has exactly one entry per folder under ecosystems/', () => {
    const folders = readdirSync(new URL('./ecosystems/', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
      .map((entry) => entry.name)
      .sort();

    expect(Object.keys(ECOSYSTEM_MODULES).sort()).toEqual(folders);
  });

  it('uses unique, kebab-case ids and positive integer versions', () => {
    const ids = CATALOGUERS.map((c) => c.id);

    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CATALOGUERS) {
      expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(Number.isInteger(c.version) && c.version > 0).toBe(true);
    }
  });

  it('has a README.md in every ecosystem folder', () => {
    for (const name of Object.keys(ECOSYSTEM_MODULES)) {
      const files = readdirSync(new URL(`./ecosystems/${name}/`, import.meta.url));
      expect(files, name).toContain('README.md');
    }
  });

  it('selects by tag and excludes by id', () => {
    const os = selectCataloguers({ tags: ['os'] });

    expect(os.length).toBeGreaterThan(0);
    expect(os.every((c) => c.tags.includes('os'))).toBe(true);
    expect(selectCataloguers({ exclude: ['dpkg-status'] }).some((c) => c.id === 'dpkg-status')).toBe(false);
  });

  it('loads descriptors only: no cataloguer code and none of its libraries until loadImplementations', () => {
    // A fresh Node process (vitest's own module graph already holds everything): record every module
    // loaded while importing the registry, then while loading the implementations.
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
      const registry = await import(process.argv[1]);
      const descriptors = loaded.splice(0);
      await registry.loadImplementations(registry.CATALOGUERS);
      process.stdout.write(JSON.stringify({ descriptors, implementations: loaded }));
    `;
    const registry = fileURLToPath(new URL('./registry.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, registry], { encoding: 'utf8' });
    const { descriptors, implementations } = JSON.parse(out) as { descriptors: string[]; implementations: string[] };
    const heavy = (url: string): boolean =>
      /\/node_modules\/(packageurl-js|yaml|smol-toml|fast-xml-parser|fflate|spdx-[a-z-]+)\//.test(url) || /\/catalog\/(ecosystems\/[^/]+\/catalog|_shared\/(purl|license|declared-catalog))\.ts$/.test(url);

    expect(descriptors.filter(heavy)).toEqual([]);
    // what the descriptors left out is what loading the implementations brings: every ecosystem's code
    expect(implementations.filter(heavy).length).toBeGreaterThan(10);
    for (const name of Object.keys(ECOSYSTEM_MODULES)) {
      expect(implementations.some((url) => url.includes(`/ecosystems/${name}/catalog.ts`) || url.includes(`/ecosystems/${name}/parse-`)), name).toBe(true);
    }
  });

  it("an image's catalogue loads none of the lockfile parsers' libraries (yaml, TOML, XML): lockfiles are folder-only", () => {
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
      const registry = await import(process.argv[1]);
      await registry.loadImplementations(registry.imageCataloguers());
      const forImages = loaded.splice(0);
      await registry.loadImplementations(registry.folderCataloguers());
      process.stdout.write(JSON.stringify({ forImages, forFolders: loaded }));
    `;
    const registry = fileURLToPath(new URL('./registry.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, registry], { encoding: 'utf8' });
    const { forImages, forFolders } = JSON.parse(out) as { forImages: string[]; forFolders: string[] };
    const lockLibraries = (url: string): boolean => /\/node_modules\/(yaml|smol-toml|fast-xml-parser)\//.test(url);

    expect(forImages.filter(lockLibraries)).toEqual([]);
    expect(forFolders.filter(lockLibraries).length).toBeGreaterThan(0);
  });
});
