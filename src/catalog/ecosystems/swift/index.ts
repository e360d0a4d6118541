import { declaredCataloguer } from '../../_shared/declared.ts';
import { parsePackageResolved, parsePodfileLock } from './parse-swift.ts';

/** Swift Package Manager's Package.resolved. Folder sources only. */
export const swiftPackageResolved = declaredCataloguer({
  id: 'swift-package-resolved',
  version: 1,
  ecosystem: 'swift',
  matches: (_path, name) => name === 'Package.resolved' || name === '.package.resolved',
  parse: (text) => parsePackageResolved(text),
});

/** CocoaPods' Podfile.lock. Folder sources only. */
export const cocoapodsPodfileLock = declaredCataloguer({
  id: 'cocoapods-podfile-lock',
  version: 1,
  ecosystem: 'cocoapods',
  matches: (_path, name) => name === 'Podfile.lock',
  parse: (text) => parsePodfileLock(text),
});

export const cataloguers = [swiftPackageResolved, cocoapodsPodfileLock] as const;
