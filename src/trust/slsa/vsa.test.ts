import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../testing/peers.ts';
import { verifyVsa } from './vsa.ts';

// slsa-verifier Test_runVerifyVSA (regression-cases.json): "success: gke" and "fail: gke, wrong key id".
const DIR = `${corpusDir()}slsa-verifier/cli/slsa-verifier/testdata/vsa/gce/v1/`;
const envelope = JSON.parse(readFileSync(`${DIR}gke-gce-pre.bcid-vsa.jsonl`, 'utf8').trim().split('\n')[0] ?? '') as unknown;
const key = createPublicKey(readFileSync(`${DIR}vsa_signing_public_key.pem`));
const KEY_ID = 'keystore://76574:prod:vsa_signing_public_key';
const EXPECT = {
  subjectDigests: ['gce_image_id:8970095005306000053'],
  verifierId: 'https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1',
  resourceUri: 'gce_image://gke-node-images:gke-12615-gke1418000-cos-101-17162-463-29-c-cgpv1-pre',
  verifiedLevels: ['BCID_L1', 'SLSA_BUILD_LEVEL_2'],
};

describe('trust/slsa VSA (slsa-verifier regression cases)', () => {
  it('success: gke', () => {
    expect(verifyVsa(envelope, key, KEY_ID, EXPECT)).toEqual({ verdict: 'pass' });
  });
  it('fail: gke, wrong key id → no valid signature', () => {
    expect(verifyVsa(envelope, key, 'my_key_id', {})).toMatchObject({ verdict: 'fail', failure: 'no-valid-signature' });
  });
  it('fails on any other expectation', () => {
    expect(verifyVsa(envelope, key, KEY_ID, { ...EXPECT, verifiedLevels: ['SLSA_BUILD_LEVEL_3'] })).toMatchObject({ failure: 'mismatch-levels' });
    expect(verifyVsa(envelope, key, KEY_ID, { ...EXPECT, resourceUri: 'gce_image://other' })).toMatchObject({ failure: 'mismatch-resource' });
    expect(verifyVsa(envelope, key, KEY_ID, { ...EXPECT, subjectDigests: ['gce_image_id:1'] })).toMatchObject({ failure: 'mismatch-subject' });
  });
});
