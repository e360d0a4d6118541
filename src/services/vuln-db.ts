import { unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../core/errors.ts';
import { byCodePoint } from '../core/order.ts';
import type { Clock, Logger } from '../core/logger.ts';
import type { Advisory } from '../vuln/advisory.ts';
import type { DbCounts, OpenVulnDb, SourceRecord, VulnDb } from '../vuln/db.ts';
import { normaliseDocument } from '../vuln/registry.ts';

/** The file-system operations the importer needs (node:fs/promises satisfies it). */
export interface VulnFs {
  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean; size: number }>;
  readdir(path: string, options: { recursive: true }): Promise<string[]>;
  readFile(path: string): Promise<Uint8Array>;
  copyFile(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
}

/** What a configured source must be (config `vuln.sources[].kind`). */
export type SourceKindHint = 'osv-zip' | 'osv-dir' | 'osv-json' | 'alpine-secdb' | 'nodejs-security-wg';

/** One configured source (config `vuln.sources`): exactly one of url and path. */
export interface ConfiguredSource {
  readonly url?: string | undefined;
  readonly path?: string | undefined;
  readonly kind?: SourceKindHint | undefined;
}

export interface VulnDbDeps {
  readonly openDb: OpenVulnDb;
  readonly fs: VulnFs;
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  readonly log: Logger;
  /** <dataDir>/vuln.db */
  readonly defaultDbPath: string;
  /** Join for paths (node:path join); injected to keep this module free of path flavours. */
  readonly join: (...parts: string[]) => string;
  readonly dirname: (path: string) => string;
  /** A unique suffix for temp files (randomness is injected). */
  readonly tempSuffix: () => string;
  /** Configured sources for `update`; none: the sources recorded in the database. */
  readonly sources?: readonly ConfiguredSource[] | undefined;
}

export interface SourceReport {
  readonly name: string;
  readonly kind: SourceRecord['kind'];
  readonly status: 'imported' | 'not-modified';
  readonly advisories: number;
  readonly affected: number;
  readonly skipped: number;
  readonly files: number;
  readonly ms: number;
}

export interface ImportReport {
  readonly db: string;
  readonly sources: readonly SourceReport[];
  readonly ms: number;
}

export interface DbStatus {
  readonly db: string;
  readonly sizeBytes: number;
  readonly sources: readonly SourceRecord[];
  readonly counts: DbCounts;
}

export interface VulnDbServices {
  importSources(locations: readonly string[], options?: { readonly db?: string | undefined }): Promise<ImportReport>;
  /**
   * Re-reads the configured sources (else every recorded one), URLs conditionally (the recorded
   * ETag / Last-Modified of the same URL), building a new file and swapping it in. Recorded sources
   * that are not configured are kept as they are.
   */
  update(options?: { readonly db?: string | undefined }): Promise<ImportReport>;
  status(options?: { readonly db?: string | undefined }): Promise<DbStatus>;
  /** Opens the database read-only for matching; the caller closes it. */
  open(options?: { readonly db?: string | undefined }): VulnDb;
}

const MAX_ENTRY_BYTES = 256 * 1024 * 1024;
const MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024;
const DOC_EXT = /\.(json|ya?ml)$/i;

interface Fetched {
  readonly kind: SourceRecord['kind'];
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
  readonly notModified?: boolean;
  /** The bytes were a zip archive. */
  readonly zipped?: boolean;
}

/** The feed every record of a source of this kind comes from, and whether it must be a zip / folder. */
const KIND_RULES: Readonly<Record<SourceKindHint, { feed: string; zip?: boolean; folder?: boolean }>> = {
  'osv-zip': { feed: 'osv', zip: true },
  'osv-dir': { feed: 'osv', folder: true },
  'osv-json': { feed: 'osv' },
  'alpine-secdb': { feed: 'alpine-secdb' },
  'nodejs-security-wg': { feed: 'nodejs-security-wg' },
};

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function unzip(bytes: Uint8Array, source: string): { name: string; bytes: Uint8Array }[] {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (!DOC_EXT.test(file.name)) return false;
        if (file.originalSize > MAX_ENTRY_BYTES) {
          throw new AppError('LIMIT_FILE_SIZE', 'a zip entry is larger than the limit', { details: { source, entry: file.name } });
        }
        total += file.originalSize;
        if (total > MAX_ARCHIVE_BYTES) {
          throw new AppError('LIMIT_DECOMPRESSED_SIZE', 'the zip expands beyond the limit', { details: { source } });
        }
        return true;
      },
    });
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('VULN_DB_INVALID', 'the advisory zip cannot be read', { cause, details: { source } });
  }
  return Object.entries(entries)
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([name, data]) => ({ name, bytes: data }));
}

const decoder = new TextDecoder();

function parseDocument(name: string, bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  return /\.ya?ml$/i.test(name) ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
}

/**
 * Folds records with the same id inside one source (AlmaLinux publishes one id per release
 * folder; secdb one per repo file): the newest `modified` gives the metadata, and affected
 * entries and aliases are united so no release's ranges are lost.
 */
function addAdvisory(into: Map<string, Advisory>, a: Advisory): void {
  const existing = into.get(a.id);
  if (existing === undefined) {
    into.set(a.id, a);
    return;
  }
  const newer = (a.modified ?? '') > (existing.modified ?? '') ? a : existing;
  const seen = new Set<string>();
  const affected = [...existing.affected, ...a.affected].filter((p) => {
    const key = JSON.stringify([p.ecosystem, p.name, p.ranges, p.versions]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  into.set(a.id, {
    ...newer,
    aliases: [...new Set([...existing.aliases, ...a.aliases])],
    related: [...new Set([...existing.related, ...a.related])],
    affected,
  });
}

function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

export function makeVulnDbServices(deps: VulnDbDeps): VulnDbServices {
  const { fs, log } = deps;
  const now = (): number => deps.clock.now().getTime();

  async function read(location: string, previous: SourceRecord | undefined): Promise<Fetched> {
    if (isUrl(location)) {
      const headers: Record<string, string> = {};
      if (previous?.etag !== undefined) headers['if-none-match'] = previous.etag;
      if (previous?.lastModified !== undefined) headers['if-modified-since'] = previous.lastModified;
      let response: Response;
      try {
        response = await deps.fetch(location, { headers, redirect: 'follow' });
      } catch (cause) {
        throw new AppError('VULN_FEED_FAILED', 'cannot fetch the advisory source', { cause, details: { source: location } });
      }
      if (response.status === 304) return { kind: 'url', files: [], notModified: true };
      if (!response.ok) {
        throw new AppError('VULN_FEED_FAILED', 'the advisory source answered with an error', {
          details: { source: location, status: response.status },
        });
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const etag = response.headers.get('etag') ?? undefined;
      const lastModified = response.headers.get('last-modified') ?? undefined;
      const zipped = isZip(bytes);
      const files = zipped ? unzip(bytes, location) : [{ name: new URL(location).pathname, bytes }];
      return { kind: 'url', files, etag, lastModified, zipped };
    }
    let info;
    try {
      info = await fs.stat(location);
    } catch (cause) {
      throw new AppError('VULN_FEED_FAILED', 'cannot read the advisory source', { cause, details: { source: location } });
    }
    if (info.isDirectory()) {
      const names = (await fs.readdir(location, { recursive: true })).filter((n) => DOC_EXT.test(n)).sort();
      const files = [];
      for (const name of names) files.push({ name, bytes: await fs.readFile(deps.join(location, name)) });
      return { kind: 'folder', files };
    }
    const bytes = await fs.readFile(location);
    if (isZip(bytes)) return { kind: 'zip', files: unzip(bytes, location), zipped: true };
    return { kind: 'file', files: [{ name: location, bytes }] };
  }

  function normalise(fetched: Fetched, source: string, expected?: SourceKindHint): { advisories: Map<string, Advisory>; skipped: number } {
    const rule = expected === undefined ? undefined : KIND_RULES[expected];
    if (rule !== undefined && ((rule.zip === true && fetched.zipped !== true) || (rule.folder === true && fetched.kind !== 'folder'))) {
      throw new AppError('VULN_FEED_FAILED', 'the advisory source is not of its configured kind', {
        details: { source, expected: expected ?? '', found: fetched.zipped === true ? 'zip' : fetched.kind },
      });
    }
    const advisories = new Map<string, Advisory>();
    let skipped = 0;
    for (const file of fetched.files) {
      let doc: unknown;
      try {
        doc = parseDocument(file.name, file.bytes);
      } catch (cause) {
        // Per-file failure at the import boundary: counted and logged at debug, the import goes on.
        log.debug({ source, file: file.name, err: String(cause) }, 'advisory file does not parse');
        skipped++;
        continue;
      }
      const item = normaliseDocument(doc);
      if (item.kind === 'skipped') {
        log.debug({ source, file: file.name, reason: item.reason }, 'advisory file skipped');
        skipped++;
        continue;
      }
      if (rule !== undefined && item.feed !== rule.feed) {
        throw new AppError('VULN_FEED_FAILED', 'the advisory source is not of its configured kind', {
          details: { source, file: file.name, expected: expected ?? '', found: item.feed ?? 'unknown' },
        });
      }
      for (const a of item.advisories) addAdvisory(advisories, a);
    }
    return { advisories, skipped };
  }

  async function isFile(path: string): Promise<boolean> {
    try {
      return (await fs.stat(path)).isFile();
    } catch (error) {
      log.debug({ db: path, err: String(error) }, 'no database yet');
      return false;
    }
  }

  /** Builds into a temp copy and renames it over the database; on any failure the old file stays. */
  async function withSwap<T>(dbPath: string, work: (db: VulnDb) => Promise<T>): Promise<T> {
    await fs.mkdir(deps.dirname(dbPath), { recursive: true });
    const temp = `${dbPath}.tmp-${deps.tempSuffix()}`;
    let existing = false;
    try {
      existing = (await fs.stat(dbPath)).isFile();
    } catch (error) {
      log.debug({ db: dbPath, err: String(error) }, 'no database yet; creating one');
    }
    if (existing) await fs.copyFile(dbPath, temp);
    let db: VulnDb | undefined;
    try {
      db = deps.openDb(temp, { create: true });
      const result = await work(db);
      db.close();
      db = undefined;
      await fs.rename(temp, dbPath);
      return result;
    } catch (error) {
      db?.close();
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async function importInto(db: VulnDb, location: string, previous: SourceRecord | undefined, expected?: SourceKindHint): Promise<SourceReport> {
    const started = now();
    const fetched = await read(location, previous);
    if (fetched.notModified === true && previous !== undefined) {
      return { ...previous, status: 'not-modified', files: 0, ms: now() - started };
    }
    const { advisories, skipped } = normalise(fetched, location, expected);
    const record: SourceRecord = {
      name: location,
      kind: fetched.kind,
      importedAt: deps.clock.now().toISOString(),
      advisories: advisories.size,
      affected: 0,
      skipped,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
    };
    const written = db.replaceSource(record, advisories.values());
    return {
      name: location,
      kind: fetched.kind,
      status: 'imported',
      advisories: written.advisories,
      affected: written.affected,
      skipped,
      files: fetched.files.length,
      ms: now() - started,
    };
  }

  return {
    async importSources(locations, options = {}) {
      const dbPath = options.db ?? deps.defaultDbPath;
      const started = now();
      const sources = await withSwap(dbPath, async (db) => {
        const reports: SourceReport[] = [];
        for (const location of locations) reports.push(await importInto(db, location, undefined));
        return reports;
      });
      return { db: dbPath, sources, ms: now() - started };
    },

    async update(options = {}) {
      const dbPath = options.db ?? deps.defaultDbPath;
      const started = now();
      const configured = deps.sources ?? [];
      let known: readonly SourceRecord[] = [];
      // With configured sources a missing database is built from them; without, it is an error.
      if (configured.length === 0 || (await isFile(dbPath))) {
        const current = deps.openDb(dbPath, { create: false });
        known = current.sources();
        current.close();
      }
      const plan =
        configured.length > 0
          ? configured.map((c) => {
              const location = c.url ?? c.path ?? '';
              return { location, previous: known.find((k) => k.name === location), kind: c.kind };
            })
          : known.map((k) => ({ location: k.name, previous: k, kind: undefined }));
      const sources = await withSwap(dbPath, async (db) => {
        const reports: SourceReport[] = [];
        for (const p of plan) reports.push(await importInto(db, p.location, p.previous, p.kind));
        return reports;
      });
      return { db: dbPath, sources, ms: now() - started };
    },

    async status(options = {}) {
      const dbPath = options.db ?? deps.defaultDbPath;
      const db = deps.openDb(dbPath, { create: false });
      try {
        const size = (await fs.stat(dbPath)).size;
        return { db: dbPath, sizeBytes: size, sources: db.sources(), counts: db.counts() };
      } finally {
        db.close();
      }
    },

    open(options = {}) {
      return deps.openDb(options.db ?? deps.defaultDbPath, { create: false });
    },
  };
}
