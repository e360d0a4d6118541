import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FEEDS, normaliseDocument } from './registry.ts';

const FEEDS_DIR = fileURLToPath(new URL('./feeds/', import.meta.url));

describe('feed registry', () => {
  it('has one entry per folder under feeds/, keyed by the feed id, each with a test', () => {
    const folders = readdirSync(FEEDS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(Object.keys(FEEDS).sort()).toEqual(folders);
    for (const [key, feed] of Object.entries(FEEDS)) {
      expect(feed.id).toBe(key);
      expect(existsSync(`${FEEDS_DIR}${key}/index.test.ts`)).toBe(true);
    }
  });

  it('skips documents no feed recognises, with a reason', () => {
    expect(normaliseDocument({ name: '_NIODataStructures', module_name: 'x', version: '2.40.0' })).toMatchObject({ kind: 'skipped' });
    expect(normaliseDocument([1, 2])).toMatchObject({ kind: 'skipped' });
  });
});
