import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseGradleLock, parseSbtLock } from './parse-gradle-lock.ts';
import { parsePom } from './parse-pom.ts';

/** pom.xml: the project and its direct dependencies resolvable from the file alone. */
export const mavenPom = declaredCataloguer({
  id: 'maven-pom',
  version: 1,
  ecosystem: 'maven',
  matches: (_path, name) => name === 'pom.xml',
  parse: (text) => parsePom(text),
});

export const gradleLock = declaredCataloguer({
  id: 'gradle-lockfile',
  version: 1,
  ecosystem: 'maven',
  matches: (_path, name) => name === 'gradle.lockfile' || (name.endsWith('.lockfile') && _path.includes('/gradle/dependency-locks/')),
  parse: (text) => parseGradleLock(text),
});

export const sbtLock = declaredCataloguer({
  id: 'sbt-lock',
  version: 1,
  ecosystem: 'maven',
  matches: (_path, name) => name === 'build.sbt.lock',
  parse: (text) => parseSbtLock(text),
});

export const declaredCataloguers = [mavenPom, gradleLock, sbtLock] as const;
