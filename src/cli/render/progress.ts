import type { Writable } from 'node:stream';

export interface Progress {
  update(message: string): void;
  done(): void;
}

const silent: Progress = { update: () => undefined, done: () => undefined };

/** Progress on standard error, only when it is a terminal; redraws one line, at most 10 times a second. */
export function makeProgress(stream: (Writable & { isTTY?: boolean }) | undefined, enabled: boolean): Progress {
  if (!enabled || stream?.isTTY !== true) return silent;
  let last = 0;
  let shown = false;
  return {
    update(message) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\u001b[2K${message.slice(0, 200)}`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
