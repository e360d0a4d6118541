import type { RegisterCommand } from '../context.ts';
import { registerInspect } from './inspect.ts';
import { registerAttest } from './attest.ts';
import { registerKeygen } from './keygen.ts';
import { registerLint } from './lint.ts';
import { registerCodeowners } from './codeowners.ts';
import { registerCommits } from './commits.ts';
import { registerRef } from './ref.ts';
import { registerSbom } from './sbom.ts';
import { registerScan } from './scan.ts';
import { registerSign } from './sign.ts';
import { registerVerify } from './verify.ts';
import { registerVerifyBundle } from './verify-bundle.ts';
import { registerVersion } from './version.ts';
import { registerDb } from './db.ts';
import { registerCache } from './cache.ts';

/**
 * The one list of CLI verbs, in the order `tollgate --help` shows them, each with the name its
 * register function gives the command (a run registers only the verb it names: cli/main.ts). Add one
 * import + one entry.
 */
export const COMMANDS: readonly (readonly [name: string, register: RegisterCommand])[] = Object.freeze([
  ['lint', registerLint],
  ['codeowners', registerCodeowners],
  ['commits', registerCommits],
  ['inspect', registerInspect],
  ['ref', registerRef],
  ['sbom', registerSbom],
  ['scan', registerScan],
  ['version', registerVersion],
  ['db', registerDb],
  ['cache', registerCache],
  ['keygen', registerKeygen],
  ['sign', registerSign],
  ['attest', registerAttest],
  ['verify', registerVerify],
  ['verify-bundle', registerVerifyBundle],
] as const);
