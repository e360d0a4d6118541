import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { peersAvailable } from './peers.ts';
import { startRegistry } from './registry.ts';

describe.skipIf(!peersAvailable('docker-registry', 'openssl'))('startRegistry', () => {
  it.each(['none', 'htpasswd', 'token'] as const)('runs a real registry with auth %s and cleans up after itself', async (auth) => {
    const registry = await startRegistry({ auth });
    try {
      expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
      const response = await fetch(`${registry.url}/v2/`);
      await response.arrayBuffer();
      expect(response.status).toBe(auth === 'none' ? 200 : 401);
      if (auth === 'token') expect(response.headers.get('www-authenticate')).toContain(`realm="${registry.tokenServer?.realm ?? ''}"`);
      if (auth === 'htpasswd') expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
      if (auth === 'htpasswd') {
        const basic = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
        const authed = await fetch(`${registry.url}/v2/`, { headers: { Authorization: `Basic ${basic}` } });
        await authed.arrayBuffer();
        expect(authed.status).toBe(200);
      }
    } finally {
      await registry.stop();
    }
    expect(existsSync(registry.dataDir)).toBe(false);
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });
});
