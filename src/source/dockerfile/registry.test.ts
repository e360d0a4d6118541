import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCKERFILE_RULES, ruleFileStem } from './registry.ts';

const RULES_DIR = new URL('./rules/', import.meta.url);
const DOCS = new URL('../../../docs/rules/', import.meta.url);

describe('Dockerfile rule registry', () => {
  it('lists exactly the rule files in rules/ (one file per rule, named <id>-<slug>.ts)', () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3)).sort();
    expect(DOCKERFILE_RULES.map(ruleFileStem).sort()).toEqual(files);
  });

  it('has unique, well-formed ids and slugs', () => {
    const ids = DOCKERFILE_RULES.map((r) => r.id);
    const slugs = DOCKERFILE_RULES.map((r) => r.slug);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const r of DOCKERFILE_RULES) {
      expect(r.id).toMatch(/^DF[1-9][0-9]{3}$/);
      expect(r.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(r.summary.length).toBeGreaterThan(20);
    }
  });

  it('has a docs page for every rule naming its id, slug, severity and hadolint equivalent', () => {
    for (const r of DOCKERFILE_RULES) {
      const page = new URL(`${r.id}.md`, DOCS);
      expect(existsSync(page), `docs/rules/${r.id}.md`).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text).toContain(`# ${r.id} ${r.slug}`);
      expect(text).toContain(`**Default severity:** ${r.defaultSeverity}`);
      for (const p of r.peers) expect(text).toContain(p.id);
    }
  });
});
