import { readdirSync } from 'node:fs';
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
});
