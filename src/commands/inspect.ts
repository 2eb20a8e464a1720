/** `cnm inspect <blob>`: the current state a diagnosis starts from. Read-only. */
import { accessOf, type Context } from './context.js';
import { buildInspectReport, type InspectReport } from '../core/inspect-report.js';
import { blobClientOf, openTarget, parseRefOrThrow } from '../azure/open-target.js';
import { readBlobState, readContainerState } from '../azure/read-blob-state.js';

export interface InspectOptions {
  container?: boolean;
}

export async function inspect(reference: string, options: InspectOptions, ctx: Context): Promise<InspectReport> {
  const target = options.container ?? false;
  const ref = parseRefOrThrow(reference, target);
  const t = await openTarget(ref, accessOf(ctx));
  const reading = target
    ? await readContainerState(t.service.getContainerClient(ref.container), t.what)
    : await readBlobState(blobClientOf(t.service, ref), t.what);
  if (ref.snapshot && reading.state.exists) reading.state.snapshot = ref.snapshot;
  if (!target && reading.state.exists && !reading.state.versionId && !ref.snapshot) {
    reading.notes.push(
      'no version id: versioning is off for this account (or the emulator does not emulate it, docs/azurite-differences.md AZ-16)',
    );
  }
  return buildInspectReport(
    reading,
    { url: t.url, container: ref.container, name: ref.name },
    target ? 'container' : 'blob',
    t.plan.from,
  );
}
