export {
  createRegistryClient,
  referrersTag,
  type FetchedManifest,
  type GetManifestOptions,
  type ManifestHead,
  type ManifestLocator,
  type PushBlobResult,
  type RegistryClient,
  type RegistryClientOptions,
  type RegistryCredentials,
} from './registry-client.ts';
export { parseChallenges, type Challenge } from './challenge.ts';
