import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('loadConfig: nested file sections', () => {
  it.each`
    name                     | text                                          | path
    ${'insecure-string'}     | ${'registry:\n  insecure: "myhost:5000"\n'}   | ${'registry.insecure'}
    ${'insecure-numbers'}    | ${'registry:\n  insecure: [5000]\n'}          | ${'registry.insecure.0'}
    ${'registry-string'}     | ${'registry: myhost:5000\n'}                  | ${'registry'}
    ${'registry-list'}       | ${'registry: [myhost]\n'}                     | ${'registry'}
    ${'data-dir-number'}     | ${'dataDir: 5\n'}                             | ${'dataDir'}
    ${'data-dir-mapping'}    | ${'dataDir: { path: /x }\n'}                  | ${'dataDir'}
    ${'log-level-unknown'}   | ${'log: { level: loud }\n'}                   | ${'log.level'}
  `('refuses $name with CONFIG_INVALID naming $path', async ({ name, text, path }: { name: string; text: string; path: string }) => {
    const file = configFile(name, text);
    await expect(loadConfig({ config: file }, {})).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { path, file } });
  });

  it('merges file, env and flag insecure hosts in that order, and resolves a file dataDir', async () => {
    const file = configFile('good', 'dataDir: rel/data\nregistry:\n  insecure: ["file:5000"]\n  retries: 1\n');
    const config = await loadConfig(
      { config: file, insecureRegistry: ['flag:5000'] },
      { TOLLGATE_INSECURE_REGISTRIES: 'env:5000,env2:5000' },
    );
    expect(config.registry).toEqual({ insecure: ['file:5000', 'env:5000', 'env2:5000', 'flag:5000'], retries: 1, timeoutMs: 60_000 });
    expect(config.dataDir).toBe(resolve('rel/data'));
  });
});
