import type { Measurement } from './measure.ts';

export interface BenchContext {
  /** --smoke: run each benchmark once on a small input, quickly (CI). */
  readonly smoke: boolean;
  /** Runs per measurement (1 under --smoke). */
  readonly repeats: number;
  log(message: string): void;
}

/** One subject (Tollgate or a peer) measured on one input. */
export interface BenchRow {
  readonly input: string;
  readonly subject: string;
  readonly measurement: Measurement;
  /** Extra columns (package counts, file counts…). */
  readonly notes?: string;
}

export interface BenchComparison {
  readonly input: string;
  /** What is compared: "tollgate vs umoci". */
  readonly label: string;
  /** Peer time / Tollgate time: above 1 means Tollgate is faster. */
  readonly speedup: number;
  readonly target?: { readonly description: string; readonly met: boolean };
}

export interface BenchResult {
  readonly rows: readonly BenchRow[];
  readonly comparisons: readonly BenchComparison[];
  readonly notes?: readonly string[];
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}
