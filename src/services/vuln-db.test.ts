import * as fsp from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, systemClock } from '../core/logger.ts';
import { openSqliteVulnDb } from '../vuln-db/sqlite.ts';
import { loadConfig } from '../config/index.ts';
import { makeLocalVulnDbServices } from '../testing/vuln-db.ts';
import { makeVulnDbServices, type ConfiguredSource } from './vuln-db.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/osv/', import.meta.url));

function osvRecord(id: string, name: string, fixed: string, modified = '2024-01-01T00:00:00Z'): string {
  return JSON.stringify({
    schema_version: '1.6.0',
    id,
    modified,
    aliases: [`CVE-2024-${id.slice(-4)}`],
    affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
  });
}

/** A local HTTP server serving an osv.dev-style all.zip with an ETag; `state` steers its answers. */
const state = { zip: new Uint8Array(), etag: '"v1"', fail: false, requests: [] as { ifNoneMatch: string | undefined }[] };
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    state.requests.push({ ifNoneMatch: req.headers['if-none-match'] });
    if (state.fail) {
      res.writeHead(500).end('boom');
      return;
    }
    if (req.headers['if-none-match'] === state.etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip', etag: state.etag, 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' });
    res.end(state.zip);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function makeServices() {
  return makeLocalVulnDbServices('tollgate-vulndb-');
}

describe('advisory database import', () => {
  it('imports an all.zip over HTTP, then updates conditionally and on change', async () => {
    const { services, dbPath, dir } = await makeServices();
    state.fail = false;
    state.etag = '"v1"';
    state.zip = zipSync({ 'PYSEC-2024-0001.json': strToU8(osvRecord('PYSEC-2024-0001', 'Django', '4.2.1')), 'README.txt': strToU8('x') });
    const first = await services.importSources([`${base}/PyPI/all.zip`]);
    expect(first.sources[0]).toMatchObject({ kind: 'url', status: 'imported', advisories: 1, affected: 1 });

    const db = services.open({ db: dbPath });
    expect(db.advisoriesFor('PyPI', 'django').map((a) => a.id)).toEqual(['PYSEC-2024-0001']);
    expect(db.advisoriesById('CVE-2024-0001').map((a) => a.id)).toEqual(['PYSEC-2024-0001']);
    expect(db.sources()[0]).toMatchObject({ etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    db.close();

    state.requests = [];
    const unchanged = await services.update();
    expect(state.requests[0]?.ifNoneMatch).toBe('"v1"');
    expect(unchanged.sources[0]).toMatchObject({ status: 'not-modified' });
    expect((await services.status()).counts.advisories).toBe(1);

    state.etag = '"v2"';
    state.zip = zipSync({
      'PYSEC-2024-0001.json': strToU8(osvRecord('PYSEC-2024-0001', 'Django', '4.2.2', '2024-02-01T00:00:00Z')),
      'PYSEC-2024-0002.json': strToU8(osvRecord('PYSEC-2024-0002', 'requests', '2.31.0')),
    });
    const changed = await services.update();
    expect(changed.sources[0]).toMatchObject({ status: 'imported', advisories: 2 });
    const after = services.open();
    expect(after.advisoriesFor('PyPI', 'Django')[0]?.affected[0]?.fixed).toEqual(['4.2.2']);
    after.close();
    expect((await fsp.readdir(dir)).sort()).toEqual(['vuln.db']);
  });

  it('leaves the old database intact when an update fails', async () => {
    const { services, dbPath, dir } = await makeServices();
    state.fail = false;
    state.etag = '"v1"';
    state.zip = zipSync({ 'GO-2024-0001.json': strToU8(osvRecord('GO-2024-0001', 'x', '1.0.0')) });
    await services.importSources([`${base}/Go/all.zip`]);
    const before = await fsp.readFile(dbPath);

    state.fail = true;
    state.etag = '"v2"';
    await expect(services.update()).rejects.toMatchObject({ code: 'VULN_FEED_FAILED' });
    expect(Buffer.compare(await fsp.readFile(dbPath), before)).toBe(0);
    expect(await fsp.readdir(dir)).toEqual(['vuln.db']);
    expect((await services.status()).counts.advisories).toBe(1);

    state.fail = false;
    state.zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    await expect(services.update()).rejects.toMatchObject({ code: 'VULN_DB_INVALID' });
    expect(Buffer.compare(await fsp.readFile(dbPath), before)).toBe(0);
  });

  it('fails with VULN_DB_MISSING for status of a database that does not exist', async () => {
    const { services, dir } = await makeServices();
    await expect(services.status({ db: join(dir, 'nope.db') })).rejects.toMatchObject({ code: 'VULN_DB_MISSING' });
  });

  it('imports a loose folder, a zip file and Alpine secdb YAML from the corpus', async () => {
    const { services, dir } = await makeServices();
    const zipPath = join(dir, 'all.zip');
    const names = (await fsp.readdir(join(CORPUS, 'pypa-advisory-db-json'))).sort().slice(0, 50);
    const entries: Record<string, Uint8Array> = {};
    for (const n of names) entries[n] = await fsp.readFile(join(CORPUS, 'pypa-advisory-db-json', n));
    await fsp.writeFile(zipPath, zipSync(entries));

    const report = await services.importSources([join(CORPUS, 'go-vulndb'), zipPath, join(CORPUS, 'alpine-secdb/v3.11/main.yaml')]);
    expect(report.sources.map((s) => [s.kind, s.advisories])).toEqual([
      ['folder', 4291],
      ['zip', 50],
      ['file', expect.any(Number)],
    ]);
    const status = await services.status();
    expect(status.counts.byEcosystem['Go']).toBe(4291);
    const db = services.open();
    const ansible = db.advisoriesFor('Alpine:v3.11', 'ansible');
    const a = ansible.find((x) => x.id === 'ALPINE-CVE-2019-14904');
    expect(a?.affected[0]).toMatchObject({ ecosystem: 'Alpine:v3.11', fixed: ['2.9.3-r0'] });
    expect(a?.aliases).toContain('CVE-2019-14904');
    db.close();

    // update re-reads local sources in full and keeps the counts.
    const updated = await services.update();
    const byName = (list: readonly { name: string; status: string; advisories: number }[]) =>
      Object.fromEntries(list.map((s) => [s.name, [s.status, s.advisories]]));
    expect(byName(updated.sources)).toEqual(byName(report.sources));
    expect((await services.status()).counts.advisories).toBe(status.counts.advisories);
  });
});

describe('db update from configured sources', () => {
  // A local server publishing an osv.dev-style Go/all.zip built from real corpus records, with an ETag.
  const served = { etag: '"go-1"', requests: [] as (string | undefined)[] };
  let goServer: Server;
  let goUrl = '';
  const goFiles = ['GO-2020-0001.json', 'GO-2020-0003.json', 'GO-2020-0004.json'];

  beforeAll(async () => {
    const entries: Record<string, Uint8Array> = {};
    for (const f of goFiles) entries[f] = new Uint8Array(await fsp.readFile(join(CORPUS, 'go-vulndb', f)));
    const zip = zipSync(entries);
    goServer = createServer((req, res) => {
      served.requests.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === served.etag) {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/zip', etag: served.etag }).end(zip);
    });
    await new Promise<void>((resolve) => goServer.listen(0, '127.0.0.1', resolve));
    const address = goServer.address();
    goUrl = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}/Go/all.zip` : '';
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => goServer.close(() => resolve()));
  });

  async function servicesWith(sources: ConfiguredSource[] | undefined, dir?: string) {
    const folder = dir ?? (await fsp.mkdtemp(join(tmpdir(), 'tollgate-vulndb-cfg-')));
    let n = 0;
    const dbPath = join(folder, 'vuln.db');
    const services = makeVulnDbServices({
      openDb: openSqliteVulnDb, fs: fsp, fetch, clock: systemClock, log: silentLogger, defaultDbPath: dbPath, join, dirname,
      tempSuffix: () => String(++n), sources,
    });
    return { services, dbPath, dir: folder };
  }

  it('builds the database from configured sources, then updates conditionally; without config it uses the recorded ones', async () => {
    const secdb = join(CORPUS, 'alpine-secdb', 'v3.11');
    const sources: ConfiguredSource[] = [{ url: goUrl, kind: 'osv-zip' }, { path: secdb, kind: 'alpine-secdb' }];
    const { services, dbPath, dir } = await servicesWith(sources);
    served.requests = [];

    const first = await services.update();
    expect(first.sources.map((s) => [s.name, s.status])).toEqual([[goUrl, 'imported'], [secdb, 'imported']]);
    expect(first.sources[0]?.advisories).toBe(goFiles.length);
    expect(served.requests).toEqual([undefined]);
    const db = services.open();
    expect(db.advisoriesFor('Go', 'github.com/gin-gonic/gin').map((a) => a.id)).toEqual(['GO-2020-0001']);
    expect(db.advisoriesFor('Alpine:v3.11', 'ansible').length).toBeGreaterThan(0);
    db.close();

    const second = await services.update();
    expect(second.sources.map((s) => [s.name, s.status])).toEqual([[goUrl, 'not-modified'], [secdb, 'imported']]);
    expect(served.requests).toEqual([undefined, '"go-1"']);

    // No configured sources: the ones recorded in the database, still conditionally.
    const { services: plain } = await servicesWith(undefined, dir);
    const third = await plain.update({ db: dbPath });
    expect(Object.fromEntries(third.sources.map((s) => [s.name, s.status]))).toEqual({ [goUrl]: 'not-modified', [secdb]: 'imported' });
    expect(served.requests).toEqual([undefined, '"go-1"', '"go-1"']);
  });

  it('rejects a source that is not of its configured kind and leaves the database intact', async () => {
    const { services, dbPath, dir } = await servicesWith([{ url: goUrl, kind: 'osv-zip' }]);
    await services.update();
    const before = await services.status();

    served.etag = '"go-2"'; // changed upstream: fetched again, so its content is checked
    const { services: wrongFeed } = await servicesWith([{ url: goUrl, kind: 'alpine-secdb' }], dir);
    await expect(wrongFeed.update({ db: dbPath })).rejects.toMatchObject({ code: 'VULN_FEED_FAILED' });
    const { services: notAZip } = await servicesWith([{ path: join(CORPUS, 'alpine-secdb', 'v3.11'), kind: 'osv-zip' }], dir);
    await expect(notAZip.update({ db: dbPath })).rejects.toMatchObject({ code: 'VULN_FEED_FAILED' });

    const after = await services.status();
    expect(after.counts).toEqual(before.counts);
    expect(after.sources).toEqual(before.sources);
    expect((await fsp.readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('reads vuln.sources from the config file (strict: exactly one of url and path, known kinds)', async () => {
    const dir = await fsp.mkdtemp(join(tmpdir(), 'tollgate-vulndb-config-'));
    const write = async (name: string, text: string): Promise<string> => {
      await fsp.writeFile(join(dir, name), text);
      return join(dir, name);
    };
    const good = await write('good.yaml', `vuln:\n  sources:\n    - url: ${goUrl}\n      kind: osv-zip\n    - path: /srv/osv/PyPI\n`);
    expect((await loadConfig({ config: good, dataDir: dir }, {})).vuln.sources).toEqual([{ url: goUrl, kind: 'osv-zip' }, { path: '/srv/osv/PyPI' }]);
    expect((await loadConfig({ dataDir: dir }, {})).vuln.sources).toEqual([]);
    for (const bad of [
      'vuln:\n  sources:\n    - url: https://example.org/all.zip\n      path: /x\n',
      'vuln:\n  sources:\n    - {}\n',
      'vuln:\n  sources:\n    - path: /x\n      kind: tarball\n',
      'vuln:\n  sources:\n    - url: ftp://example.org/all.zip\n',
      'vuln:\n  mirrors: []\n',
    ]) {
      const file = await write('bad.yaml', bad);
      await expect(loadConfig({ config: file, dataDir: dir }, {})).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });
});
