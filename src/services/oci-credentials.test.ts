import { describe, expect, it } from 'vitest';
import { loadConfig, readEnvironment } from '../config/index.ts';
import { registryClientOptions } from './oci.ts';

const config = await loadConfig({ dataDir: '/tmp/tollgate-test' }, {});

describe('registry credentials from the environment', () => {
  it('sends them only to TOLLGATE_REGISTRY_HOST when it is set', () => {
    const env = readEnvironment({ TOLLGATE_REGISTRY_USERNAME: 'u', TOLLGATE_REGISTRY_PASSWORD: 'p', TOLLGATE_REGISTRY_HOST: 'reg.example:5000' });
    const options = registryClientOptions(config, env);
    expect(options.credentials?.('reg.example:5000')).toEqual({ username: 'u', password: 'p' });
    expect(options.credentials?.('docker.io')).toBeUndefined();
  });

  it('never hands out a bare token without a host to scope it to', () => {
    const env = readEnvironment({ TOLLGATE_REGISTRY_TOKEN: 'secret' });
    expect(registryClientOptions(config, env).credentials).toBeUndefined();
    const scoped = registryClientOptions(config, readEnvironment({ TOLLGATE_REGISTRY_TOKEN: 'secret', TOLLGATE_REGISTRY_HOST: 'ghcr.io' }));
    expect(scoped.credentials?.('ghcr.io')).toEqual({ token: 'secret' });
    expect(scoped.credentials?.('evil.example')).toBeUndefined();
  });

  it('lets a username/password answer any challenge when no host is set (documented)', () => {
    const env = readEnvironment({ TOLLGATE_REGISTRY_USERNAME: 'u', TOLLGATE_REGISTRY_PASSWORD: 'p' });
    expect(registryClientOptions(config, env).credentials?.('any.example')).toEqual({ username: 'u', password: 'p' });
  });
});
