import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { makeTempFileSqliteReader } from '../../../services/sbom.ts';
import { corpusDir } from '../../../testing/peers.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { runCatalog } from '../../run.ts';
import { rpmDb } from './index.ts';
import { readBerkeleyDbBlobs, readNdbBlobs } from './parse-databases.ts';
import { parseHeaderBlob, parseSourceRpm } from './parse-header.ts';

const SQLITE_FIXTURE = new URL('./__fixtures__/sqlite/var/lib/rpm/rpmdb.sqlite', import.meta.url);
const BDB_FIXTURE = join(corpusDir(), 'syft-fixtures/syft/pkg/cataloger/redhat/testdata/Packages');

/**
 * The sqlite fixture was written by rpm 4.18 (`rpm -i --justdb`) from two packages built with rpmbuild;
 * `rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}'` printed:
 */
const RPM_QA = [
  'tollgate-hello\t2\t1.2.3-4.fc40\tnoarch\ttollgate-hello-1.2.3-4.fc40.src.rpm\tMIT AND (Apache-2.0 OR BSD-3-Clause)',
  'tollgate-dep\t(none)\t0.9-1\tnoarch\ttollgate-dep-0.9-1.src.rpm\tGPLv2+',
];

describe('rpm cataloguer', () => {
  it('reads rpmdb.sqlite through the SQLite port and matches rpm -qa', async () => {
    const tree = inlineTree({ '/var/lib/rpm/rpmdb.sqlite': readFileSync(SQLITE_FIXTURE), '/usr/bin/tollgate-dep': 'x' });
    const catalog = await runCatalog({ cataloguers: [rpmDb], tree, log: silentLogger, ports: { sqlite: makeTempFileSqliteReader() } });
    const rows = catalog.packages.map((p) => {
      const [version, release] = [p.version.replace(/^\d+:/, '').split('-')[0], p.version.split('-').slice(1).join('-')];
      const epoch = /^(\d+):/.exec(p.version)?.[1] ?? '(none)';
      return [p.name, epoch, `${version}-${release}`, p.arch, p.purl.includes('upstream=') ? decodeURIComponent(/upstream=([^&]+)/.exec(p.purl)?.[1] ?? '') : '', ''].slice(0, 5).join('\t');
    });

    expect(rows.sort()).toEqual(RPM_QA.map((l) => l.split('\t').slice(0, 5).join('\t')).sort());
    const hello = catalog.packages.find((p) => p.name === 'tollgate-hello');
    expect(hello).toMatchObject({ version: '2:1.2.3-4.fc40', licenses: ['MIT AND (Apache-2.0 OR BSD-3-Clause)'], source: { name: 'tollgate-hello', version: '1.2.3-4.fc40' } });
    expect(hello?.purl).toBe('pkg:rpm/redhat/tollgate-hello@1.2.3-4.fc40?arch=noarch&epoch=2&upstream=tollgate-hello-1.2.3-4.fc40.src.rpm');
    const dep = catalog.packages.find((p) => p.name === 'tollgate-dep');
    expect(dep?.licenses).toEqual(['GPL-2.0-or-later']);
    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: dep?.id, to: hello?.id });
    expect(catalog.relationships).toContainEqual({ kind: 'owns', from: dep?.id, to: '/usr/bin/tollgate-dep' });
  });

  it('records an rpmdb.sqlite as unknown when no SQLite reader is wired', async () => {
    const tree = inlineTree({ '/var/lib/rpm/rpmdb.sqlite': readFileSync(SQLITE_FIXTURE) });
    const catalog = await runCatalog({ cataloguers: [rpmDb], tree, log: silentLogger });

    expect(catalog.unknowns).toHaveLength(1);
  });

  it('reads the Berkeley DB hash Packages fixture from syft (dive 0.9.2-1)', () => {
    const { blobs, problems } = readBerkeleyDbBlobs(readFileSync(BDB_FIXTURE));
    const headers = blobs.filter((b) => b.length > 8).map((b) => parseHeaderBlob(b));

    expect(problems).toEqual([]);
    expect(headers.map((h) => h.ok && `${h.value.name}@${h.value.version}-${h.value.release}`)).toEqual(['dive@0.9.2-1']);
  });

  it('reads NDB Packages.db slots and blobs (laid out as rpm\'s ndb backend writes them, around real headers)', async () => {
    const sqlite = makeTempFileSqliteReader();
    const rows = await sqlite.query(readFileSync(SQLITE_FIXTURE), 'SELECT blob FROM Packages ORDER BY hnum');
    const blobs = rows.map((r) => Buffer.from(r['blob'] as Uint8Array));
    const ndb = buildNdb(blobs);
    const result = readNdbBlobs(ndb);

    expect(result.problems).toEqual([]);
    expect(result.blobs.map((b) => Buffer.from(b).equals(blobs[result.blobs.indexOf(b)] as Buffer))).toEqual([true, true]);
    expect(readNdbBlobs(Buffer.alloc(64)).problems).toHaveLength(1);
  });

  it('rejects malformed headers and parses source rpm names', () => {
    expect(parseHeaderBlob(Buffer.from([0, 0, 0, 9, 0, 0, 0, 1])).ok).toBe(false);
    expect(parseSourceRpm('glibc-2.28-151.el8.src.rpm')).toEqual({ name: 'glibc', version: '2.28', release: '151.el8' });
  });
});

/** NDB layout: 16-byte header (RpmP, version, generation, slot pages), slots of 16 bytes, blobs at 16-byte blocks. */
function buildNdb(blobs: readonly Buffer[]): Buffer {
  const page = 4096;
  const out = Buffer.alloc(page + blobs.reduce((n, b) => n + 16 + Math.ceil((b.length + 16) / 16) * 16, 0));
  out.writeUInt32LE(0x506d7052, 0);
  out.writeUInt32LE(0, 4);
  out.writeUInt32LE(1, 8);
  out.writeUInt32LE(1, 12);
  let block = page / 16;
  blobs.forEach((blob, i) => {
    const slot = 32 + i * 16;
    out.writeUInt32LE(0x746f6c53, slot);
    out.writeUInt32LE(i + 1, slot + 4);
    out.writeUInt32LE(block, slot + 8);
    out.writeUInt32LE(Math.ceil((blob.length + 16) / 16), slot + 12);
    const at = block * 16;
    out.writeUInt32LE(0x53626c42, at);
    out.writeUInt32LE(i + 1, at + 4);
    out.writeUInt32LE(blob.length, at + 12);
    blob.copy(out, at + 16);
    block += Math.ceil((blob.length + 16) / 16) + 1;
  });
  return out;
}
