import { describe, expect, it } from 'vitest';
import { lazyLogger, type Logger } from './logger.ts';

/** A recording Logger standing for pino: its lines, with the bindings of the child that wrote them. */
function recorder(): { made: number; lines: [string, Record<string, unknown>, object, string][]; make: () => Logger } {
  const state = { made: 0, lines: [] as [string, Record<string, unknown>, object, string][] };
  const logger = (bindings: Record<string, unknown>): Logger => ({
    debug: (obj, msg) => void state.lines.push(['debug', bindings, obj, msg]),
    info: (obj, msg) => void state.lines.push(['info', bindings, obj, msg]),
    warn: (obj, msg) => void state.lines.push(['warn', bindings, obj, msg]),
    error: (obj, msg) => void state.lines.push(['error', bindings, obj, msg]),
    child: (more) => logger({ ...bindings, ...more }),
  });
  return Object.assign(state, {
    make: () => {
      state.made += 1;
      return logger({});
    },
  });
}

describe('lazyLogger', () => {
  it('makes the real logger only for a line at an enabled level, once', () => {
    const r = recorder();
    const log = lazyLogger('warn', r.make);
    const child = log.child({ service: 'sbom' }).child({ layer: 2 });
    log.debug({ a: 1 }, 'quiet');
    child.info({ b: 2 }, 'quiet too');
    expect(r.made).toBe(0);
    child.warn({ c: 3 }, 'loud');
    log.error({ d: 4 }, 'louder');
    child.error({ e: 5 }, 'again');
    expect(r.made).toBe(1);
    expect(r.lines).toEqual([
      ['warn', { service: 'sbom', layer: 2 }, { c: 3 }, 'loud'],
      ['error', {}, { d: 4 }, 'louder'],
      ['error', { service: 'sbom', layer: 2 }, { e: 5 }, 'again'],
    ]);
  });

  it.each([
    ['trace', ['debug', 'info', 'warn', 'error']],
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['fatal', []],
    ['silent', []],
  ] as const)('at %s writes %j', (level, expected) => {
    const r = recorder();
    const log = lazyLogger(level, r.make);
    for (const method of ['debug', 'info', 'warn', 'error'] as const) log[method]({}, method);
    expect(r.lines.map(([method]) => method)).toEqual(expected);
    expect(r.made).toBe(expected.length > 0 ? 1 : 0);
  });
});
