import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { requirePeer } from './peers.ts';

/**
 * A real CNCF distribution registry (Debian's `docker-registry`, distribution 2.8) on 127.0.0.1,
 * storing into a temporary folder. Modes:
 *  - 'none': anonymous access;
 *  - 'htpasswd': Basic auth with a bcrypt htpasswd file (`username`/`password` below);
 *  - 'token': Bearer tokens from a token server running in this process, which signs ES256 JWTs
 *    with a key whose self-signed certificate is the registry's `rootcertbundle`.
 * Always call stop() (afterAll); it kills the process and deletes the folder.
 */
export interface TestRegistry {
  /** `127.0.0.1:PORT`, as written in image references (list it as insecure in clients). */
  readonly host: string;
  readonly url: string;
  readonly auth: 'none' | 'htpasswd' | 'token';
  readonly username: string;
  readonly password: string;
  readonly dataDir: string;
  /** Token mode: the realm URL and how many token requests were served / refused. */
  readonly tokenServer?: { readonly realm: string; readonly service: string; issued(): number; refused(): number };
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  readonly auth?: 'none' | 'htpasswd' | 'token';
  /** Token mode: lifetime of issued tokens in seconds (default 300). */
  readonly tokenTtlSeconds?: number;
}

const BINARY = 'docker-registry';
const execFileAsync = promisify(execFile);

export function registryAvailable(): boolean {
  return requirePeer(BINARY) && requirePeer('openssl');
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitUntilUp(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${logs()}`);
    try {
      const response = await fetch(`${url}/v2/`);
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 401) return;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`docker-registry did not come up: ${logs()}`);
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly certFile: string;
  issued(): number;
  refused(): number;
  close(): Promise<void>;
}

async function startTokenServer(dir: string, username: string, password: string, ttl: number): Promise<TokenServer> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  await execFileAsync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=tollgate-test-token-issuer', '-days', '2', '-keyout', keyFile, '-out', certFile,
  ]);
  const keyPem = await readFile(keyFile, 'utf8');
  const certDer = new X509Certificate(await readFile(certFile)).raw;
  const service = 'tollgate-test-registry';
  const issuer = 'tollgate-test-issuer';
  let issued = 0;
  let refused = 0;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = req.headers.authorization ?? '';
    const basic = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : undefined;
    if (url.pathname !== '/token' || basic !== `${username}:${password}`) {
      refused++;
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const match = /^([a-z]+):(.+):([a-z*,]+)$/.exec(scope);
      if (match === null) return [];
      return [{ type: match[1], name: match[2], actions: (match[3] ?? '').split(',') }];
    });
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: username,
      aud: url.searchParams.get('service') ?? '',
      exp: now + ttl,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const head = { alg: 'ES256', typ: 'JWT', x5c: [certDer.toString('base64')] };
    const signingInput = `${base64url(JSON.stringify(head))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('SHA256').update(signingInput).sign({ key: keyPem, dsaEncoding: 'ieee-p1363' });
    const token = `${signingInput}.${base64url(signature)}`;
    issued++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({ token, access_token: token, expires_in: ttl, issued_at: new Date(now * 1000).toISOString() }),
    );
  };

  const server: Server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    issued: () => issued,
    refused: () => refused,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  requirePeer(BINARY, { strict: true });
  const auth = options.auth ?? 'none';
  const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-registry-'));
  const username = 'tollgate';
  const password = randomBytes(12).toString('hex');
  let tokenServer: TokenServer | undefined;
  let authConfig = '';
  if (auth === 'htpasswd') {
    const file = join(dataDir, 'htpasswd');
    await writeFile(file, `${username}:${bcrypt.hashSync(password, 8)}\n`);
    authConfig = `auth:\n  htpasswd:\n    realm: tollgate-test\n    path: ${file}\n`;
  } else if (auth === 'token') {
    requirePeer('openssl', { strict: true });
    tokenServer = await startTokenServer(dataDir, username, password, options.tokenTtlSeconds ?? 300);
    authConfig = [
      'auth:',
      '  token:',
      `    realm: ${tokenServer.realm}`,
      `    service: ${tokenServer.service}`,
      `    issuer: ${tokenServer.issuer}`,
      `    rootcertbundle: ${tokenServer.certFile}`,
      '',
    ].join('\n');
  }

  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dataDir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    authConfig,
  ].join('\n');
  const configFile = join(dataDir, 'config.yml');
  await writeFile(configFile, config);

  const child = spawn(BINARY, ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit');

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await tokenServer?.close();
    await rm(dataDir, { recursive: true, force: true });
  };

  const url = `http://${host}`;
  try {
    await waitUntilUp(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host,
    url,
    auth,
    username,
    password,
    dataDir,
    ...(tokenServer !== undefined
      ? { tokenServer: { realm: tokenServer.realm, service: tokenServer.service, issued: tokenServer.issued, refused: tokenServer.refused } }
      : {}),
    stop,
  };
}
