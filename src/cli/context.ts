import type { Command } from 'commander';
import type { AppConfig, Environment } from '../config/index.ts';
import type { SliceName, SomeServices } from '../app/services.ts';
import type { Style } from './render/table.ts';
import type { Progress } from './render/progress.ts';

/** What every command receives. Services are built lazily, after global options are parsed. */
export interface CliContext {
  readonly env: Environment;
  config(): Promise<AppConfig>;
  /** Builds the named service slices (only those: a verb loads its own libraries, not every verb's). */
  services<K extends SliceName>(first: K, ...more: K[]): Promise<SomeServices<K>>;
  readonly style: Style;
  progress(): Progress;
  /** Set by a command whose gate said no (findings over threshold, policy deny). */
  setExitCode(code: number): void;
}

export type RegisterCommand = (program: Command, ctx: CliContext) => void;
