import { AppError, isAppError, type ErrorCode } from '../../core/errors.ts';
import { silentLogger, systemClock, type Clock, type Logger } from '../../core/logger.ts';
import { parseChallenges, type Challenge } from './challenge.ts';

export type RegistryCredentials = { readonly username: string; readonly password: string } | { readonly token: string };

export interface RegistryClientOptions {
  /** Registry hosts (as written in references, e.g. `127.0.0.1:5000`) reached over plain HTTP. */
  readonly insecure?: readonly string[];
  readonly credentials?: (registry: string) => RegistryCredentials | undefined;
  /** Retries after the first attempt on network errors, 429 and 5xx. Default 3. */
  readonly retries?: number;
  /** Per-request timeout; for blob downloads, the longest pause between chunks. Default 60 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly userAgent?: string;
  /** First backoff delay; doubles per attempt, with jitter. Default 500 ms. */
  readonly backoffMs?: number;
  /** Cap for one backoff delay and for Retry-After. Default 30 s. */
  readonly maxBackoffMs?: number;
  /** Chunk size for streamed (PATCH) uploads. Default 16 MiB. */
  readonly chunkSize?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface RequestSpec {
  readonly registry: string;
  /** Token scopes, e.g. `repository:library/alpine:pull`. */
  readonly scopes: readonly string[];
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path below the registry root (`/v2/…`) or an absolute URL (upload locations). */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** Code for a 404 answer; default OCI_UPSTREAM_FAILED. */
  readonly notFound?: ErrorCode;
  /** Statuses handed back to the caller instead of raising (e.g. 404 for an existence check). */
  readonly accept?: readonly number[];
}

/** A response whose timeout is still armed: call `touch` while reading, `done` when finished. */
export interface Exchange {
  readonly response: Response;
  readonly url: URL;
  touch(): void;
  done(): void;
}

interface CachedAuth {
  readonly header: string;
  readonly expiresAt: number;
}

const DOCKER_HUB_API = 'registry-1.docker.io';
const MAX_ERROR_BODY = 4096;

/** Per-client state: challenges seen per registry, tokens per registry+scope. Never logged. */
export class Transport {
  readonly options: RegistryClientOptions;
  private readonly fetchImpl: typeof fetch;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly challenges = new Map<string, Challenge>();
  private readonly tokens = new Map<string, CachedAuth>();

  constructor(options: RegistryClientOptions) {
    this.options = options;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger;
  }

  baseUrl(registry: string): URL {
    const host = registry === 'docker.io' ? DOCKER_HUB_API : registry;
    const scheme = (this.options.insecure ?? []).includes(registry) ? 'http' : 'https';
    return new URL(`${scheme}://${host}/`);
  }

  /** Sends a request with auth, retries and a timeout. Raises for error statuses (see RequestSpec). */
  async send(spec: RequestSpec): Promise<Exchange> {
    const retries = this.options.retries ?? 3;
    const url = new URL(spec.url, this.baseUrl(spec.registry));
    let freshAuth = false;
    let attempt = 0;
    for (;;) {
      const authorization = freshAuth ? this.cachedAuth(spec.registry, spec.scopes) : await this.authFor(spec.registry, spec.scopes);
      const headers: Record<string, string> = { 'User-Agent': this.options.userAgent ?? 'tollgate', ...spec.headers };
      if (authorization !== undefined) headers['Authorization'] = authorization;
      const exchange = this.arm();
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method: spec.method,
          headers,
          redirect: 'follow',
          signal: exchange.signal,
          ...(spec.body !== undefined ? { body: spec.body } : {}),
        });
      } catch (error) {
        exchange.done();
        if (attempt < retries) {
          await this.backoff(attempt++, undefined, spec, 'network error');
          continue;
        }
        throw isAppError(error)
          ? error
          : new AppError('OCI_UPSTREAM_FAILED', 'could not reach the registry', {
              cause: error,
              details: { registry: spec.registry, method: spec.method, path: url.pathname, attempts: attempt + 1 },
            });
      }
      this.log.debug({ registry: spec.registry, method: spec.method, path: url.pathname, status: response.status }, 'registry request');
      const status = response.status;
      if (spec.accept?.includes(status) === true || (status >= 200 && status < 400)) {
        return { response, url, touch: exchange.touch, done: exchange.done };
      }
      const bodyText = await readErrorBody(response);
      exchange.done();
      if (status === 401) {
        if (freshAuth) {
          throw new AppError('OCI_AUTH_FAILED', 'the registry refused the credentials', {
            details: { registry: spec.registry, scope: spec.scopes.join(' '), ...registryErrorCode(bodyText) },
          });
        }
        this.forget(spec.registry, spec.scopes);
        await this.authenticate(spec.registry, spec.scopes, response.headers.get('www-authenticate') ?? '');
        freshAuth = true;
        continue;
      }
      if ((status === 429 || status >= 500) && attempt < retries) {
        await this.backoff(attempt++, response.headers.get('retry-after') ?? undefined, spec, `status ${status}`);
        continue;
      }
      const details = { registry: spec.registry, method: spec.method, path: url.pathname.slice(0, 300), status, ...registryErrorCode(bodyText) };
      if (status === 403) throw new AppError('OCI_DENIED', 'the registry denied access', { details });
      if (status === 404 && spec.notFound !== undefined) throw new AppError(spec.notFound, 'not found in the registry', { details });
      throw new AppError('OCI_UPSTREAM_FAILED', 'the registry answered with an error', { details: { ...details, attempts: attempt + 1 } });
    }
  }

  private arm(): { signal: AbortSignal; touch: () => void; done: () => void } {
    const controller = new AbortController();
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const fire = (): void => {
      controller.abort(new AppError('OCI_UPSTREAM_FAILED', 'registry request timed out', { details: { timeoutMs } }));
    };
    const touch = (): void => {
      if (timer !== undefined) timer.refresh();
    };
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    timer = setTimeout(fire, timeoutMs);
    timer.unref();
    return { signal: controller.signal, touch, done };
  }

  private async backoff(attempt: number, retryAfter: string | undefined, spec: RequestSpec, why: string): Promise<void> {
    const base = this.options.backoffMs ?? 500;
    const cap = this.options.maxBackoffMs ?? 30_000;
    let delay = Math.min(cap, base * 2 ** attempt) * (0.5 + Math.random() * 0.5);
    const hinted = parseRetryAfter(retryAfter, this.clock.now().getTime());
    if (hinted !== undefined) delay = Math.min(cap, Math.max(delay, hinted));
    this.log.debug({ registry: spec.registry, method: spec.method, attempt: attempt + 1, delayMs: Math.round(delay), why }, 'retrying registry request');
    // a plain timer: node:timers/promises took ~0.4 ms to load in every run that builds a registry client
    await new Promise<void>((resolve) => setTimeout(resolve, delay));
  }

  // ---- auth ----

  private key(registry: string, scopes: readonly string[]): string {
    return `${registry}\n${[...scopes].sort().join(' ')}`;
  }

  private cachedAuth(registry: string, scopes: readonly string[]): string | undefined {
    const credentials = this.options.credentials?.(registry);
    if (credentials !== undefined && 'token' in credentials) return `Bearer ${credentials.token}`;
    const cached = this.tokens.get(this.key(registry, scopes));
    if (cached !== undefined && cached.expiresAt > this.clock.now().getTime()) return cached.header;
    return undefined;
  }

  /** The Authorization header to send up front, fetching a token when the registry's challenge is known. */
  private async authFor(registry: string, scopes: readonly string[]): Promise<string | undefined> {
    const cached = this.cachedAuth(registry, scopes);
    if (cached !== undefined) return cached;
    const challenge = this.challenges.get(registry);
    if (challenge === undefined) return undefined;
    await this.answer(registry, scopes, challenge);
    return this.cachedAuth(registry, scopes);
  }

  private forget(registry: string, scopes: readonly string[]): void {
    this.tokens.delete(this.key(registry, scopes));
  }

  private async authenticate(registry: string, scopes: readonly string[], header: string): Promise<void> {
    const challenges = parseChallenges(header);
    const challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (challenge === undefined) {
      throw new AppError('OCI_AUTH_FAILED', 'the registry asked for authentication without a usable challenge', {
        details: { registry, challenge: header.slice(0, 200) },
      });
    }
    this.challenges.set(registry, challenge);
    // A fresh challenge may name the scope the registry wants (e.g. insufficient_scope); ask for it too.
    await this.answer(registry, scopes, challenge, challenge.params['scope']);
  }

  private async answer(registry: string, scopes: readonly string[], challenge: Challenge, extraScope?: string): Promise<void> {
    const credentials = this.options.credentials?.(registry);
    const key = this.key(registry, scopes);
    if (challenge.scheme === 'basic') {
      if (credentials === undefined || !('username' in credentials)) {
        throw new AppError('OCI_AUTH_FAILED', 'the registry requires a username and password', { details: { registry } });
      }
      const encoded = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
      this.tokens.set(key, { header: `Basic ${encoded}`, expiresAt: Number.POSITIVE_INFINITY });
      return;
    }
    const realm = challenge.params['realm'];
    if (realm === undefined || !/^https?:\/\//.test(realm)) {
      throw new AppError('OCI_AUTH_FAILED', 'the registry’s bearer challenge has no usable realm', { details: { registry } });
    }
    const tokenUrl = new URL(realm);
    if (challenge.params['service'] !== undefined) tokenUrl.searchParams.set('service', challenge.params['service']);
    const wanted = new Set(scopes);
    for (const scope of (extraScope ?? '').split(' ')) if (scope !== '') wanted.add(scope);
    for (const scope of wanted) tokenUrl.searchParams.append('scope', scope);
    const headers: Record<string, string> = { 'User-Agent': this.options.userAgent ?? 'tollgate', Accept: 'application/json' };
    if (credentials !== undefined && 'username' in credentials) {
      headers['Authorization'] = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    }
    const issued = this.clock.now().getTime();
    const body = await this.fetchToken(registry, tokenUrl, headers);
    const token = typeof body['token'] === 'string' && body['token'] !== '' ? body['token'] : body['access_token'];
    if (typeof token !== 'string' || token === '') {
      throw new AppError('OCI_AUTH_FAILED', 'the token service answered without a token', { details: { registry } });
    }
    const expiresIn = typeof body['expires_in'] === 'number' && body['expires_in'] > 0 ? body['expires_in'] : 60;
    // Renew a little early so a token never expires in flight.
    const expiresAt = issued + Math.max(1, expiresIn - Math.min(10, expiresIn / 10)) * 1000;
    this.tokens.set(key, { header: `Bearer ${token}`, expiresAt });
  }

  private async fetchToken(registry: string, url: URL, headers: Record<string, string>): Promise<Record<string, unknown>> {
    const retries = this.options.retries ?? 3;
    const spec: RequestSpec = { registry, scopes: [], method: 'GET', url: url.href };
    for (let attempt = 0; ; attempt++) {
      const exchange = this.arm();
      let response: Response;
      try {
        response = await this.fetchImpl(url, { headers, signal: exchange.signal });
      } catch (error) {
        exchange.done();
        if (attempt < retries) {
          await this.backoff(attempt, undefined, spec, 'token service network error');
          continue;
        }
        throw new AppError('OCI_AUTH_FAILED', 'could not reach the token service', { cause: error, details: { registry, realm: url.origin } });
      }
      try {
        if ((response.status === 429 || response.status >= 500) && attempt < retries) {
          await readErrorBody(response);
          await this.backoff(attempt, response.headers.get('retry-after') ?? undefined, spec, `token status ${response.status}`);
          continue;
        }
        if (!response.ok) {
          await readErrorBody(response);
          throw new AppError('OCI_AUTH_FAILED', 'the token service refused the request', {
            details: { registry, realm: url.origin, status: response.status },
          });
        }
        const text = await readErrorBody(response, 1024 * 1024);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          throw new AppError('OCI_AUTH_FAILED', 'the token service answered with invalid JSON', { cause: error, details: { registry } });
        }
        if (parsed === null || typeof parsed !== 'object') {
          throw new AppError('OCI_AUTH_FAILED', 'the token service answered with invalid JSON', { details: { registry } });
        }
        return parsed as Record<string, unknown>;
      } finally {
        exchange.done();
      }
    }
  }
}

/** Reads at most `limit` bytes of a body as text (error bodies, token answers). */
export async function readErrorBody(response: Response, limit = MAX_ERROR_BODY): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (total > limit) {
        await reader.cancel();
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    // the body broke off; what we have is enough for an error message
    return Buffer.concat(chunks).toString('utf8').slice(0, limit);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}

/** The first `errors[].code` of a distribution error body, when there is one. */
function registryErrorCode(body: string): { registryCode?: string } {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown }[] };
    const code = parsed.errors?.[0]?.code;
    return typeof code === 'string' ? { registryCode: code.slice(0, 64) } : {};
  } catch (error) {
    if (error instanceof SyntaxError) return {};
    throw error;
  }
}

/** Retry-After as milliseconds from now (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
