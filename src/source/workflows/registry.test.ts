import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDITS } from './registry.ts';

const auditsDir = new URL('./audits/', import.meta.url);
const docsDir = new URL('../../../docs/rules/', import.meta.url);

describe('workflow audit registry', () => {
  it('lists every file under audits/ exactly once', () => {
    const files = readdirSync(auditsDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const source = readFileSync(new URL('./registry.ts', import.meta.url), 'utf8');
    const imported = [...source.matchAll(/from '\.\/audits\/([\w-]+)\.ts'/g)].map((m) => m[1]).sort();
    expect(imported).toEqual(files);
    expect(AUDITS).toHaveLength(files.length);
  });

  it('has unique, stable ids and slugs', () => {
    const ids = AUDITS.map((a) => a.id);
    const slugs = AUDITS.map((a) => a.slug);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const a of AUDITS) {
      expect(a.id).toMatch(/^G[HL]\d{4}$/);
      expect(a.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('has a docs page per audit naming its id, slug and zizmor equivalent', () => {
    for (const a of AUDITS) {
      const page = new URL(`${a.id}.md`, docsDir);
      expect(existsSync(page), `${a.id}.md`).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text).toContain(a.slug);
      expect(text).toContain(a.zizmor === undefined ? 'zizmor: none' : `zizmor: \`${a.zizmor}\``);
    }
  });
});
