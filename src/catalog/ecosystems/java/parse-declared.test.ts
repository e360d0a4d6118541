import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { catalogTrivyRepo, goldenPurls, purlsOf, SYFT, TRIVY } from '../../../testing/catalog-corpus.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { runCatalog } from '../../run.ts';
import { declaredCataloguers, mavenPom } from './declared.ts';
import { parseGradleLock, parseSbtLock } from './parse-gradle-lock.ts';
import { parsePom } from './parse-pom.ts';

const JAVA = join(SYFT, 'syft/pkg/cataloger/java/testdata');
const read = (p: string): string => readFileSync(join(JAVA, p), 'utf8');
const purls = (r: ReturnType<typeof parsePom>): string[] => (r.ok ? r.entries.map((e) => e.purl).sort() : []);

describe('maven declared files against trivy', () => {
  it('pom.xml: the project and its non-test, non-provided direct dependencies (trivy CycloneDX golden components)', async () => {
    const catalog = await catalogTrivyRepo('pom', [mavenPom]);
    const golden = JSON.parse(readFileSync(join(TRIVY, 'pom-cyclonedx.json.golden'), 'utf8')) as { components: { purl?: string }[] };

    expect(purlsOf(catalog)).toEqual(golden.components.flatMap((c) => (c.purl === undefined ? [] : [c.purl])).sort());
  });

  it.each([
    ['gradle', 'gradle.json.golden'],
    ['sbt', 'sbt.json.golden'],
  ])('%s lock: the locked packages include trivy\'s', async (repo, golden) => {
    const catalog = await catalogTrivyRepo(repo, declaredCataloguers);

    expect(purlsOf(catalog)).toEqual(goldenPurls(golden).vulnerable);
  });
});

describe('maven declared files on syft fixtures', () => {
  it('neo4j plugin pom: project version from the file, compile dependencies, test ones left out', () => {
    expect(purls(parsePom(read('pom/neo4j-license-maven-plugin.pom.xml')))).toEqual([
      'pkg:maven/com.mycila.xmltool/xmltool@3.3',
      'pkg:maven/org.apache.maven/maven-plugin-api@3.0.1',
      'pkg:maven/org.apache.maven/maven-project@3.0-alpha-2',
      'pkg:maven/org.codehaus.plexus/plexus-utils@2.0.5',
      'pkg:maven/org.neo4j.build.plugins/license-maven-plugin@4-SNAPSHOT',
    ]);
  });

  it('gradle.lockfile: entries locked only for test configurations are left out', () => {
    const parsed = parseGradleLock(read('gradle/gradle.lockfile'));

    expect(parsed.ok && parsed.entries.map((e) => e.purl).sort()).toEqual(['pkg:maven/joda-time/joda-time@2.2', 'pkg:maven/org.apache.commons/commons-text@1.8']);
  });

  it('resolves ${…} from properties and dependencyManagement; an unresolvable version is an Unknown', async () => {
    const pom = `<project><groupId>g</groupId><artifactId>app</artifactId><version>1.0</version>
      <properties><jackson.version>2.9.1</jackson.version></properties>
      <dependencyManagement><dependencies><dependency><groupId>m</groupId><artifactId>managed</artifactId><version>\${project.version}</version></dependency></dependencies></dependencyManagement>
      <dependencies>
        <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>\${jackson.version}</version></dependency>
        <dependency><groupId>m</groupId><artifactId>managed</artifactId></dependency>
        <dependency><groupId>x</groupId><artifactId>from-parent</artifactId><version>\${parent.only}</version></dependency>
        <dependency><groupId>x</groupId><artifactId>opt</artifactId><version>1</version><optional>true</optional></dependency>
      </dependencies></project>`;
    const catalog = await runCatalog({ cataloguers: [mavenPom], tree: inlineTree({ '/app/pom.xml': pom }), log: silentLogger });

    expect(catalog.packages.map((p) => p.purl).sort()).toEqual(['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1', 'pkg:maven/g/app@1.0', 'pkg:maven/m/managed@1.0']);
    expect(catalog.unknowns).toHaveLength(1);
    expect(catalog.unknowns[0]).toMatchObject({ source: 'maven-pom', path: '/app/pom.xml' });
    const app = catalog.packages.find((p) => p.name === 'app');
    expect(catalog.relationships.filter((r) => r.kind === 'depends-on' && r.from === app?.id)).toHaveLength(2);
  });

  it('build.sbt.lock: skips dependency entries that are not objects, refuses a document that is not one', () => {
    const lock = { dependencies: [null, 'x', { org: 'o', name: 'n', version: '1', configurations: ['compile'] }] };
    const parsed = parseSbtLock(JSON.stringify(lock));

    expect(parsed.ok && parsed.entries.map((e) => e.purl)).toEqual(['pkg:maven/o/n@1']);
    expect(parseSbtLock('[{"dependencies": []}]').ok).toBe(false);
  });

  it('records a pom that is not XML', () => {
    expect(parsePom('<project><unclosed></project>').ok).toBe(false);
  });
});
