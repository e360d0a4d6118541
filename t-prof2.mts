import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { lintDockerfile } from './src/source/dockerfile/lint.ts';
const root = '/work/shared/corpus/dockerfiles-realworld/';
const manifest = JSON.parse(readFileSync(root + 'manifest.json', 'utf8')) as { file: string }[];
const texts = manifest.map((m) => readFileSync(root + m.file, 'utf8'));
const dfl = createRequire(import.meta.url)('dockerfilelint');
const cpu = (f: () => void) => { const c = process.cpuUsage(); const t = performance.now(); f(); const d = process.cpuUsage(c); return `${((d.user + d.system) / 1000).toFixed(0)}ms cpu / ${(performance.now() - t).toFixed(0)}ms wall`; };
for (let k = 0; k < 4; k++) {
  console.log('tollgate', cpu(() => { for (const x of texts) lintDockerfile(x, { file: 'x' }); }), ' dfl', cpu(() => { for (const x of texts) dfl.run('', x); }));
}
