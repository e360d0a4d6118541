import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../../testing/peers.ts';
import { goPurl } from './parse-go-mod.ts';
import { parseBuildInfo, parseModInfo } from './parse-buildinfo.ts';

const BIN = join(corpusDir(), 'syft-fixtures/cmd/syft/internal/test/integration/testdata/image-go-bin-arch-coverage');

describe('golang/parse-buildinfo', () => {
  it('reads the pre-1.18 pointer format from syft\'s Mach-O fixture: main module, deps and the replace of go.mod', () => {
    const result = parseBuildInfo(readFileSync(join(BIN, 'test')));

    expect(result.ok).toBe(true);
    if (result.ok !== true) return;
    expect(result.value.goVersion).toBe('go1.17');
    expect(result.value.main).toEqual({ path: 'github.com/anchore/test', version: '(devel)' });
    // ground truth: the go.mod the binary was built from
    const goMod = readFileSync(join(BIN, 'go.mod'), 'utf8');
    for (const dep of result.value.deps) {
      expect(goMod).toContain(`${dep.path} ${dep.version}`);
    }
    expect(result.value.deps.map((d) => d.path)).toEqual(['golang.org/x/net', 'golang.org/x/sys', 'golang.org/x/term']);
    expect(result.value.deps[2]?.replacedFrom).toEqual({ path: 'golang.org/x/term', version: 'v0.0.0-20210927222741-03fcf44c2211' });
  });

  it('reads the inline (Go ≥ 1.18) format', () => {
    const modinfo = '0123456789abcdef' + 'path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:x=\ndep\tgithub.com/a/b\tv0.1.0\th1:y=\nbuild\tGOOS=linux\n' + '0123456789abcdef';
    const varint = (n: number): Buffer => Buffer.from(n < 128 ? [n] : [(n & 0x7f) | 0x80, n >> 7]);
    const header = Buffer.alloc(32);
    Buffer.from('\xff Go buildinf:', 'latin1').copy(header);
    header[14] = 8;
    header[15] = 2;
    const blob = Buffer.concat([Buffer.alloc(64), header, varint(8), Buffer.from('go1.22.1'), varint(modinfo.length), Buffer.from(modinfo)]);
    const result = parseBuildInfo(blob);

    expect(result).toEqual({
      ok: true,
      value: {
        goVersion: 'go1.22.1',
        path: 'example.com/app',
        main: { path: 'example.com/app', version: 'v1.2.3', sum: 'h1:x=' },
        deps: [{ path: 'github.com/a/b', version: 'v0.1.0', sum: 'h1:y=' }],
        settings: { GOOS: 'linux' },
      },
    });
  });

  it('says absent for a file with no build info and fails cleanly on a truncated header', () => {
    expect(parseBuildInfo(Buffer.from('\x7fELF not go'))).toEqual({ ok: 'absent' });
    const truncated = Buffer.concat([Buffer.alloc(16), Buffer.from('\xff Go buildinf:', 'latin1')]);
    expect(parseBuildInfo(truncated).ok).toBe(false);
  });

  it('builds golang purls with the module path as namespace', () => {
    expect(goPurl('github.com/containers/image/v5', 'v5.23.1')).toBe('pkg:golang/github.com/containers/image/v5@v5.23.1');
    expect(parseModInfo('go1.21', 'path\tcmd/x\n').main).toBeUndefined();
  });
});
