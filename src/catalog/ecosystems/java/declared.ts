import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const gradleLockParsers = lazyModule(() => import('./parse-gradle-lock.ts'));
const pomParsers = lazyModule(() => import('./parse-pom.ts'));

/** pom.xml: the project and its direct dependencies resolvable from the file alone. */
export const mavenPom = declaredCataloguer({
  id: 'maven-pom',
  version: 1,
  ecosystem: 'maven',
  matches: (_path, name) => name === 'pom.xml',
  parser: pomParsers,
  parse: (p, text) => p.parsePom(text),
});

export const gradleLock = declaredCataloguer({
  id: 'gradle-lockfile',
  version: 1,
  ecosystem: 'maven',
  matches: (_path, name) => name === 'gradle.lockfile' || (name.endsWith('.lockfile') && _path.includes('/gradle/dependency-locks/')),
  parser: gradleLockParsers,
  parse: (p, text) => p.parseGradleLock(text),
});

export const sbtLock = declaredCataloguer({
  id: 'sbt-lock',
  version: 1,
  ecosystem: 'maven',
  matches: (_path, name) => name === 'build.sbt.lock',
  parser: gradleLockParsers,
  parse: (p, text) => p.parseSbtLock(text),
});

export const declaredCataloguers = [mavenPom, gradleLock, sbtLock] as const;
