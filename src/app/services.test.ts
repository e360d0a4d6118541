import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, readEnvironment } from '../config/index.ts';
import { silentLogger } from '../core/logger.ts';
import { buildServices, SLICE_NAMES, type Services } from './services.ts';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-services-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = await loadConfig({ dataDir: dir }, {});

describe('buildServices', () => {
  it('builds only the slices asked for; any other is an INTERNAL error when used', async () => {
    const services = await buildServices(config, readEnvironment({}), silentLogger, ['versioning']);
    expect(services.versioning.compareVersions('deb', '1.0', '1.1')).toBe(-1);
    const all = services as unknown as Services;
    expect(() => all.sbom).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => all.scan).toThrow(expect.objectContaining({ code: 'INTERNAL', details: { slice: 'scan' } }));
  });

  it('builds what a slice depends on (scan reads images through sbom and advisories through vulnDb)', async () => {
    const services = await buildServices(config, readEnvironment({}), silentLogger, ['scan']);
    await expect(services.scan.scan(`dir:${dir}`, { db: join(dir, 'missing.db') })).rejects.toMatchObject({ code: 'VULN_DB_MISSING' });
  });

  it('builds every slice by default', async () => {
    const services = await buildServices(config, readEnvironment({}), silentLogger);
    for (const name of SLICE_NAMES) expect(services[name]).toBeDefined();
  });
});
