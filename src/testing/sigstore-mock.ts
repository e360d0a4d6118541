import { createHash, generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, rekorHandler, type HandlerFn } from '@sigstore/mock';

/**
 * Sigstore's own mock Fulcio and Rekor (@sigstore/mock handlers) served over real HTTP on
 * 127.0.0.1, plus the trusted root that verifies what they issue. The public instances cannot be
 * reached here; these speak the same API (POST /api/v2/signingCert, POST /api/v1/log/entries).
 */
export interface MockSigstore {
  readonly fulcioURL: string;
  readonly rekorURL: string;
  /** A trusted_root.json (v0.1) naming the mock CA, CT log and transparency log. */
  readonly trustedRoot: Record<string, unknown>;
  /** An unsigned OIDC token with these claims (the mock Fulcio reads but does not verify it). */
  token(claims: Record<string, unknown>): string;
  stop(): Promise<void>;
}

export async function startMockSigstore(): Promise<MockSigstore> {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const tlogKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctlog = await initializeCTLog(ctKeys);
  const ca = await initializeCA(caKeys, ctlog);
  const routes = new Map<string, HandlerFn>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const handler = request.method === 'POST' ? routes.get(request.url ?? '') : undefined;
      if (handler === undefined) {
        response.writeHead(404).end();
        return;
      }
      handler(Buffer.concat(chunks).toString('utf8')).then(
        ({ statusCode, response: body, contentType }) => {
          response.writeHead(statusCode, { 'Content-Type': contentType ?? 'text/plain' });
          response.end(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
        },
        (error: unknown) => {
          response.writeHead(500).end(String(error));
        },
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tlog = await initializeTLog(base, tlogKeys);
  const fulcio = fulcioHandler(ca);
  const rekor = rekorHandler(tlog);
  routes.set(fulcio.path, fulcio.fn);
  // Real Rekor stores a dsse 0.0.1 entry canonicalised (payload and envelope hashes, signatures with
  // verifiers) rather than the proposed envelope; the mock echoes what it gets, so do that step here.
  routes.set(rekor.path, (body) => rekor.fn(canonicaliseDsseEntry(body)));

  const spki = (key: { export(o: { format: 'der'; type: 'spki' }): Buffer }): Buffer => key.export({ format: 'der', type: 'spki' });
  const logId = (der: Buffer): string => createHash('sha256').update(der).digest('base64');
  const start = new Date(Date.now() - 3600_000).toISOString();
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: base,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: spki(tlogKeys.publicKey).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
        logId: { keyId: logId(spki(tlogKeys.publicKey)) },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: base,
        certChain: { certificates: [{ rawBytes: Buffer.from(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength).toString('base64') }] },
        validFor: { start },
      },
    ],
    ctlogs: [
      {
        baseUrl: base,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: spki(ctKeys.publicKey).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
        logId: { keyId: logId(spki(ctKeys.publicKey)) },
      },
    ],
    timestampAuthorities: [],
  };
  return {
    fulcioURL: base,
    rekorURL: base,
    trustedRoot,
    token(claims) {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const body = Buffer.from(JSON.stringify({ iat: now, exp: now + 600, aud: 'sigstore', ...claims })).toString('base64url');
      return `${header}.${body}.c2ln`;
    },
    async stop() {
      server.close();
      await once(server, 'close');
    },
  };
}

function canonicaliseDsseEntry(body: string): string {
  const entry = JSON.parse(body) as { kind?: string; apiVersion?: string; spec?: { proposedContent?: { envelope: string; verifiers: string[] } } };
  const proposed = entry.spec?.proposedContent;
  if (entry.kind !== 'dsse' || proposed === undefined) return body;
  const envelope = JSON.parse(proposed.envelope) as { payload: string; signatures: { sig: string }[] };
  const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
  return JSON.stringify({
    kind: 'dsse',
    apiVersion: entry.apiVersion ?? '0.0.1',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(proposed.envelope) },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map((s, i) => ({ signature: s.sig, verifier: proposed.verifiers[i] ?? proposed.verifiers[0] ?? '' })),
    },
  });
}
