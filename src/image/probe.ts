import type { FileEntry } from './types.ts';

/**
 * A streaming reader of one regular file's bytes that keeps only what an analyser needs: the image
 * reader feeds it the file's chunks during its single walk (until `done`), and keeps `finish()`'s few
 * bytes in the file index, so the file's contents are never held or re-read. Memory: what the probe
 * keeps, whatever the file's size. Results are stored with the layer (layer cache) and must stay small.
 */
export interface FileProbe {
  write(chunk: Buffer): void;
  /** True once nothing more is needed: the reader stops feeding this probe. */
  readonly done: boolean;
  /** The probe's result (at most MAX_PROBE_BYTES). */
  finish(): Buffer;
}

/** A named probe and the files it runs on. The name (with its owner's version) keys the layer cache. */
export interface ProbeSpec {
  /** Stable name: results are looked up by it (FileTree.probe). */
  readonly name: string;
  /** Pure and cheap, asked once per regular file before its body is read. */
  wants(entry: FileEntry): boolean;
  create(): FileProbe;
}

/** Probe results of one file, by probe name. */
export type ProbeResults = Readonly<Record<string, Buffer>>;

/** Largest result a probe may keep; a bigger one is cut to this (the owner then sees it as incomplete). */
export const MAX_PROBE_BYTES = 4 * 1024 * 1024 + 64;

/** Keeps the first `bytes` bytes of a file (magic numbers, headers). */
export function headProbe(name: string, bytes: number, wants: (entry: FileEntry) => boolean): ProbeSpec {
  return {
    name,
    wants,
    create() {
      const parts: Buffer[] = [];
      let kept = 0;
      return {
        get done() {
          return kept >= bytes;
        },
        write(chunk) {
          if (kept >= bytes) return;
          const take = chunk.subarray(0, bytes - kept);
          parts.push(Buffer.from(take)); // a copy: the chunk's memory is reused by the stream
          kept += take.length;
        },
        finish() {
          return Buffer.concat(parts);
        },
      };
    },
  };
}

/** Runs probes over bytes already in memory (folder sources, re-read files): the same results as the walk. */
export function runProbe(spec: ProbeSpec, content: Buffer): Buffer {
  const probe = spec.create();
  const CHUNK = 1024 * 1024;
  for (let at = 0; at < content.length && !probe.done; at += CHUNK) probe.write(content.subarray(at, at + CHUNK));
  return probe.finish();
}
