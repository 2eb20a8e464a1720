/** Test harness: a real in-memory Azurite on an ephemeral loopback port, always stopped. */
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll } from 'vitest';
import { startAzurite, type EmbeddedAzurite } from '../../src/azure/embedded-azurite.js';

export interface AzuriteFixture {
  az: EmbeddedAzurite;
  service: BlobServiceClient;
}

/** Starts Azurite before the file's tests and stops it after; the returned object fills in beforeAll. */
export function useAzurite(options: { debugLogPath?: string } = {}): AzuriteFixture {
  const fixture = {} as AzuriteFixture;
  beforeAll(async () => {
    fixture.az = await startAzurite(options);
    fixture.service = BlobServiceClient.fromConnectionString(fixture.az.connectionString);
  });
  afterAll(async () => {
    await fixture.az?.stop();
  });
  return fixture;
}

let counter = 0;
/** A fresh container name per test, so tests in one file never see each other's blobs. */
export function uniqueName(prefix = 'c'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
