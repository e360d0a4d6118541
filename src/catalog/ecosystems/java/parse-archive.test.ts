import { zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../../testing/peers.ts';
import { nameFromFilename, parseJavaArchive, parseManifest } from './parse-archive.ts';

const JAVA = join(corpusDir(), 'syft-fixtures/cmd/syft/internal/test/integration/testdata/image-pkg-coverage/pkgs/java');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('java/parse-archive', () => {
  it('reads syft\'s example jar: its own pom.properties and the shaded joda-time', () => {
    const result = parseJavaArchive(readFileSync(join(JAVA, 'example-java-app-maven-0.1.0.jar')), 'example-java-app-maven-0.1.0.jar');

    expect(result.artifacts.map((a) => `${a.groupId}:${a.artifactId}@${a.version}`).sort()).toEqual([
      'joda-time:joda-time@2.9.2',
      'org.anchore:example-java-app-maven@0.1.0',
    ]);
  });

  it('reads a war with a nested jar, naming the nested one from its manifest', () => {
    const inner = zipSync({ 'META-INF/MANIFEST.MF': enc('Manifest-Version: 1.0\nImplementation-Title: inner\nImplementation-Version: 3.1\nBundle-License: Apache-2.0\n') });
    const war = zipSync({
      'META-INF/MANIFEST.MF': enc('Manifest-Version: 1.0\n'),
      'META-INF/maven/com.acme/shop/pom.properties': enc('groupId=com.acme\nartifactId=shop\nversion=1.0.0\n'),
      'WEB-INF/lib/inner-3.1.jar': inner,
    });
    const result = parseJavaArchive(war, 'shop-1.0.0.war');

    expect(result.artifacts).toEqual([
      { groupId: 'com.acme', artifactId: 'shop', version: '1.0.0', licenses: [], nestedPath: '', source: 'pom.properties' },
      { artifactId: 'inner', version: '3.1', licenses: ['Apache-2.0'], nestedPath: 'WEB-INF/lib/inner-3.1.jar', source: 'manifest' },
    ]);
  });

  it('reports an archive that is not a zip', () => {
    expect(parseJavaArchive(enc('not a zip'), 'x.jar').problems).toHaveLength(1);
  });

  it('reads manifest continuation lines and versions in file names', () => {
    expect(parseManifest('Implementation-Title: a-very-long\n -title\n\nName: x\nFoo: bar\n').get('Implementation-Title')).toBe('a-very-long-title');
    expect(nameFromFilename('commons-lang3-3.12.0.jar')).toEqual({ name: 'commons-lang3', version: '3.12.0' });
  });
});
