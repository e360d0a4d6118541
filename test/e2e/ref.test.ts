import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTollgate, type Run } from './cli.ts';

const tollgate = (...args: string[]): Promise<Run> => runTollgate(args);

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('tollgate ref', () => {
  it('prints the normalised parts of a short name as JSON', async () => {
    const run = await tollgate('ref', 'alpine');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      registry: 'docker.io',
      repository: 'library/alpine',
      tag: 'latest',
      digest: null,
      tagImplied: true,
      canonical: 'docker.io/library/alpine:latest',
      familiar: 'alpine',
    });
  });

  it('keeps registry, port, nested path, tag and digest', async () => {
    const run = await tollgate('ref', `localhost:5000/team/app:1.2@${DIGEST}`);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      registry: 'localhost:5000',
      repository: 'team/app',
      tag: '1.2',
      digest: DIGEST,
      tagImplied: false,
      canonical: `localhost:5000/team/app:1.2@${DIGEST}`,
      familiar: `localhost:5000/team/app:1.2@${DIGEST}`,
    });
  });

  it('normalises index.docker.io and writes to --output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-ref-'));
    try {
      const file = join(dir, 'ref.json');
      const run = await tollgate('ref', 'index.docker.io/user/app:v1', '-o', file);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('');
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ registry: 'docker.io', repository: 'user/app', familiar: 'user/app:v1' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints a text table with --format text', async () => {
    const run = await tollgate('ref', '--format', 'text', 'ghcr.io/org/app:2');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^registry\s+ghcr\.io$/m);
    expect(run.stdout).toMatch(/^digest\s+-$/m);
  });

  it.each([['docker.io/Library/Ubuntu'], ['foo@sha256:abc'], ['a:b:c'], ['']])('refuses %j with IMAGE_REF_INVALID, exit 2', async (input) => {
    const run = await tollgate('ref', input);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('IMAGE_REF_INVALID');
  });

  it('has --help', async () => {
    const run = await tollgate('ref', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tollgate ref');
  });
});
