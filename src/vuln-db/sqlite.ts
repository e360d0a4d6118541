import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../core/errors.ts';
import { forMatching, MATCHING_FORM_VERSION, packAffected, packHead, unpackAffected, unpackHead, type Advisory, type AdvisoryHead, type AffectedPackage, type PackedAffected, type PackedHead } from '../vuln/advisory.ts';
import { baseOf, packageKey, releaseKey, type DbCounts, type OpenVulnDb, type SourceRecord, type VulnDb } from '../vuln/db.ts';

const SCHEMA_VERSION = 7;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  name TEXT PRIMARY KEY, kind TEXT NOT NULL, imported_at TEXT NOT NULL,
  advisories INTEGER NOT NULL, affected INTEGER NOT NULL, skipped INTEGER NOT NULL,
  etag TEXT, last_modified TEXT);
CREATE TABLE IF NOT EXISTS advisories (
  pk INTEGER PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL, feed TEXT NOT NULL,
  modified TEXT, published TEXT, withdrawn TEXT,
  -- what a finding shows of it, packed (PackedHead: [id, aliases, related, severity, summary, withdrawn]):
  -- matching reads this column alone, for the advisories that matched
  head TEXT NOT NULL,
  UNIQUE (source, id));
CREATE TABLE IF NOT EXISTS affected (
  advisory INTEGER NOT NULL REFERENCES advisories(pk) ON DELETE CASCADE,
  -- what lookups filter on (the entry's ecosystem, name and purl are in data)
  base TEXT NOT NULL, key TEXT NOT NULL,
  -- the canonical release (releaseKey: "Ubuntu:22.04:LTS" → '22.04'), '' when the ecosystem names none
  release TEXT NOT NULL,
  -- the whole affected entry packed (PackedAffected: [advisory pk, ecosystem, name, ranges, versions,
  -- fixed, severity, purl?], ranges as PackedRange) as one JSON text
  data TEXT NOT NULL,
  -- the same as matching reads it (forMatching: listed versions the ranges contain left out)
  match TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (base, key, release);
CREATE INDEX IF NOT EXISTS affected_by_advisory ON affected (advisory);
-- What matching reads: every affected entry of one (base, key, release), in affected rowid order, as one
-- JSON array of their match texts. One indexed row per name instead of one per entry: a lookup
-- seeks and decodes a few thousand rows for a 2,000-package image, not tens of thousands. Rebuilt for
-- the names a source touches whenever the source is replaced.
-- A rowid table with a unique index, not WITHOUT ROWID: its rows are large (WITHOUT ROWID suits small
-- rows) and a batch lookup read them in half the time this way (measured).
CREATE TABLE IF NOT EXISTS lookup (base TEXT NOT NULL, key TEXT NOT NULL, release TEXT NOT NULL, entries TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS lookup_by_package ON lookup (base, key, release);
CREATE TABLE IF NOT EXISTS aliases (
  alias TEXT NOT NULL, advisory INTEGER NOT NULL REFERENCES advisories(pk) ON DELETE CASCADE,
  PRIMARY KEY (alias, advisory)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_by_advisory ON aliases (advisory);
`;

interface AdvisoryRow {
  pk: number;
  feed: string;
  modified: string | null;
  published: string | null;
  head: string;
}

interface AffectedRow {
  advisory: number;
  data: string;
}

function affectedOf(a: AffectedRow): AffectedPackage {
  return unpackAffected(JSON.parse(a.data) as PackedAffected);
}

const opt = (v: string | null): string | undefined => (v === null ? undefined : v);

/** Opens (or creates) the advisory database at `path` with node:sqlite. */
export const openSqliteVulnDb: OpenVulnDb = (path, options) => {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: !options.create });
    db.exec('PRAGMA foreign_keys = ON');
    if (options.create) {
      db.exec('PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;');
      db.exec(SCHEMA);
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
      // databases of this format written before the matching form was recorded were built under version 1
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('matching_form', String(MATCHING_FORM_VERSION));
    } else {
      // Lookups read scattered pages of a file no one writes in place (updates swap in a new file):
      // mapping it saves a read() per page.
      db.exec('PRAGMA mmap_size = 268435456');
    }
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    if (row?.value !== String(SCHEMA_VERSION)) {
      db.close();
      if (row !== undefined && /^\d+$/.test(row.value)) {
        throw new AppError(
          'VULN_DB_INVALID',
          `the advisory database is in format ${row.value}; this tollgate reads format ${String(SCHEMA_VERSION)}: import its sources into a new file (tollgate db import SOURCE... --db NEW) or remove it and import again`,
          { details: { path, format: Number(row.value), expected: SCHEMA_VERSION } },
        );
      }
      throw new AppError('VULN_DB_INVALID', 'not a tollgate advisory database of a known schema version', { details: { path } });
    }
    const form = (db.prepare("SELECT value FROM meta WHERE key = 'matching_form'").get() as { value: string } | undefined)?.value ?? '1';
    if (form !== String(MATCHING_FORM_VERSION)) {
      db.close();
      throw new AppError(
        'VULN_DB_INVALID',
        `the advisory database was built for version matching ${form}; this tollgate matches with ${String(MATCHING_FORM_VERSION)}: import its sources into a new file (tollgate db import SOURCE... --db NEW) or remove it and import again`,
        { details: { path, matchingForm: form, expected: MATCHING_FORM_VERSION } },
      );
    }
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    // SQLITE_CANTOPEN (14): no such file (read-only open never creates one); anything else: not ours.
    const missing = !options.create && (cause as { errcode?: number } | null)?.errcode === 14;
    throw new AppError(missing ? 'VULN_DB_MISSING' : 'VULN_DB_INVALID', 'cannot open the advisory database', {
      cause,
      details: { path },
    });
  }

  // Whole advisories (advisoriesFor, advisoriesById): the head plus the columns matching does not read,
  // by pk in (id, source) order.
  const advisoryRows = db.prepare('SELECT pk, feed, modified, published, head FROM advisories WHERE pk IN (SELECT value FROM json_each(?)) ORDER BY id, source');
  const wholeHeads = (pks: Iterable<number>): Map<number, Omit<Advisory, 'affected'>> => {
    const out = new Map<number, Omit<Advisory, 'affected'>>();
    const list = [...pks];
    if (list.length === 0) return out;
    for (const r of advisoryRows.all(JSON.stringify(list)) as unknown as AdvisoryRow[]) {
      out.set(r.pk, { ...unpackHead(JSON.parse(r.head) as PackedHead), feed: r.feed, modified: opt(r.modified), published: opt(r.published) });
    }
    return out;
  };

  const loadAdvisories = (pks: readonly number[]): Advisory[] => {
    if (pks.length === 0) return [];
    const byPk = new Map<number, AffectedPackage[]>(pks.map((pk) => [pk, []]));
    const affected = db.prepare('SELECT advisory, data FROM affected WHERE advisory IN (SELECT value FROM json_each(?)) ORDER BY rowid').all(JSON.stringify(pks)) as unknown as AffectedRow[];
    for (const a of affected) byPk.get(a.advisory)?.push(affectedOf(a));
    return [...wholeHeads(pks)].map(([pk, head]) => ({ ...head, affected: byPk.get(pk) ?? [] }));
  };

  // Lookups: one query per (ecosystem, batch of names) on the lookup table, the release filtered by
  // its key (lookup.release holds releaseKey), rows as arrays [name key, entries JSON]. Heads are
  // fetched for the refs asked for (matching asks once, for the advisories that matched).
  const manyAnyRelease = db.prepare('SELECT key, entries FROM lookup WHERE base = ? AND key IN (SELECT value FROM json_each(?))');
  const manyInRelease = db.prepare(
    "SELECT key, entries FROM lookup WHERE base = ? AND key IN (SELECT value FROM json_each(?)) AND release IN ('', ?)",
  );
  const headsByPk = db.prepare('SELECT pk, head FROM advisories WHERE pk IN (SELECT value FROM json_each(?))');
  for (const statement of [manyAnyRelease, manyInRelease, headsByPk]) statement.setReturnArrays(true);
  const none: readonly PackedAffected[] = [];

  const matchEntriesForMany = (ecosystem: string, names: readonly string[]): Map<string, readonly PackedAffected[]> => {
    const keyOf = new Map<string, string>();
    for (const name of names) keyOf.set(name, packageKey(ecosystem, name));
    const release = releaseKey(ecosystem);
    const keys = JSON.stringify([...new Set(keyOf.values())]);
    const rows = (release === undefined ? manyAnyRelease.all(baseOf(ecosystem), keys) : manyInRelease.all(baseOf(ecosystem), keys, release)) as unknown as [string, string][];
    // A key's '' and release rows merge (in row order; each row in affected rowid order).
    const byKey = new Map<string, readonly PackedAffected[]>();
    for (const [key, entries] of rows) {
      const decoded = JSON.parse(entries) as PackedAffected[];
      const seen = byKey.get(key);
      byKey.set(key, seen === undefined ? decoded : [...seen, ...decoded]);
    }
    const result = new Map<string, readonly PackedAffected[]>();
    for (const [name, key] of keyOf) result.set(name, byKey.get(key) ?? none);
    return result;
  };

  const advisoryHeads = (refs: readonly number[]): Map<number, AdvisoryHead> => {
    const out = new Map<number, AdvisoryHead>();
    if (refs.length === 0) return out;
    for (const [pk, head] of headsByPk.all(JSON.stringify(refs)) as unknown as [number, string][]) out.set(pk, unpackHead(JSON.parse(head) as PackedHead));
    return out;
  };

  // advisoriesFor: one name's affected entries as imported (not the lookup's matching form), each
  // row with its advisory, in (advisory id, affected rowid) order: advisories ordered by id (ties by
  // their first entry), each with its entries for this name in import order.
  const select = 'SELECT a.pk, a.feed, a.modified, a.published, a.head, f.data FROM affected f JOIN advisories a ON a.pk = f.advisory WHERE f.base = ? AND f.key = ?';
  const affectedAnyRelease = db.prepare(`${select} ORDER BY a.id, f.rowid`);
  const affectedInRelease = db.prepare(`${select} AND f.release IN ('', ?) ORDER BY a.id, f.rowid`);
  for (const statement of [affectedAnyRelease, affectedInRelease]) statement.setReturnArrays(true);
  type AdvisoryAffectedRow = [pk: number, feed: string, modified: string | null, published: string | null, head: string, data: string];

  const advisoriesFor = (ecosystem: string, name: string): Advisory[] => {
    const release = releaseKey(ecosystem);
    const key = packageKey(ecosystem, name);
    const rows = (release === undefined ? affectedAnyRelease.all(baseOf(ecosystem), key) : affectedInRelease.all(baseOf(ecosystem), key, release)) as unknown as AdvisoryAffectedRow[];
    const byPk = new Map<number, { advisory: Omit<Advisory, 'affected'>; affected: AffectedPackage[] }>();
    for (const [pk, feed, modified, published, head, data] of rows) {
      const entry = unpackAffected(JSON.parse(data) as PackedAffected);
      const seen = byPk.get(pk);
      if (seen !== undefined) seen.affected.push(entry);
      else byPk.set(pk, { advisory: { ...unpackHead(JSON.parse(head) as PackedHead), feed, modified: opt(modified), published: opt(published) }, affected: [entry] });
    }
    return [...byPk.values()].map(({ advisory, affected }) => ({ ...advisory, affected }));
  };

  const api: VulnDb = {
    replaceSource(source: SourceRecord, advisories: Iterable<Advisory>) {
      const insertAdvisory = db.prepare(
        `INSERT INTO advisories (source, id, feed, modified, published, withdrawn, head)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING pk`,
      );
      const insertAffected = db.prepare(
        'INSERT INTO affected (advisory, base, key, release, data, match) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const insertAlias = db.prepare('INSERT OR IGNORE INTO aliases (alias, advisory) VALUES (?, ?)');
      let count = 0;
      let affectedCount = 0;
      db.exec('BEGIN');
      try {
        // The names this source names now or named before: their lookup rows are rebuilt below.
        db.exec('CREATE TEMP TABLE IF NOT EXISTS touched (base TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (base, key)) WITHOUT ROWID; DELETE FROM temp.touched');
        const touchSource = db.prepare(
          'INSERT OR IGNORE INTO temp.touched (base, key) SELECT f.base, f.key FROM affected f JOIN advisories a ON a.pk = f.advisory WHERE a.source = ?',
        );
        touchSource.run(source.name);
        // Callers hand over one advisory per id (the importer folds duplicates), so plain inserts suffice.
        db.prepare('DELETE FROM advisories WHERE source = ?').run(source.name);
        for (const a of advisories) {
          const { pk } = insertAdvisory.get(
            source.name, a.id, a.feed, a.modified ?? null, a.published ?? null, a.withdrawn ?? null, JSON.stringify(packHead(a)),
          ) as { pk: number };
          count++;
          insertAlias.run(a.id, pk);
          for (const alias of a.aliases) insertAlias.run(alias, pk);
          for (const p of a.affected) {
            const packed = packAffected(pk, p);
            const data = JSON.stringify(packed);
            const match = forMatching(packed);
            insertAffected.run(
              pk, baseOf(p.ecosystem), packageKey(p.ecosystem, p.name), releaseKey(p.ecosystem) ?? '',
              data, match === packed ? data : JSON.stringify(match),
            );
            affectedCount++;
          }
        }
        touchSource.run(source.name);
        db.exec(`DELETE FROM lookup WHERE (base, key) IN (SELECT base, key FROM temp.touched);
          INSERT INTO lookup (base, key, release, entries)
            SELECT f.base, f.key, f.release, '[' || group_concat(f.match, ',' ORDER BY f.rowid) || ']'
            FROM affected f WHERE (f.base, f.key) IN (SELECT base, key FROM temp.touched)
            GROUP BY f.base, f.key, f.release;
          DELETE FROM temp.touched;`);
        db.prepare(
          `INSERT INTO sources (name, kind, imported_at, advisories, affected, skipped, etag, last_modified)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, imported_at = excluded.imported_at,
             advisories = excluded.advisories, affected = excluded.affected, skipped = excluded.skipped,
             etag = excluded.etag, last_modified = excluded.last_modified`,
        ).run(source.name, source.kind, source.importedAt, count, affectedCount, source.skipped, source.etag ?? null, source.lastModified ?? null);
        db.exec('COMMIT');
      } catch (cause) {
        db.exec('ROLLBACK');
        throw new AppError('STORE_FAILED', 'could not write advisories', { cause, details: { source: source.name } });
      }
      return { advisories: count, affected: affectedCount };
    },

    sources() {
      const rows = db.prepare('SELECT * FROM sources ORDER BY name').all() as unknown as {
        name: string; kind: SourceRecord['kind']; imported_at: string; advisories: number; affected: number;
        skipped: number; etag: string | null; last_modified: string | null;
      }[];
      return rows.map((r) => ({
        name: r.name, kind: r.kind, importedAt: r.imported_at, advisories: r.advisories, affected: r.affected,
        skipped: r.skipped, etag: opt(r.etag), lastModified: opt(r.last_modified),
      }));
    },

    counts(): DbCounts {
      const one = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
      const byEcosystem: Record<string, number> = {};
      for (const r of db.prepare('SELECT base, COUNT(DISTINCT advisory) AS n FROM affected GROUP BY base ORDER BY base').all() as unknown as { base: string; n: number }[]) {
        byEcosystem[r.base] = r.n;
      }
      return {
        advisories: one('SELECT COUNT(*) AS n FROM advisories'),
        affected: one('SELECT COUNT(*) AS n FROM affected'),
        aliases: one('SELECT COUNT(*) AS n FROM aliases'),
        withdrawn: one('SELECT COUNT(*) AS n FROM advisories WHERE withdrawn IS NOT NULL'),
        byEcosystem,
      };
    },

    advisoriesFor,

    matchEntriesForMany,

    advisoryHeads,

    advisoriesById(id) {
      const rows = db.prepare('SELECT DISTINCT advisory FROM aliases WHERE alias = ?').all(id) as unknown as { advisory: number }[];
      return loadAdvisories(rows.map((r) => r.advisory));
    },

    close() {
      if (db.isOpen) db.close();
    },
  };
  return api;
};
