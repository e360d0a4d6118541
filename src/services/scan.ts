/**
 * `tollgate scan`: catalogue (through the SBOM service) → match against the advisory database →
 * reachability from the image's ENTRYPOINT/CMD → VEX → report; OpenVEX out (--vex-out) through src/trust's builder.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Catalog } from '../catalog/index.ts';
import { monotonicMs } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import type { Clock, Logger } from '../core/logger.ts';
import type { FileEntry, FileTree } from '../image/index.ts';
import { parentPath } from '../image/paths.ts';
import type { ImageConfig } from '../oci/index.ts';
import type { VulnDb } from '../vuln/db.ts';
import { matchCatalog } from '../vuln/match.ts';
import { assessPackages, npmLoadedPackages, pythonLoadedDistributions, reachableFiles, reachedInterpreters, type NpmReach, type OsReachability, type PackageReach, type PythonReach } from '../vuln/reachability/index.ts';
import {
  failsAt,
  renderCycloneDx,
  renderJson,
  renderSarif,
  sortFindings,
  type FailOn,
  type ScanResult,
  type ScannedFinding,
} from '../vuln/report.ts';
import { parseVex, suppressingStatement, type VexStatement } from '../vuln/vex.ts';
import { makeStatement } from '../trust/in-toto.ts';
import { cosignVulnPredicate, openVexDocument, PREDICATE_TYPES, type VexStatementInput } from '../trust/predicates.ts';
import type { SbomServices } from './sbom.ts';

export type { FailOn, ScanResult, ScannedFinding };

/** Opens an image (or folder) as a tree plus its config, for reachability. */
export type OpenImage = (
  source: string,
  options: { readonly want: (entry: FileEntry) => boolean; readonly platform?: string },
) => Promise<{ readonly tree: FileTree; readonly config: ImageConfig | undefined; close(): Promise<void> }>;

export interface ScanDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly sbom: Pick<SbomServices, 'catalogSource' | 'openCatalogued' | 'readSbom'>;
  /**
   * Opens the image a second time for reachability (a seam for tests that alter the config). Without it,
   * one read of the image serves both the catalogue and reachability (sbom.openCatalogued).
   */
  readonly openImage?: OpenImage;
  readonly openDb: (path: string) => VulnDb;
  readonly defaultDbPath: string;
  readonly tool: { readonly name: string; readonly version: string };
}

export interface ScanOptions {
  readonly db?: string | undefined;
  readonly ignoreUnreachable?: boolean;
  readonly vex?: readonly string[];
  readonly reachability?: boolean;
  /**
   * The result must name the image digest (an in-toto statement needs it): an SBOM that names none is
   * INPUT_INVALID as soon as it is read, before any matching.
   */
  readonly requireDigest?: boolean;
  /** The platform to take from a multi-platform image, as os/arch[/variant] (default linux/<host arch>). */
  readonly platform?: string;
  readonly onProgress?: (message: string) => void;
}

export type ScanFormat = 'table' | 'json' | 'sarif' | 'cyclonedx' | 'in-toto';

export interface ScanServices {
  scan(source: string, options?: ScanOptions): Promise<ScanResult>;
  render(result: ScanResult, format: Exclude<ScanFormat, 'table'>): string;
  /** OpenVEX statements (not_affected, vulnerable_code_not_in_execute_path) for the findings reachability says are not reachable. */
  vexForUnreachable(result: ScanResult): string;
  fails(result: ScanResult, threshold: FailOn): boolean;
}

/** Layer-cache key of reachabilityWant: change it whenever reachabilityWant selects other files. */
export const REACHABILITY_WANT_KEY = 'scan/reachability@1';

/** Files whose contents reachability reads: executables, shared objects, ld.so.conf, scripts and package.json. */
export function reachabilityWant(entry: FileEntry): boolean {
  if (entry.type !== 'file' && entry.type !== 'hardlink') return false;
  if ((entry.mode & 0o111) !== 0) return true;
  const p = entry.path;
  return /\.so(\.[0-9.]+)?$/.test(p) || p.startsWith('/etc/ld.so.conf') || /\.(c?js|mjs|json|py)$/.test(p);
}

function npmEntry(os: OsReachability, tree: FileTree, workingDir: string | undefined): { entry?: string; reason: string } {
  const script = [...os.files.keys()].find((f) => /\.(c?js|mjs)$/.test(f));
  if (script !== undefined) return { entry: script, reason: 'argument' };
  const dir = workingDir !== undefined && workingDir !== '' ? workingDir : '/';
  const pkgPath = `${dir === '/' ? '' : dir}/package.json`;
  if (tree.resolve(pkgPath) !== undefined) return { reason: `${pkgPath} (main read below)` };
  return { reason: 'no entry script found' };
}

export function makeScanServices(deps: ScanDeps): ScanServices {
  const readVex = async (paths: readonly string[]): Promise<VexStatement[]> => {
    const out: VexStatement[] = [];
    for (const path of paths) {
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(path, 'utf8'));
      } catch (cause) {
        throw new AppError('INPUT_INVALID', 'the VEX document cannot be read as JSON', { cause, details: { path } });
      }
      const statements = parseVex(doc, path);
      if (statements === undefined) throw new AppError('INPUT_INVALID', 'not an OpenVEX or CycloneDX VEX document', { details: { path } });
      out.push(...statements);
    }
    return out;
  };

  return {
    async scan(source, options = {}) {
      const started = monotonicMs();
      const startedAt = deps.clock.now().toISOString();
      const progress = options.onProgress ?? ((): void => undefined);
      const vex = await readVex(options.vex ?? []);
      let catalog: Catalog;
      let subject: ScanResult['subject'];
      // the image kept open after cataloguing, for reachability (one read of the layers for both)
      let kept: { tree(): Promise<FileTree>; readonly config: ImageConfig | undefined; close(): Promise<void> } | undefined;
      const isSbom = source.startsWith('sbom:');
      const platform = options.platform !== undefined ? { platform: options.platform } : {};
      if (isSbom) {
        const path = source.slice('sbom:'.length);
        let text: string;
        try {
          text = await readFile(path, 'utf8');
        } catch (cause) {
          throw new AppError('SOURCE_NOT_FOUND', 'the SBOM file cannot be read', { cause, details: { path } });
        }
        const read = await deps.sbom.readSbom(text);
        catalog = read;
        // what the SBOM says it describes; the file's path when it names nothing
        subject = read.subject ?? { name: path };
      } else if (deps.openImage === undefined && options.reachability !== false) {
        progress(`cataloguing ${source}`);
        const catalogued = await deps.sbom.openCatalogued(source, { alsoWant: reachabilityWant, alsoWantKey: REACHABILITY_WANT_KEY, ...platform });
        kept = catalogued;
        catalog = catalogued.catalog;
        subject = catalogued.subject;
      } else {
        progress(`cataloguing ${source}`);
        const catalogued = await deps.sbom.catalogSource(source, platform);
        catalog = catalogued.catalog;
        subject = catalogued.subject;
      }

      let matched;
      let matchMillis: number;
      let sources: ScanResult['db']['sources'];
      let reach: Map<string, PackageReach> | undefined;
      let reachability: ScanResult['reachability'] = { status: 'not-run', reason: isSbom ? 'an SBOM has no entry point' : 'disabled', argv: [], files: 0 };
      const dbPath = options.db ?? deps.defaultDbPath;
      try {
        // before any matching, for every source (an SBOM naming no digest, a folder): the source as given
        if (options.requireDigest === true && subject.digest === undefined) throw noDigest(isSbom ? source.slice('sbom:'.length) : source);
        progress(`matching ${String(catalog.packages.length)} packages against ${dbPath}`);
        const db = deps.openDb(dbPath);
        try {
          const t0 = monotonicMs();
          matched = matchCatalog(catalog, db);
          matchMillis = Math.round(monotonicMs() - t0);
          sources = db.sources().map((s) => ({ name: s.name, importedAt: s.importedAt }));
        } finally {
          db.close();
        }

        // Reachability: images and folders only (an SBOM has no entry point).
        if (!isSbom && options.reachability !== false && matched.findings.length > 0) {
          progress('reachability from ENTRYPOINT/CMD');
          const opened =
            kept !== undefined
              ? { tree: await kept.tree(), config: kept.config, close: async (): Promise<void> => undefined }
              : deps.openImage !== undefined
                ? await deps.openImage(source, { want: reachabilityWant, ...platform })
                : undefined;
          if (opened === undefined) throw new AppError('INTERNAL', 'no image opened for reachability');
          try {
            const cfg = opened.config?.config;
            const os = await reachableFiles(opened.tree, { entrypoint: cfg?.Entrypoint, cmd: cfg?.Cmd, env: cfg?.Env, workingDir: cfg?.WorkingDir });
            let npm: NpmReach | undefined;
            const interpreters = reachedInterpreters(os);
            if (os.status === 'resolved' && interpreters.has('npm')) {
              const found = npmEntry(os, opened.tree, cfg?.WorkingDir);
              let entry = found.entry;
              if (entry === undefined && found.reason.endsWith('(main read below)')) {
                const dir = cfg?.WorkingDir ?? '/';
                try {
                  const pkg = JSON.parse(new TextDecoder().decode(await opened.tree.readFile(`${dir}/package.json`))) as { main?: unknown };
                  const main = typeof pkg.main === 'string' ? pkg.main : 'index.js';
                  const candidate = `${dir}/${main.replace(/^\.\//, '')}`;
                  if (opened.tree.resolve(candidate) !== undefined) entry = candidate;
                } catch (cause) {
                  deps.log.debug({ err: cause }, 'package.json unreadable; npm reachability unknown');
                }
              }
              if (entry !== undefined) npm = await npmLoadedPackages(opened.tree, entry);
            }
            let python: PythonReach | undefined;
            const script = [...os.files.keys()].find((f) => f.endsWith('.py'));
            if (os.status === 'resolved' && interpreters.has('pypi') && script !== undefined) {
              const metadataDirs = [
                ...new Set(
                  catalog.packages
                    .filter((p) => p.ecosystem === 'pypi')
                    .flatMap((p) => p.locations.map((l) => parentPath(l.path)))
                    .filter((d) => /\.(dist|egg)-info$/.test(d)),
                ),
              ];
              const sites = [...new Set(metadataDirs.map(parentPath))];
              python = await pythonLoadedDistributions(opened.tree, script, sites, metadataDirs);
            }
            reach = assessPackages(catalog, os, opened.tree, npm, python);
            reachability = {
              status: os.status,
              ...(os.reason !== undefined ? { reason: os.reason } : {}),
              argv: os.argv,
              files: os.files.size,
              ...(npm !== undefined ? { npmEntry: npm.entry } : {}),
              ...(python !== undefined ? { pythonEntry: python.entry } : {}),
            };
          } finally {
            await opened.close();
          }
        }
      } finally {
        await kept?.close();
      }

      const locationOf = new Map(catalog.packages.map((p) => [p.id, p.locations[0]?.path]));
      const shown: ScannedFinding[] = [];
      const hidden: ScannedFinding[] = [];
      let yes = 0;
      let no = 0;
      let unknown = 0;
      let suppressedCount = 0;
      for (const f of matched.findings) {
        const r = reach?.get(f.packageId) ?? { reachable: 'unknown' as const, evidence: [reachability.reason ?? 'reachability not analysed'] };
        const location = locationOf.get(f.packageId);
        const statement = suppressingStatement({ ids: f.aliases, purl: f.purl, packageId: f.packageId }, vex);
        const scanned: ScannedFinding = {
          ...f,
          reachable: r.reachable,
          evidence: r.evidence,
          ...(location !== undefined ? { location } : {}),
          ...(statement !== undefined
            ? { suppressed: { by: statement.origin, status: statement.status, ...(statement.justification !== undefined ? { justification: statement.justification } : {}), ...(statement.detail !== undefined ? { detail: statement.detail } : {}) } }
            : {}),
        };
        if (r.reachable === 'yes') yes++;
        else if (r.reachable === 'no') no++;
        else unknown++;
        if (statement !== undefined) {
          suppressedCount++;
          hidden.push(scanned);
        } else if (options.ignoreUnreachable === true && r.reachable === 'no') hidden.push(scanned);
        else shown.push(scanned);
      }
      return {
        subject,
        ...(catalog.distro !== undefined ? { distro: catalog.distro } : {}),
        db: { path: dbPath, sources },
        packages: catalog.packages,
        findings: sortFindings(shown),
        hidden: sortFindings(hidden),
        gaps: matched.gaps,
        reachability,
        stats: {
          packages: catalog.packages.length,
          raw: matched.findings.length,
          reachableYes: yes,
          reachableNo: no,
          reachableUnknown: unknown,
          suppressed: suppressedCount,
          matchMillis,
          totalMillis: Math.round(monotonicMs() - started),
        },
        startedAt,
        finishedAt: deps.clock.now().toISOString(),
        tool: deps.tool,
        vex,
      };
    },

    render(result, format) {
      switch (format) {
        case 'json':
          return renderJson(result);
        case 'sarif':
          return renderSarif(result);
        case 'cyclonedx':
          return renderCycloneDx(result, { serialNumber: `urn:uuid:${randomUUID()}` });
        case 'in-toto':
          return renderInToto(result);
        default:
          throw new AppError('INPUT_INVALID', 'unknown scan output format', { details: { format: String(format) } });
      }
    },

    vexForUnreachable(result) {
      const product = result.subject.digest !== undefined ? `${result.subject.name}@${result.subject.digest}` : result.subject.name;
      const statements = [...result.findings, ...result.hidden]
        .filter((f) => f.reachable === 'no')
        .map(
          (f): VexStatementInput => ({
            vulnerability: f.id,
            // Finding.aliases lists the id itself too: written without it (an empty list when it is the only one).
            ...(f.aliases.length > 0 ? { aliases: f.aliases.filter((a) => a !== f.id) } : {}),
            products: [{ id: product, subcomponents: [f.purl || f.packageId] }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
            impactStatement: f.evidence.join('; '),
          }),
        );
      // @id: content-addressed (https://openvex.dev/docs/tollgate/<sha256 of the statements' JSON>).
      const doc = openVexDocument({
        author: `${deps.tool.name} ${deps.tool.version}`,
        timestamp: deps.clock.now().toISOString(),
        tooling: 'tollgate reachability',
        statements,
      });
      return `${JSON.stringify(doc, null, 2)}\n`;
    },

    fails: failsAt,
  };
}

function noDigest(subject: string): AppError {
  return new AppError('INPUT_INVALID', 'an in-toto statement needs the image digest, and this source has none (a folder, or an SBOM whose root component or described package names no sha256 version, pkg:oci purl or RepoDigest); scan the image, or an SBOM that names it, for --format in-toto', {
    details: { subject },
  });
}

/**
 * The scan as an in-toto statement with the cosign vulnerability predicate (one implementation of
 * both, in src/trust). The statement needs the image digest: an SBOM input has none (INPUT_INVALID).
 */
function renderInToto(result: ScanResult): string {
  const digest = result.subject.digest;
  const [algorithm, hex] = digest?.split(':') ?? [];
  if (algorithm === undefined || hex === undefined) throw noDigest(result.subject.name);
  const { packages: _packages, ...shown } = result;
  const predicate = cosignVulnPredicate({
    scanner: {
      uri: `pkg:npm/${result.tool.name}@${result.tool.version}`,
      version: result.tool.version,
      db: { uri: result.db.path, version: result.db.sources.map((s) => `${s.name}@${s.importedAt}`).join(',') },
    },
    result: shown,
    scanStartedOn: result.startedAt,
    scanFinishedOn: result.finishedAt,
  });
  return `${JSON.stringify(makeStatement([{ name: result.subject.name, digest: { [algorithm]: hex } }], PREDICATE_TYPES.vuln, predicate), null, 2)}\n`;
}
