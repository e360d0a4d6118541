import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './parse/dockerfile.ts';
import { rpmUnpinned, unpinnedInstallHits } from './pinning.ts';

const NINE = 'a b c d e f g h i';
const ast = parseDockerfile(`FROM debian\nRUN pm install ${NINE} && pm install j=1\nRUN pm install k=1\nRUN other install x\n`);
const loose = (cmd: { name: string; args: readonly string[] }): readonly string[] =>
  cmd.name === 'pm' && cmd.args[0] === 'install' ? cmd.args.slice(1).filter((p) => !p.includes('=')) : [];

describe('source/dockerfile pinning helper', () => {
  it('gives one hit per RUN with unpinned packages, on that RUN line, listing all by default', () => {
    const hits = unpinnedInstallHits(ast, 'pm install', loose);
    expect(hits.map((h) => h.range.startLine)).toEqual([2]);
    expect(hits[0]?.message).toBe(`pm install without pinned versions: ${NINE.split(' ').join(', ')}.`);
  });

  it('cuts the list at max, with an ellipsis only when asked', () => {
    expect(unpinnedInstallHits(ast, 'pm install', loose, { max: 8 })[0]?.message).toBe('pm install without pinned versions: a, b, c, d, e, f, g, h.');
    expect(unpinnedInstallHits(ast, 'pm install', loose, { max: 8, ellipsis: true })[0]?.message).toBe('pm install without pinned versions: a, b, c, d, e, f, g, h, ….');
    expect(unpinnedInstallHits(ast, 'pm install', loose, { max: 9, ellipsis: true })[0]?.message).toBe(`pm install without pinned versions: ${NINE.split(' ').join(', ')}.`);
  });

  it('rpmUnpinned: name-version, epoch, .rpm, paths, groups, URLs and module streams count as pinned', () => {
    expect(rpmUnpinned(['install', 'curl', 'curl-7.61', 'x:1', 'a.rpm', '/p', '@g', 'https://h/x', '$V', 'git'], ['install'])).toEqual(['curl', 'git']);
    expect(rpmUnpinned(['in', 'curl'], ['install'])).toEqual([]);
    expect(rpmUnpinned(['in', 'curl'], ['install', 'in'])).toEqual(['curl']);
    expect(rpmUnpinned(['module', 'install', 'nodejs', 'nodejs:18', '$M'], ['install'])).toEqual(['nodejs']);
    expect(rpmUnpinned(['remove', 'curl'], ['install'])).toEqual([]);
  });
});
