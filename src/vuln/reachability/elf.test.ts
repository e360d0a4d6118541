import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labRootfs } from '../../testing/lab.ts';
import { requirePeer } from '../../testing/peers.ts';
import { isElf, readElfDynamic } from './elf.ts';

/** readelf's view (binutils): the oracle. */
function readelf(file: string): { interpreter?: string; needed: string[]; runpath: string[]; rpath: string[] } {
  const dyn = execFileSync('readelf', ['-dW', file], { encoding: 'utf8' });
  const prog = execFileSync('readelf', ['-lW', file], { encoding: 'utf8' });
  const grab = (tag: string): string[] => [...dyn.matchAll(new RegExp(`\\(${tag}\\)\\s+\\S+.*?\\[([^\\]]*)\\]`, 'g'))].map((m) => m[1] ?? '');
  const interp = /Requesting program interpreter: ([^\]]+)\]/.exec(prog)?.[1];
  const split = (xs: string[]): string[] => xs.flatMap((x) => x.split(':')).filter((x) => x !== '');
  return { ...(interp !== undefined ? { interpreter: interp } : {}), needed: grab('NEEDED'), runpath: split(grab('RUNPATH')), rpath: split(grab('RPATH')) };
}

let files: string[] = [];

beforeAll(async () => {
  requirePeer('readelf', { strict: true });
  const { rootfs } = await labRootfs('debian-base');
  for (const dir of ['usr/bin', 'usr/lib/x86_64-linux-gnu']) {
    for (const name of readdirSync(join(rootfs, dir))) {
      const path = join(rootfs, dir, name);
      const st = lstatSync(path);
      if (st.isFile() && st.size > 64) files.push(path);
    }
  }
  files = files.filter((f) => isElf(readFileSync(f)));
}, 600_000);

describe('readElfDynamic agrees with readelf on every ELF file of the debian-base lab image', () => {
  it('PT_INTERP, DT_NEEDED, DT_RUNPATH, DT_RPATH', () => {
    expect(files.length).toBeGreaterThan(100);
    const disagreements: string[] = [];
    for (const file of files) {
      const ours = readElfDynamic(readFileSync(file));
      const theirs = readelf(file);
      const mine = { ...(ours?.interpreter !== undefined ? { interpreter: ours.interpreter } : {}), needed: ours?.needed ?? [], runpath: [...(ours?.runpath ?? [])], rpath: [...(ours?.rpath ?? [])] };
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) disagreements.push(`${file}: ${JSON.stringify(mine)} vs ${JSON.stringify(theirs)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('rejects truncated and non-ELF input without throwing', () => {
    const bash = files.find((f) => f.endsWith('/bash')) ?? files[0] ?? '';
    const bytes = readFileSync(bash);
    for (const n of [0, 4, 16, 63, 64, 200, 4096]) expect(() => readElfDynamic(bytes.subarray(0, n))).not.toThrow();
    expect(readElfDynamic(new TextEncoder().encode('#!/bin/sh\n'))).toBeUndefined();
  });
});
