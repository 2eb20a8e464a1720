/**
 * Blob paths that belong to libraries whose 412/409 is their normal way of losing a race (each entry names the
 * public issues that show it):
 * recognising them separates expected contention from a bug. Pure.
 */
import type { Contention } from './types.js';

interface Fingerprint {
  test: (container: string, name: string) => boolean;
  contention: Contention;
}

const FINGERPRINTS: Fingerprint[] = [
  {
    test: (_c, n) => /(?:^|\/)ownership\/[^/]+$/.test(n.toLowerCase()),
    contention: {
      kind: 'event-hubs-ownership',
      expected: true,
      title: 'Event Hubs partition ownership claim (BlobCheckpointStore)',
      explanation:
        'Event processors claim a partition with setMetadata(If-Match: <ETag from listOwnership>) on ' +
        '<namespace>/<hub>/<consumer group>/ownership/<partition>. A 412 means another processor claimed it ' +
        'first: the library logs it and moves on (azure-sdk-for-java #29927, azure-sdk-for-net #9908).',
      fix: [
        'Expected contention: no action if partitions end up balanced; filter these 412s out of failure alerts ' +
          '(e.g. by blob path /ownership/).',
        'Act only if the claims never settle: check that every processor of the consumer group uses the same ' +
          'checkpoint container and that clocks and load-balancing intervals are sane.',
      ],
    },
  },
  {
    test: (_c, n) => /(?:^|\/)checkpoint\/[^/]+$/.test(n.toLowerCase()),
    contention: {
      kind: 'event-hubs-checkpoint',
      expected: true,
      title: 'Event Hubs checkpoint blob',
      explanation:
        'Checkpoints are written with unconditional setMetadata (last writer wins). A conditional failure here ' +
        'usually comes from a processor that lost ownership of the partition while still checkpointing.',
      fix: [
        'Check that a processor stops checkpointing a partition once it loses ownership; rebalancing after ' +
          'scale-out makes a few of these normal.',
      ],
    },
  },
  {
    test: (c, n) => c === 'azure-webjobs-hosts' && n.startsWith('locks/'),
    contention: {
      kind: 'functions-singleton',
      expected: true,
      title: 'Azure Functions / WebJobs singleton lock (azure-webjobs-hosts/locks/…)',
      explanation:
        'The host holds a 15 s (host) or 60 s (listener) blob lease and renews it every half period. Another ' +
        'instance or a restarting host competing for it gets 409/412; a renewal that fails means the lock was ' +
        'lost (azure-functions-host #7143, #1864).',
      fix: [
        'Expected during scale-out and restarts. Investigate only if the host restarts repeatedly: look for CPU ' +
          'or thread-pool starvation delaying renewals past the lease period, or two hosts sharing one host id.',
      ],
    },
  },
  {
    test: (c) => c === 'azure-webjobs-secrets',
    contention: {
      kind: 'functions-secrets',
      expected: false,
      title: 'Azure Functions key store (azure-webjobs-secrets)',
      explanation:
        'Function keys are written with If-Match and not retried: two concurrent key updates race and one fails ' +
        '412 (azure-functions-host #8835).',
      fix: [
        'Serialize key-management calls (one deployment step at a time) or retry the key update after re-reading it.',
      ],
    },
  },
  {
    test: (_c, n) => /\.tfstate(?:$|[.-])|terraform\.tfstate|\.tflock$/i.test(n) || /(?:^|\/)env:/.test(n),
    contention: {
      kind: 'terraform-state',
      expected: false,
      title: 'Terraform azurerm backend state blob',
      explanation:
        'Terraform locks state with an infinite blob lease (proposed id = lock id) and terraformlockid ' +
        'metadata. 409 LeaseAlreadyPresent means another run holds the lock; 412 LeaseIdMissing means a write ' +
        'went out without the lease id (hashicorp/terraform #17046).',
      fix: [
        'If another run is active, wait for it. If the lock is orphaned (lease infinite, no terraformlockid ' +
          'metadata), `terraform force-unlock <id>` or break the lease — only when no run is active.',
      ],
    },
  },
  {
    test: (c) => c.endsWith('-leases'),
    contention: {
      kind: 'durable-task-lease',
      expected: true,
      title: 'Durable Functions / Durable Task partition lease',
      explanation:
        'Workers acquire and steal control-queue partition leases; a lost lease surfaces as 409/412 and the ' +
        'partition moves to another worker.',
      fix: ['Expected while workers scale; investigate only if partitions never settle.'],
    },
  },
];

/** The library a blob path belongs to, if it is one of those whose conditional failures are routine. */
export function recogniseContention(container: string | undefined, name: string | undefined): Contention | undefined {
  if (!container || !name) return undefined;
  return FINGERPRINTS.find((f) => f.test(container, name))?.contention;
}
