import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import '../core/zod.ts';
import { AppError } from '../core/errors.ts';
import { isJsonObject } from '../core/json.ts';
import { DEFAULT_IMAGE_LIMITS } from '../image/limits.ts';

const positiveInt = (fallback: number) => z._default(z.number().check(z.int(), z.positive()), fallback);

/** Safety limits for untrusted archives and manifests. Every one is configurable. */
export const LimitsSchema = z.strictObject({
  // The defaults are the image reader's own (one place for the numbers): src/image/limits.ts
  // documents each limit and the error code it raises.
  maxLayerBytes: positiveInt(DEFAULT_IMAGE_LIMITS.maxLayerBytes),
  maxImageBytes: positiveInt(DEFAULT_IMAGE_LIMITS.maxImageBytes),
  maxCompressionRatio: z._default(z.number().check(z.positive()), DEFAULT_IMAGE_LIMITS.maxCompressionRatio),
  ratioGraceBytes: z._default(z.number().check(z.int(), z.nonnegative()), DEFAULT_IMAGE_LIMITS.ratioGraceBytes),
  maxEntries: positiveInt(DEFAULT_IMAGE_LIMITS.maxEntries),
  maxPathLength: positiveInt(DEFAULT_IMAGE_LIMITS.maxPathLength),
  maxPathDepth: positiveInt(DEFAULT_IMAGE_LIMITS.maxPathDepth),
  maxManifestBytes: positiveInt(DEFAULT_IMAGE_LIMITS.maxManifestBytes),
  maxJsonDepth: positiveInt(DEFAULT_IMAGE_LIMITS.maxJsonDepth),
  maxLayers: positiveInt(DEFAULT_IMAGE_LIMITS.maxLayers),
  maxFileReadBytes: positiveInt(DEFAULT_IMAGE_LIMITS.maxFileReadBytes),
});

export type Limits = z.infer<typeof LimitsSchema>;

/** 2 GiB: a Debian base with a node app costs ~1.5 MB of cache, layers shared between images once. */
export const DEFAULT_CACHE_MAX_BYTES = 2 * 1024 ** 3;
export const DEFAULT_CACHE_MAX_AGE_DAYS = 30;

/** One advisory source `tollgate db update` reads: a URL (fetched conditionally) or a local path. */
export const VulnSourceSchema = z
  .strictObject({
    url: z.optional(z.url({ protocol: /^https?$/ })),
    path: z.optional(z.string().check(z.minLength(1))),
    /** What the source must be; checked on update (the records' format is still detected per file). */
    kind: z.optional(z.enum(['osv-zip', 'osv-dir', 'osv-json', 'alpine-secdb', 'nodejs-security-wg'])),
  })
  .check(z.refine((s) => (s.url === undefined) !== (s.path === undefined), { message: 'give exactly one of url or path' }));

export type VulnSourceConfig = z.infer<typeof VulnSourceSchema>;

export const ConfigSchema = z.strictObject({
  dataDir: z.string().check(z.minLength(1)),
  limits: z._default(LimitsSchema, LimitsSchema.parse({})),
  registry: z._default(
    z.strictObject({
      /** Hosts reached over plain HTTP (like skopeo's --tls-verify=false). */
      insecure: z._default(z.array(z.string()), []),
      retries: z._default(z.number().check(z.int(), z.nonnegative()), 3),
      timeoutMs: z._default(z.number().check(z.int(), z.positive()), 60_000),
    }),
    { insecure: [], retries: 3, timeoutMs: 60_000 },
  ),
  log: z._default(
    z.strictObject({ level: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'warn') }),
    { level: 'warn' },
  ),
  /**
   * The data folder's caches (`<dataDir>/cache/`: layers, catalogues), pruned least recently used first
   * to `maxBytes` after runs that use them (at most every 10 minutes) and by `tollgate cache prune`;
   * entries unused for `maxAgeDays` go whatever the total.
   */
  cache: z._default(
    z.strictObject({
      maxBytes: z._default(z.number().check(z.int(), z.nonnegative()), DEFAULT_CACHE_MAX_BYTES),
      maxAgeDays: positiveInt(DEFAULT_CACHE_MAX_AGE_DAYS),
    }),
    { maxBytes: DEFAULT_CACHE_MAX_BYTES, maxAgeDays: DEFAULT_CACHE_MAX_AGE_DAYS },
  ),
  /** Advisory database: the sources `tollgate db update` reads (empty: those recorded in the database). */
  vuln: z._default(z.strictObject({ sources: z._default(z.array(VulnSourceSchema), []) }), { sources: [] }),
});

export type AppConfig = Readonly<z.infer<typeof ConfigSchema>>;

/** What a config file may hold: every section optional, each checked by ConfigSchema's own rules before merging. */
const ConfigFileSchema = z.partial(ConfigSchema);

export interface Environment {
  readonly noColor: boolean;
  readonly ci: boolean;
  readonly registryAuth?: { readonly username: string; readonly password: string };
  readonly registryToken?: string;
  /** The registry the TOLLGATE_REGISTRY_* credentials belong to (TOLLGATE_REGISTRY_HOST). */
  readonly registryHost?: string;
  /** Password of an encrypted signing key (TOLLGATE_KEY_PASSWORD, else COSIGN_PASSWORD as cosign reads it). */
  readonly keyPassword?: string;
  /** An OIDC identity token for keyless signing (SIGSTORE_ID_TOKEN). */
  readonly identityToken?: string;
  /** GitHub Actions' OIDC token request (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN). */
  readonly githubOidcRequest?: { readonly url: string; readonly token: string };
  /** CI variables that describe a build (GITHUB_*, RUNNER_*, CI_*, GITLAB_*), for provenance. */
  readonly buildEnv?: Readonly<Record<string, string>>;
  /** PATH, for adapters that run peer tools (git, gpg, ssh-keygen) with an explicit environment. */
  readonly path?: string;
}

const BUILD_ENV = /^(GITHUB_|RUNNER_|CI_|GITLAB_)/;

/** The only reader of process.env in the product (style.md rule 8). */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const username = env['TOLLGATE_REGISTRY_USERNAME'];
  const password = env['TOLLGATE_REGISTRY_PASSWORD'];
  const token = env['TOLLGATE_REGISTRY_TOKEN'];
  const registryHost = env['TOLLGATE_REGISTRY_HOST'];
  const keyPassword = env['TOLLGATE_KEY_PASSWORD'] ?? env['COSIGN_PASSWORD'];
  const identityToken = env['SIGSTORE_ID_TOKEN'];
  const oidcUrl = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  const oidcToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  const buildEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (BUILD_ENV.test(name) && value !== undefined && !/TOKEN|PASSWORD|SECRET/.test(name)) buildEnv[name] = value;
  }
  return Object.freeze({
    noColor: env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '',
    ci: env['CI'] === 'true' || env['CI'] === '1',
    ...(username !== undefined && password !== undefined ? { registryAuth: { username, password } } : {}),
    ...(token !== undefined ? { registryToken: token } : {}),
    ...(registryHost !== undefined && registryHost !== '' ? { registryHost } : {}),
    ...(keyPassword !== undefined ? { keyPassword } : {}),
    ...(identityToken !== undefined ? { identityToken } : {}),
    ...(oidcUrl !== undefined && oidcToken !== undefined ? { githubOidcRequest: { url: oidcUrl, token: oidcToken } } : {}),
    buildEnv: Object.freeze(buildEnv),
    ...(env['PATH'] !== undefined ? { path: env['PATH'] } : {}),
  });
}

export interface ConfigFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly insecureRegistry?: readonly string[];
  readonly logLevel?: string;
}

/**
 * defaults < file < env < flags → frozen AppConfig. Bad config fails here, at start-up. The YAML
 * parser is loaded only when there is a file to read (most runs have none: it is not start-up cost).
 */
export async function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Promise<AppConfig> {
  const file = flags.config ?? env['TOLLGATE_CONFIG'];
  let fromFile: z.infer<typeof ConfigFileSchema> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new AppError('CONFIG_INVALID', 'cannot read the config file', { cause, details: { file } });
    }
    const { parse: parseYaml } = await import('yaml');
    let parsed: unknown;
    try {
      parsed = parseYaml(text, { maxAliasCount: 100 });
    } catch (cause) {
      throw new AppError('CONFIG_INVALID', 'the config file is not valid YAML', { cause, details: { file } });
    }
    // an empty file is no settings; a list or a lone value is a mistake, not "no settings"
    if (parsed !== null && parsed !== undefined && !isJsonObject(parsed)) {
      throw new AppError('CONFIG_INVALID', 'the config file must be a YAML mapping', { details: { file } });
    }
    // nested sections are checked here, before merging: `insecure: "host"` must not spread into characters
    const checked = ConfigFileSchema.safeParse(parsed ?? {});
    if (!checked.success) throw invalid(checked.error.issues, file);
    fromFile = checked.data;
  }
  const defaultDataDir = join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'tollgate');
  const insecureFromEnv = (env['TOLLGATE_INSECURE_REGISTRIES'] ?? '').split(',').filter((h) => h !== '');
  const merged = {
    ...fromFile,
    dataDir: resolve(flags.dataDir ?? env['TOLLGATE_DATA_DIR'] ?? fromFile.dataDir ?? defaultDataDir),
    registry: {
      ...fromFile.registry,
      insecure: [...(fromFile.registry?.insecure ?? []), ...insecureFromEnv, ...(flags.insecureRegistry ?? [])],
    },
    ...(flags.logLevel !== undefined || env['TOLLGATE_LOG_LEVEL'] !== undefined
      ? { log: { level: flags.logLevel ?? env['TOLLGATE_LOG_LEVEL'] } }
      : {}),
  };
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) throw invalid(result.error.issues);
  return deepFreeze(result.data);
}

/** CONFIG_INVALID naming the first offending key (e.g. `registry.insecure`) and, if it came from one, the file. */
function invalid(issues: readonly z.core.$ZodIssue[], file?: string): AppError {
  const issue = issues[0];
  const path = issue?.path.join('.') ?? '';
  return new AppError('CONFIG_INVALID', `invalid configuration: ${path} ${issue?.message ?? ''}`.trim(), {
    details: { path, ...(file !== undefined ? { file } : {}) },
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
