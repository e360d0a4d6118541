import { readFileSync } from 'node:fs';
import { lintDockerfile } from './src/source/dockerfile/lint.ts';
const root = '/work/shared/corpus/dockerfiles-realworld/';
const manifest = JSON.parse(readFileSync(root + 'manifest.json', 'utf8')) as { file: string }[];
const texts = manifest.map((m) => readFileSync(root + m.file, 'utf8'));
for (let k = 0; k < 3; k++) { const t = performance.now(); for (const x of texts) lintDockerfile(x, { file: 'x' }); console.log(performance.now() - t); }
import { createRequire } from 'node:module';
const dfl = createRequire(import.meta.url)('dockerfilelint');
for (let k = 0; k < 3; k++) { const t = performance.now(); for (const x of texts) dfl.run('', x); console.log('dfl', performance.now() - t); }
