import parse from 'spdx-expression-parse';

// Apart from license.ts so that reading an SBOM (expressions only) does not load spdx-correct, whose
// module set-up alone (ICU collation of its transposition table) costs ~15 ms of every start-up.

export function isExpression(text: string): boolean {
  return withoutStacks(() => {
    try {
      parse(text);
      return true;
    } catch (error) {
      if (error instanceof Error) return false;
      throw error;
    }
  });
}

/**
 * `fn` with V8 capturing no stack traces. The SPDX libraries answer "not an expression" by throwing,
 * and capturing the stack is most of what each such answer costs: spdx-correct tries dozens of
 * candidates per text, so its failing calls ran 2-3x slower with stacks (measured: 13 Debian licence
 * names, 3.6-5.0 -> 1.8 ms). Only for calls whose errors are answers, not failures to debug.
 */
export function withoutStacks<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
