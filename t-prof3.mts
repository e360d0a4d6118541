import { readFileSync } from 'node:fs';
import { lintDockerfile } from './src/source/dockerfile/lint.ts';
const root = '/work/shared/corpus/dockerfiles-realworld/';
const manifest = JSON.parse(readFileSync(root + 'manifest.json', 'utf8')) as { file: string }[];
const texts = manifest.map((m) => readFileSync(root + m.file, 'utf8'));
for (let k = 0; k < 10; k++) for (const x of texts) lintDockerfile(x, { file: 'x' });
