/**
 * Repository controls of the source gate: CODEOWNERS coverage of build files and signed commits.
 * All git access goes through the GitPort (src/app/adapters/git.ts runs git); files given on the
 * command line (config, roster, allowed signers, keyring) through the FilePort.
 */
import { parse as parseYaml } from 'yaml';
import { AppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { checkCoverage, CodeownersConfigSchema, locateCodeowners } from '../source/codeowners/coverage.ts';
import type { CodeownersConfig, CoverageReport } from '../source/codeowners/coverage.ts';
import { parseRoster } from '../source/commits/roster.ts';
import { verifyCommitRange } from '../source/commits/verify.ts';
import type { CommitsReport } from '../source/commits/verify.ts';
import type { GitPort } from '../source/git-port.ts';
import { CODEOWNERS_RULES, coverageFindings } from '../source/codeowners/findings.ts';
import { toSarif } from '../source/sarif.ts';
import { commitsSarif } from '../source/commits/sarif.ts';

export interface RepoFilePort {
  readFile(path: string): Promise<Buffer>;
}

export interface RepoDeps {
  readonly git: GitPort;
  readonly files: RepoFilePort;
  readonly log: Logger;
  readonly tool: { readonly name: string; readonly version: string };
}

export interface CodeownersOptions {
  /** YAML file: { team: [...], buildFiles?: [...], extraBuildFiles?: [...], exclude?: [...] } (or the same under a `codeowners:` key). */
  readonly configFile?: string;
  /** Wins over the file's team. */
  readonly team?: readonly string[];
}

export interface VerifyCommitsOptions {
  readonly rosterFile: string;
  readonly allowedSignersFile?: string;
  readonly keyringFile?: string;
  readonly maxCommits?: number;
}

export interface RepoServices {
  codeowners(repoPath: string, options?: CodeownersOptions): Promise<CoverageReport>;
  verifyCommits(repoPath: string, range: string, options: VerifyCommitsOptions): Promise<CommitsReport>;
  /** SARIF 2.1.0 for a coverage report (results on the build files and on bad CODEOWNERS lines). */
  codeownersSarif(report: CoverageReport): Record<string, unknown>;
  /** SARIF 2.1.0 for a commits report: one result per commit that did not pass, located by commit. */
  commitsSarif(report: CommitsReport): Record<string, unknown>;
}

const MAX_CONFIG_BYTES = 1024 * 1024;

export function makeRepoServices(deps: RepoDeps): RepoServices {
  async function readSmall(path: string, what: string): Promise<Buffer> {
    const bytes = await deps.files.readFile(path);
    if (bytes.length > MAX_CONFIG_BYTES) throw new AppError('LIMIT_FILE_SIZE', `the ${what} is larger than the limit`, { details: { path, limit: MAX_CONFIG_BYTES } });
    return bytes;
  }

  async function loadCodeownersConfig(options: CodeownersOptions): Promise<CodeownersConfig> {
    let doc: unknown = {};
    if (options.configFile !== undefined) {
      const text = (await readSmall(options.configFile, 'CODEOWNERS policy')).toString('utf8');
      try {
        doc = parseYaml(text, { maxAliasCount: 100 }) ?? {};
      } catch (cause) {
        throw new AppError('CONFIG_INVALID', 'the CODEOWNERS policy is not valid YAML', { cause, details: { path: options.configFile } });
      }
      if (typeof doc === 'object' && doc !== null && 'codeowners' in doc) doc = (doc as { codeowners: unknown }).codeowners;
    }
    const parsed = CodeownersConfigSchema.safeParse(doc);
    if (!parsed.success) {
      throw new AppError('CONFIG_INVALID', 'the CODEOWNERS policy does not match the schema', {
        details: { issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') },
      });
    }
    return options.team !== undefined ? { ...parsed.data, team: [...options.team] } : parsed.data;
  }

  return {
    async codeowners(repoPath, options = {}) {
      const config = await loadCodeownersConfig(options);
      const files = await deps.git.listFiles(repoPath);
      const location = locateCodeowners(files);
      const text = location === undefined ? undefined : await deps.git.readFile(repoPath, location);
      if (text !== undefined && Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
        throw new AppError('CODEOWNERS_INVALID', 'the CODEOWNERS file is larger than GitHub accepts', { details: { path: location ?? '' } });
      }
      deps.log.debug({ repo: repoPath, files: files.length, codeowners: location }, 'checking CODEOWNERS coverage');
      return checkCoverage(files, location === undefined || text === undefined ? undefined : { path: location, text }, config);
    },

    codeownersSarif(report) {
      return toSarif(coverageFindings(report), CODEOWNERS_RULES, {
        tool: { name: deps.tool.name, version: deps.tool.version, informationUri: 'https://github.com/tollgate/tollgate' },
      });
    },

    commitsSarif(report) {
      return commitsSarif(report, { name: deps.tool.name, version: deps.tool.version, informationUri: 'https://github.com/tollgate/tollgate' });
    },

    async verifyCommits(repoPath, range, options) {
      const roster = parseRoster((await readSmall(options.rosterFile, 'roster')).toString('utf8'));
      const allowedSigners = options.allowedSignersFile === undefined ? undefined : (await readSmall(options.allowedSignersFile, 'allowed-signers file')).toString('utf8');
      const keyring = options.keyringFile === undefined ? undefined : await readSmall(options.keyringFile, 'keyring');
      return verifyCommitRange(deps.git, {
        repo: repoPath,
        range,
        roster,
        ...(allowedSigners !== undefined ? { allowedSigners } : {}),
        ...(keyring !== undefined ? { keyring } : {}),
        ...(options.maxCommits !== undefined ? { maxCommits: options.maxCommits } : {}),
      });
    },
  };
}
