import type { Feed, FeedItem } from './advisory.ts';
import { alpineSecdbFeed } from './feeds/alpine-secdb/index.ts';
import { nodejsSecurityWgFeed } from './feeds/nodejs-security-wg/index.ts';
import { osvFeed } from './feeds/osv/index.ts';

/** The one table of advisory feeds, keyed by id (= folder name under feeds/), tried in order. */
export const FEEDS: Readonly<Record<string, Feed>> = Object.freeze({
  osv: osvFeed,
  'alpine-secdb': alpineSecdbFeed,
  'nodejs-security-wg': nodejsSecurityWgFeed,
});

/** Normalises one parsed document with the first feed that accepts it. */
export function normaliseDocument(doc: unknown): FeedItem & { readonly feed?: string } {
  for (const feed of Object.values(FEEDS)) {
    if (feed.accepts(doc)) return { ...feed.normalise(doc), feed: feed.id };
  }
  return { kind: 'skipped', reason: 'not a known advisory format' };
}
