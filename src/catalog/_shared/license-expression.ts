import parse from 'spdx-expression-parse';

// Apart from license.ts so that reading an SBOM (expressions only) does not load spdx-correct, whose
// module set-up alone (ICU collation of its transposition table) costs ~15 ms of every start-up.

export function isExpression(text: string): boolean {
  try {
    parse(text);
    return true;
  } catch (error) {
    if (error instanceof Error) return false;
    throw error;
  }
}

export function licenseRef(text: string): string {
  const id = text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return `LicenseRef-${id === '' ? 'unknown' : id}`;
}
