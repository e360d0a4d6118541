/**
 * An internal error's stack as printed for a bug report. The shipped bundle (tools/build.ts) has no
 * line breaks, so its frames read `main.cjs:1:<column>`; Node does not apply source maps to it (it is
 * run as a vm.Script: bin/code-cache.js), so frames in it are mapped here through main.cjs.map,
 * on this rare path only, to the TypeScript source and line. Anything that fails leaves the stack as it was.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stack of `error` with frames in `bundle` (default: this module's file, when it is a bundle with a map) mapped to their sources. */
export function readableStack(error: unknown, bundle: string = fileURLToPath(import.meta.url)): string {
  const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  const mapFile = `${bundle}.map`;
  if (!bundle.endsWith('.cjs') || !existsSync(mapFile)) return stack;
  try {
    const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    const root = resolve(dirname(bundle), '..', '..');
    const escaped = bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return stack.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'), (frame, line: string, column: string) => {
      const origin = map.findOrigin(Number(line), Number(column));
      if (!('fileName' in origin)) return frame;
      return `${relative(root, resolve(dirname(bundle), origin.fileName))}:${String(origin.lineNumber)}:${String(origin.columnNumber)}`;
    });
  } catch {
    return stack;
  }
}
