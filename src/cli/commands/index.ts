import type { RegisterCommand } from '../context.ts';
import { registerRef } from './ref.ts';
import { registerSbom } from './sbom.ts';
import { registerVersion } from './version.ts';

/** The one list of CLI verbs, in the order `tollgate --help` shows them. Add one import + one entry. */
export const COMMANDS: readonly RegisterCommand[] = Object.freeze([registerRef, registerSbom, registerVersion]);
