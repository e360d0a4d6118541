import { existsSync, readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './dockerfile.ts';
import { substitute } from './substitute.ts';
import { parseImageRef } from './image-ref.ts';
import { isCi } from '../../../testing/peers.ts';

const CORPUS = new URL('../../../../../shared/corpus/dockerfiles-realworld/', import.meta.url);

describe('parseDockerfile', () => {
  it('builds stages with resolved base images, aliases, platforms and stage references', () => {
    const ast = parseDockerfile('ARG REG=quay.io\nARG TAG\nFROM --platform=$BUILDPLATFORM ${REG}/org/img:${TAG:-1.2} AS build\nRUN make\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n');
    expect(ast.globalArgs).toHaveLength(2);
    expect(ast.stages.map((s) => [s.from.image, s.from.alias, s.from.stageRef, s.from.scratch])).toEqual([
      ['quay.io/org/img:1.2', 'build', undefined, false],
      ['build', 'test', 0, false],
      ['scratch', undefined, undefined, true],
    ]);
    expect(ast.stages[0]?.from.platform).toBe('$BUILDPLATFORM');
    expect(ast.stages[0]?.from.ref).toMatchObject({ registry: 'quay.io', repository: 'org/img', tag: '1.2' });
  });

  it('joins continuations, drops comment lines inside them and keeps exact ranges', () => {
    const ast = parseDockerfile('FROM a:1\nRUN apt-get update && \\\n# a comment\n    apt-get install -y x\nENV A=1 \\\n    B="two words"\n');
    const run = ast.instructions[1];
    expect(run?.text).toBe('apt-get update &&     apt-get install -y x');
    expect(run?.range).toEqual({ startLine: 2, startCol: 1, endLine: 4, endCol: 25 });
    expect(ast.instructions[2]?.pairs.map((p) => [p.name, p.value, p.range.startLine])).toEqual([['A', '1', 5], ['B', 'two words', 6]]);
  });

  it('honours the escape directive', () => {
    const ast = parseDockerfile('# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN dir `\n    c:\\\n');
    expect(ast.escape).toBe('`');
    expect(ast.instructions).toHaveLength(2);
    expect(ast.instructions[1]?.range.endLine).toBe(4);
  });

  it('reads heredocs as the RUN script and ONBUILD triggers as instructions', () => {
    const ast = parseDockerfile('FROM a:1\nRUN <<EOF\nset -e\ncurl https://x | sh\nEOF\nONBUILD RUN pip install x\nCOPY <<-EOT /etc/x\n\thello\n\tEOT\nUSER app\n');
    expect(ast.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'ONBUILD', 'COPY', 'USER']);
    expect(ast.instructions[1]?.commands.map((c) => c.name)).toEqual(['set', 'curl', 'sh']);
    expect(ast.instructions[3]?.heredocs).toEqual([{ name: 'EOT', content: 'hello' }]);
    expect(ast.flat.map((i) => `${i.keyword}${i.onbuild ? '*' : ''}`)).toEqual(['FROM', 'RUN', 'ONBUILD', 'RUN*', 'COPY', 'USER']);
  });

  it('keeps exec form as JSON and anything else as shell form', () => {
    const ast = parseDockerfile('FROM a:1\nCMD ["a", "b c"]\nCMD [not json]\nENTRYPOINT ./run.sh\n');
    expect(ast.instructions.map((i) => i.json ?? null)).toEqual([null, ['a', 'b c'], null, null]);
  });

  it('finds the same instructions as dockerfile-ast on all real-world Dockerfiles', () => {
    const manifest = new URL('manifest.json', CORPUS);
    if (!existsSync(manifest)) {
      if (isCi) throw new Error('corpus missing');
      return;
    }
    const files = (JSON.parse(readFileSync(manifest, 'utf8')) as { file: string }[]).map((m) => readFileSync(new URL(m.file, CORPUS), 'utf8'));
    let compared = 0;
    for (const text of files) {
      const ours = parseDockerfile(text).instructions.map((i) => `${i.keyword}@${i.range.startLine}-${i.range.endLine}`);
      const theirs = DockerfileParser.parse(text).getInstructions().map((i) => `${i.getKeyword().toUpperCase()}@${i.getRange().start.line + 1}-${i.getRange().end.line + 1}`);
      expect(ours).toEqual(theirs);
      compared += ours.length;
    }
    expect(compared).toBeGreaterThan(3000);
  });
});

describe('substitute', () => {
  const vars = new Map<string, string | undefined>([['A', 'x'], ['E', ''], ['U', undefined]]);
  it.each([
    ['$A', 'x', false], ['${A}', 'x', false], ['${E:-d}', 'd', false], ['${E-d}', '', false], ['${N:-d}', 'd', false],
    ['${A:+y}', 'y', false], ['${N:+y}', '', false], ['$N', '', true], ['${U}', '', true], ['a\\$A', 'a$A', false], ['${A:-${N:-z}}', 'x', false],
  ])('%s → %s', (input, value, unresolved) => {
    expect(substitute(input, vars)).toEqual({ value, unresolved });
  });
});

describe('parseImageRef', () => {
  it.each([
    ['debian', { registry: 'docker.io', repository: 'library/debian', name: 'debian' }],
    ['debian:12@sha256:ab', { registry: 'docker.io', repository: 'library/debian', tag: '12', digest: 'sha256:ab' }],
    ['localhost:5000/x/y:1', { registry: 'localhost:5000', repository: 'x/y', tag: '1' }],
    ['gcr.io/distroless/static', { registry: 'gcr.io', repository: 'distroless/static', name: 'static' }],
    ['org/app', { registry: 'docker.io', repository: 'org/app', explicitRegistry: false }],
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toMatchObject(expected);
  });
});
