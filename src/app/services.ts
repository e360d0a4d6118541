import type { AppConfig, Environment } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';

/**
 * Everything the transports (cli/, http/) may call. Built once by buildServices, the one
 * composition root that decides which adapter backs which port. Each area contributes a
 * slice from src/services/<area>.ts (makeXServices(deps) → XServices); add yours with one
 * line in the interface and one in the object below.
 */
export interface Services {
  readonly config: AppConfig;
  readonly env: Environment;
  close(): Promise<void>;
}

export async function buildServices(config: AppConfig, env: Environment, log: Logger): Promise<Services> {
  const closers: (() => Promise<void>)[] = [];
  void log;
  return {
    config,
    env,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
