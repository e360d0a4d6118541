import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but not ours; ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding an exclusive lock file (created with O_EXCL, holding our pid). A lock whose
 * owner process is gone is stale and taken over. Waits up to `timeoutMs` for a live owner.
 */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  mkdirSync(dirname(lockPath), { recursive: true });
  const started = Date.now();
  let announced = false;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (fd !== undefined) {
      writeSync(fd, `${String(process.pid)}\n`);
      closeSync(fd);
      break;
    }
    let owner: number;
    try {
      owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      continue; // released between our open and read
    }
    // A lock file still being written has no pid yet; give its owner a moment.
    if (Number.isFinite(owner) && owner !== process.pid && !processAlive(owner)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for lock ${lockPath} (held by pid ${String(owner)})`);
    if (!announced) {
      process.stderr.write(`lab: waiting for ${lockPath} (pid ${String(owner)})\n`);
      announced = true;
    }
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
