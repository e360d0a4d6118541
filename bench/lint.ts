/**
 * lint: the 415 real Dockerfiles of ../shared/corpus/dockerfiles-realworld linted in-process by
 * Tollgate (all Dockerfile rules) and by dockerfilelint (the npm peer, via its JS API), side by side.
 * Texts are read before timing; each subject gets one warm-up pass. Target: Tollgate well under 1 s.
 * --smoke: the first 50 files, once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { lintDockerfile } from '../src/source/dockerfile/lint.ts';
import { DOCKERFILE_RULES } from '../src/source/dockerfile/registry.ts';
import { measureFunction, repeat } from './measure.ts';
import type { Benchmark, BenchRow } from './types.ts';

const CORPUS = new URL('../../shared/corpus/dockerfiles-realworld/', import.meta.url);

interface DockerfileLint {
  run(configPath: string, content: string): unknown[];
}

export const lint: Benchmark = {
  name: 'lint',
  description: 'Dockerfile lint of dockerfiles-realworld, in-process: Tollgate vs dockerfilelint',
  async run(ctx) {
    const manifestUrl = new URL('manifest.json', CORPUS);
    if (!existsSync(manifestUrl)) throw new Error('corpus missing: ../shared/corpus/dockerfiles-realworld');
    const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as { file: string }[];
    const files = (ctx.smoke ? manifest.slice(0, 50) : manifest).map((m) => ({ file: m.file, text: readFileSync(new URL(m.file, CORPUS), 'utf8') }));
    const dockerfilelint = createRequire(import.meta.url)('dockerfilelint') as DockerfileLint;

    let ours = 0;
    let theirs = 0;
    const runOurs = (): void => {
      ours = 0;
      for (const f of files) ours += lintDockerfile(f.text, { file: f.file, hasDockerignore: 'unknown' }).length;
    };
    const runTheirs = (): void => {
      theirs = 0;
      for (const f of files) theirs += dockerfilelint.run('', f.text).length;
    };
    runOurs();
    runTheirs();
    // CPU time as well as wall time (measureFunction measures both; repeat keeps the medians): on a
    // shared machine wall time mostly measures the neighbours.
    const tollgate = await repeat(ctx.repeats, () => measureFunction(async () => runOurs()));
    const peer = await repeat(ctx.repeats, () => measureFunction(async () => runTheirs()));
    const cpuOurs = tollgate.cpuSeconds ?? Number.NaN;
    const cpuTheirs = peer.cpuSeconds ?? Number.NaN;
    const input = `${files.length} Dockerfiles`;
    const rows: BenchRow[] = [
      { input, subject: 'tollgate', measurement: tollgate, notes: `${ours} findings, ${DOCKERFILE_RULES.length} rules; CPU ${cpuOurs.toFixed(3)} s` },
      { input, subject: 'dockerfilelint', measurement: peer, notes: `${theirs} findings; CPU ${cpuTheirs.toFixed(3)} s` },
    ];
    ctx.log(`lint: tollgate ${tollgate.seconds.toFixed(3)} s, dockerfilelint ${peer.seconds.toFixed(3)} s`);
    return {
      rows,
      comparisons: [
        {
          input,
          label: 'dockerfilelint time / tollgate time',
          speedup: peer.seconds / tollgate.seconds,
          ...(ctx.smoke ? {} : { target: { description: 'tollgate under 1 s for all 415', met: tollgate.seconds < 1 } }),
        },
        {
          input,
          label: 'dockerfilelint CPU / tollgate CPU',
          speedup: cpuTheirs / cpuOurs,
          ...(ctx.smoke ? {} : { target: { description: 'tollgate under 1 s of CPU for all 415', met: cpuOurs < 1 } }),
        },
      ],
      notes: ['peak RSS is this process\'s high-water mark (in-process measurement), not per subject'],
    };
  },
};
