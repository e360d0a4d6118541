import { headProbe } from '../../../image/probe.ts';
import { isExecutable } from '../../../image/want.ts';
import type { FileEntry } from '../../../image/types.ts';

/** Executables of at least 4 bytes: the files elf-unowned asks about. */
export const isCandidate = (entry: FileEntry): boolean => isExecutable(entry) && entry.size >= 4;

/** The first bytes of every executable (the ELF magic), kept while the layers stream. */
export const EXECUTABLE_HEAD_PROBE = headProbe('executable-head@1', 64, isCandidate);
