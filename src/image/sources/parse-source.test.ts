import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSource } from './parse-source.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-parse-'));
  await writeFile(join(work, 'a:b.tar'), '');
  await writeFile(join(work, 'img.tar'), '');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('parseSource', () => {
  it('parses every transport', () => {
    expect(parseSource('dir:/x/rootfs')).toEqual({ kind: 'dir', path: '/x/rootfs' });
    expect(parseSource('oci:/x/layout:v1')).toEqual({ kind: 'oci', path: '/x/layout', selector: 'v1' });
    expect(parseSource('oci:/x/layout')).toEqual({ kind: 'oci', path: '/x/layout' });
    expect(parseSource(`oci-archive:${work}/img.tar:latest`)).toEqual({ kind: 'oci-archive', path: `${work}/img.tar`, selector: 'latest' });
    expect(parseSource(`docker-archive:${work}/img.tar:localhost:5000/app:1`)).toEqual({
      kind: 'docker-archive',
      path: `${work}/img.tar`,
      selector: 'localhost:5000/app:1',
    });
    expect(parseSource(`docker-archive:${work}/img.tar@1`)).toEqual({ kind: 'docker-archive', path: `${work}/img.tar`, selector: '@1' });
    expect(parseSource('registry:ghcr.io/org/app:1')).toEqual({ kind: 'registry', reference: 'ghcr.io/org/app:1' });
    expect(parseSource('docker://alpine')).toEqual({ kind: 'registry', reference: 'alpine' });
    expect(parseSource('localhost:5000/app:1')).toEqual({ kind: 'registry', reference: 'localhost:5000/app:1' });
    expect(parseSource('alpine:3.20')).toEqual({ kind: 'registry', reference: 'alpine:3.20' });
  });

  it('never splits a path that exists as written', () => {
    expect(parseSource(`oci-archive:${work}/a:b.tar`)).toEqual({ kind: 'oci-archive', path: `${work}/a:b.tar` });
  });

  it.each(['', 'ftp://host/x', 'containers-storage:alpine', 'docker-daemon:alpine:latest', 'oci:', 'registry:', 'a\0b'])('refuses %j', (input) => {
    expect(() => parseSource(input)).toThrow(expect.objectContaining({ code: 'SOURCE_INVALID' }));
  });
});
