import type { RegisterCommand } from '../context.ts';

/** The one list of CLI verbs, in the order `tollgate --help` shows them. Add one import + one entry. */
export const COMMANDS: readonly RegisterCommand[] = Object.freeze([]);
