/**
 * The image cataloguers' ids and versions (fingerprintOf(imageCataloguers()), registry.ts), as a
 * constant: an image whose catalogue is cached under its digest and this fingerprint is answered
 * without loading a single cataloguer module (a warm `tollgate sbom` then starts in a fraction of the
 * time). registry.test.ts fails when a cataloguer is added, removed or re-versioned until this line
 * is updated to the value it prints, so a stale cache entry can never be served.
 */
export const IMAGE_CATALOGUERS_FINGERPRINT =
  'apk-db@1,elf-unowned@2,composer-installed@1,dpkg-status@1,go-binary@3,java-archive@1,npm-installed@1,os-release@1,python-installed@1,rpm-db@1,gemspec-installed@1;licences@6';
