/** Types of code-cache.js (plain JavaScript: bin/ runs before anything is built). */
export function commandOf(argv: readonly string[]): string;
export function cacheFolder(env?: NodeJS.ProcessEnv): string | undefined;
export function loadBundle(
  file: string,
  argv: readonly string[],
  env?: NodeJS.ProcessEnv,
): { exports: { main(argv: readonly string[]): Promise<number> }; cache: 'used' | 'rejected' | 'written-at-exit' | 'off' };
