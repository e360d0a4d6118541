/**
 * An internal error's stack as printed for a bug report. The shipped bundles (tools/build.ts: main.cjs
 * and the vendor bundles beside it) have no line breaks, so their frames read `<bundle>.cjs:1:<column>`;
 * Node does not apply source maps to them (they are run as vm.Scripts: bin/code-cache.js), so frames
 * in any bundle of that folder are mapped here through the bundle's own `.map`, on this rare path
 * only, to the source and line. Anything that fails leaves that frame, or the stack, as it was.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The stack of `error` with frames in `bundle` (default: this module's file, when it is a bundle with
 * a map) and in the other bundles beside it mapped to their sources.
 */
export function readableStack(error: unknown, bundle: string = fileURLToPath(import.meta.url)): string {
  const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  if (!bundle.endsWith('.cjs') || !existsSync(`${bundle}.map`)) return stack;
  const folder = dirname(bundle);
  const root = resolve(folder, '..', '..');
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (file: string): SourceMap | undefined => {
    if (!maps.has(file)) {
      try {
        maps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]));
      } catch {
        maps.set(file, undefined); // no map, or not one: the frame stays as it is
      }
    }
    return maps.get(file);
  };
  const escaped = `${folder}/`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return stack.replace(new RegExp(`${escaped}([\\w.-]+\\.cjs):(\\d+):(\\d+)`, 'g'), (frame, name: string, line: string, column: string) => {
    const file = resolve(folder, name);
    const origin = mapOf(file)?.findOrigin(Number(line), Number(column));
    if (origin === undefined || !('fileName' in origin)) return frame;
    return `${relative(root, resolve(folder, origin.fileName))}:${String(origin.lineNumber)}:${String(origin.columnNumber)}`;
  });
}
