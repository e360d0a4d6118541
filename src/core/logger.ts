/** The logging port. pino satisfies it structurally; libraries log at debug only. */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

const noop = (): void => undefined;

export const silentLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: (): Logger => silentLogger,
});

/** Log levels as the configuration names them (pino's), quietest last but one. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const SEVERITY: Readonly<Record<Exclude<LogLevel, 'silent'>, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * A Logger that makes the real one only when a line at an enabled level is written: most CLI runs
 * write none (the default level is warn), and making pino costs ~6 ms of a ~150 ms run. Children
 * keep their bindings and become the real logger's children on their first enabled line.
 */
export function lazyLogger(level: LogLevel, make: () => Logger): Logger {
  const threshold = level === 'silent' ? Number.POSITIVE_INFINITY : SEVERITY[level];
  let root: Logger | undefined;
  const real = (): Logger => (root ??= make());
  const wrap = (resolve: () => Logger): Logger => {
    let made: Logger | undefined;
    const target = (): Logger => (made ??= resolve());
    const at =
      (method: 'debug' | 'info' | 'warn' | 'error') =>
      (obj: object, msg: string): void => {
        if (SEVERITY[method] >= threshold) target()[method](obj, msg);
      };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (bindings) => wrap(() => target().child(bindings)) };
  };
  return wrap(real);
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = Object.freeze({ now: () => new Date() });
