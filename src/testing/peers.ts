import { execFileSync } from 'node:child_process';

/**
 * Test-time access to real peer tools (podman, skopeo, umoci, docker-registry, git…).
 * Under CI=true a missing peer FAILS the test (the project's setup script installs them);
 * elsewhere it lets the caller skip with a reason.
 */
export function hasPeer(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${JSON.stringify(command)}`], { stdio: 'ignore' });
    return true;
  } catch (error) {
    if (error instanceof Error) return false;
    throw error;
  }
}

export const isCi: boolean = process.env['CI'] === 'true' || process.env['CI'] === '1';

/** Throws (under CI, or always when `strict`) if the peer is missing; returns whether it is there. */
export function requirePeer(command: string, options: { strict?: boolean } = {}): boolean {
  const present = hasPeer(command);
  if (!present && (isCi || options.strict === true)) {
    throw new Error(`peer "${command}" is missing; run \`npm run setup\` as root (tools/setup.sh installs it)`);
  }
  return present;
}

/**
 * For `describe.skipIf(!peersAvailable('podman', 'skopeo'))`: false only outside CI; under CI it
 * throws at collection time so the suite goes red instead of skipping.
 */
export function peersAvailable(...commands: string[]): boolean {
  return commands.every((command) => requirePeer(command));
}

/** The root of the shared corpus (../shared/corpus beside the repository). */
export function corpusDir(): string {
  return new URL('../../../shared/corpus/', import.meta.url).pathname;
}
