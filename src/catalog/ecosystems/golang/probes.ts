import type { ProbeSpec } from '../../../image/probe.ts';
import { isExecutable } from '../../../image/want.ts';
import type { FileEntry } from '../../../image/types.ts';
import { createBuildInfoScanner } from './scan-buildinfo.ts';

/** Go binaries are never this small. */
const MIN_SIZE = 512 * 1024;
/** Bigger executables are still probed (the probe keeps only the build info); this bounds the fallback read. */
const MAX_SIZE = 4 * 1024 * 1024 * 1024;

export const isCandidate = (entry: FileEntry): boolean =>
  isExecutable(entry) && entry.size >= MIN_SIZE && entry.size <= MAX_SIZE;

/**
 * The build-info probe: the image reader streams every candidate executable through the build-info
 * scanner, which keeps the build info's own bytes (a few KiB) and nothing else, whatever the
 * executable's size. Result: one tag byte, then for 'K' the kept bytes (parseBuildInfo reads them).
 */
export const GO_BUILDINFO_PROBE: ProbeSpec = {
  name: 'go-buildinfo@2',
  wants: isCandidate,
  create() {
    const scanner = createBuildInfoScanner();
    return {
      get done() {
        return scanner.done;
      },
      write(chunk) {
        scanner.write(chunk);
      },
      finish() {
        const kept = scanner.kept();
        if (kept !== undefined) return Buffer.concat([Buffer.from('K'), kept]);
        const result = scanner.finish();
        if (result.ok === 'absent') return Buffer.from('A');
        if (result.ok === 'needs-file') return Buffer.from('P');
        return Buffer.concat([Buffer.from('E'), Buffer.from(result.ok === false ? result.reason : 'no build info kept')]);
      },
    };
  },
};
