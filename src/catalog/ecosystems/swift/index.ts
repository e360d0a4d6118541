import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-swift.ts'));

/** Swift Package Manager's Package.resolved. Folder sources only. */
export const swiftPackageResolved = declaredCataloguer({
  id: 'swift-package-resolved',
  version: 1,
  ecosystem: 'swift',
  matches: (_path, name) => name === 'Package.resolved' || name === '.package.resolved',
  parser: parsers,
  parse: (p, text) => p.parsePackageResolved(text),
});

/** CocoaPods' Podfile.lock. Folder sources only. */
export const cocoapodsPodfileLock = declaredCataloguer({
  id: 'cocoapods-podfile-lock',
  version: 1,
  ecosystem: 'cocoapods',
  matches: (_path, name) => name === 'Podfile.lock',
  parser: parsers,
  parse: (p, text) => p.parsePodfileLock(text),
});

export const cataloguers = [swiftPackageResolved, cocoapodsPodfileLock] as const;
