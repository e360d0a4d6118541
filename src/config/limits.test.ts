import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS } from '../image/limits.ts';
import { loadConfig } from './index.ts';

describe('config limits', () => {
  it('defaults to exactly the image reader limits, field for field', async () => {
    expect((await loadConfig({ dataDir: '/tmp/tollgate-test' }, {})).limits).toEqual(DEFAULT_IMAGE_LIMITS);
  });

  it('refuses an unknown limit and a non-positive one with CONFIG_INVALID', async () => {
    await expect(loadConfig({ dataDir: '/tmp/t' }, { TOLLGATE_CONFIG: '/dev/null' })).resolves.toBeDefined();
    for (const [name, text] of [['list', '- a\n- b\n'], ['scalar', 'just words\n']] as const) {
      const file = `/tmp/tollgate-config-${name}.yaml`;
      writeFileSync(file, text);
      await expect(loadConfig({ dataDir: '/tmp/t', config: file }, {})).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
    for (const limits of [{ maxEntrys: 5 }, { maxEntries: 0 }]) {
      const file = `/tmp/tollgate-limits-${String(Object.keys(limits)[0])}.yaml`;
      writeFileSync(file, `limits: ${JSON.stringify(limits)}\n`);
      await expect(loadConfig({ dataDir: '/tmp/t', config: file }, {})).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });
});
