/**
 * Benchmarks: Tollgate side by side with its peers, in one run.
 *
 *   npm run bench                   full run (the ~150 MB `big` lab image; several repeats)
 *   npm run bench:smoke             each benchmark once on a small input (< 60 s; CI)
 *   npm run bench -- --only image-read --repeats 5 --json out.json
 *
 * Add a benchmark: write bench/<name>.ts exporting a `Benchmark` (bench/types.ts) and add it to
 * BENCHMARKS below. Measure children with measureCommand (bench/measure.ts) so each subject's peak
 * memory is its own.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { imageRead } from './image-read.ts';
import { lint } from './lint.ts';
import { sbom } from './sbom.ts';
import { scan } from './scan.ts';
import { verify } from './verify.ts';
import { vulnImport } from './vuln-import.ts';
import { formatBytes, formatCpu, formatSeconds, table } from './measure.ts';
import type { Benchmark, BenchContext, BenchResult } from './types.ts';

/** The one list of benchmarks, in run order. */
export const BENCHMARKS: readonly Benchmark[] = Object.freeze([imageRead, lint, verify, vulnImport, scan, sbom]);

function report(benchmark: Benchmark, result: BenchResult): string {
  const lines = [`== ${benchmark.name}: ${benchmark.description}`];
  lines.push(
    table(
      ['input', 'subject', 'time', 'CPU (user+sys)', 'peak RSS', 'notes'],
      result.rows.map((row) => [row.input, row.subject, formatSeconds(row.measurement.seconds), formatCpu(row.measurement), formatBytes(row.measurement.peakRss), row.notes ?? '']),
    ),
  );
  for (const c of result.comparisons) {
    const target = c.target === undefined ? '' : `  target: ${c.target.description}: ${c.target.met ? 'met' : 'NOT met'}`;
    lines.push(`${c.input}: ${c.label} = ${c.speedup.toFixed(2)}x${target}`);
  }
  for (const note of result.notes ?? []) lines.push(note);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      repeats: { type: 'string' },
      json: { type: 'string' },
    },
    strict: true,
  });
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    process.stderr.write(`bench needs Node 24 (this is ${process.version}); run it with npm run bench\n`);
    return 2;
  }
  const smoke = values.smoke === true;
  const repeats = smoke ? 1 : Number(values.repeats ?? '3');
  const ctx: BenchContext = { smoke, repeats, log: (message) => process.stderr.write(`bench: ${message}\n`) };
  const selected = values.only === undefined ? BENCHMARKS : BENCHMARKS.filter((b) => values.only?.includes(b.name));
  if (selected.length === 0) {
    process.stderr.write(`no benchmark named ${String(values.only)}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  const started = Date.now();
  const results: Record<string, BenchResult> = {};
  let failed = false;
  for (const benchmark of selected) {
    try {
      const result = await benchmark.run(ctx);
      results[benchmark.name] = result;
      process.stdout.write(`${report(benchmark, result)}\n\n`);
    } catch (error) {
      failed = true;
      process.stderr.write(`bench: ${benchmark.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  process.stdout.write(`${smoke ? 'smoke ' : ''}benchmarks done in ${formatSeconds((Date.now() - started) / 1000)}\n`);
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify({ smoke, repeats, results }, null, 2)}\n`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
