import { attest as sigstoreAttest, sign as sigstoreSign } from 'sigstore';
import { AppError } from '../../core/errors.ts';

/** Where keyless signing goes. Public-good defaults are sigstore-js's; private deployments override. */
export interface KeylessOptions {
  readonly fulcioURL: string;
  readonly rekorURL: string;
  /** The OIDC identity token Fulcio exchanges for a short-lived certificate. */
  readonly identityToken: string;
  readonly tsaServerURL?: string;
  readonly tlogUpload?: boolean;
  readonly timeoutMs?: number;
}

export const PUBLIC_GOOD_FULCIO = 'https://fulcio.sigstore.dev';
export const PUBLIC_GOOD_REKOR = 'https://rekor.sigstore.dev';

/** A serialized Sigstore bundle (v0.3 JSON) as sigstore-js returns it. */
export type SerializedBundleJson = Readonly<Record<string, unknown>>;

function signOptions(options: KeylessOptions): Parameters<typeof sigstoreSign>[1] {
  return {
    fulcioURL: options.fulcioURL,
    rekorURL: options.rekorURL,
    identityToken: options.identityToken,
    tlogUpload: options.tlogUpload ?? true,
    timeout: options.timeoutMs ?? 30_000,
    retry: 1,
    ...(options.tsaServerURL !== undefined ? { tsaServerURL: options.tsaServerURL } : {}),
  };
}

/** Keyless message signature over an artifact: OIDC token → Fulcio certificate → Rekor entry → bundle. */
export async function keylessSignBlob(payload: Buffer, options: KeylessOptions): Promise<SerializedBundleJson> {
  checkToken(options.identityToken);
  try {
    return (await sigstoreSign(payload, signOptions(options))) as unknown as SerializedBundleJson;
  } catch (cause) {
    throw upstream(cause);
  }
}

/** Keyless DSSE signature (an attestation). */
export async function keylessAttest(payload: Buffer, payloadType: string, options: KeylessOptions): Promise<SerializedBundleJson> {
  checkToken(options.identityToken);
  try {
    return (await sigstoreAttest(payload, payloadType, signOptions(options))) as unknown as SerializedBundleJson;
  } catch (cause) {
    throw upstream(cause);
  }
}

/**
 * GitHub Actions: exchange ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN for an OIDC token with audience
 * "sigstore" (what Fulcio expects). fetch is injected.
 */
export async function fetchGithubActionsToken(request: { readonly url: string; readonly token: string }, fetchFn: typeof fetch, audience = 'sigstore'): Promise<string> {
  const url = new URL(request.url);
  url.searchParams.set('audience', audience);
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { Authorization: `Bearer ${request.token}`, Accept: 'application/json' } });
  } catch (cause) {
    throw new AppError('IO_FAILED', 'the GitHub Actions OIDC token request failed', { cause, details: { host: url.host } });
  }
  if (!response.ok) {
    await response.arrayBuffer();
    throw new AppError('TOKEN_INVALID', 'the GitHub Actions OIDC token request was refused', { details: { status: response.status } });
  }
  const body = (await response.json()) as { value?: unknown };
  if (typeof body.value !== 'string') throw new AppError('TOKEN_INVALID', 'the OIDC token response has no value');
  checkToken(body.value);
  return body.value;
}

/** Shape and expiry only; Fulcio verifies the signature. */
export function checkToken(token: string, now: Date = new Date()): void {
  const parts = token.split('.');
  if (parts.length !== 3) throw new AppError('TOKEN_INVALID', 'the identity token is not a JWT');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new AppError('TOKEN_INVALID', 'the identity token claims are not JSON', { cause });
  }
  if (typeof claims['exp'] === 'number' && claims['exp'] * 1000 < now.getTime()) {
    throw new AppError('TOKEN_EXPIRED', 'the identity token has expired');
  }
}

function upstream(cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  return new AppError('TRUST_ROOT_UNAVAILABLE', 'keyless signing failed at Fulcio or Rekor', {
    cause,
    details: { message: cause instanceof Error ? cause.message.slice(0, 300) : '' },
  });
}
