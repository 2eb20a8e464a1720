/**
 * A conditional header the operation does not take (the REST reference's per-operation pages: e.g. Put Block takes
 * none, Set Container Metadata only If-Modified-Since). Reported, never judged: whether Azure ignores or rejects it
 * is unconfirmed.
 */
import type { Clause, ConditionRule, Scope } from './rule.js';
import { APPEND_POSITION_HEADER, MAX_SIZE_HEADER, SEQUENCE_HEADERS, headerFor } from './support.js';

function unsupportedHeaderRule(
  header: string,
  accepted: (ctx: Parameters<ConditionRule['check']>[0]) => boolean,
): ConditionRule {
  return {
    id: `unsupported:${header}`,
    doc: 'learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations (operations table)',
    check(ctx) {
      const supplied = ctx.headers[header];
      if (supplied === undefined || accepted(ctx)) return undefined;
      return {
        family: 'unsupported',
        header,
        supplied,
        current: null,
        holds: null,
        explanation: `${ctx.operation.name} does not take ${header}: not evaluated (Azure ignores or rejects it; which is unconfirmed)`,
      };
    },
  };
}

const SCOPES: Scope[] = ['main', 'blob', 'source'];
const CLAUSES: Clause[] = ['ifMatch', 'ifNoneMatch', 'ifModifiedSince', 'ifUnmodifiedSince', 'tagConditions'];

/** One rule per known conditional header. */
export function unsupportedHeaderRules(): ConditionRule[] {
  const seen = new Map<string, ConditionRule>();
  for (const scope of SCOPES) {
    for (const clause of CLAUSES) {
      const header = headerFor(scope, clause);
      if (seen.has(header)) continue;
      // x-ms-if-tags is the tags clause of both main and blob scopes; main is where it is accepted.
      seen.set(
        header,
        unsupportedHeaderRule(header, (ctx) =>
          ctx.support.scopes[scope === 'blob' && clause === 'tagConditions' ? 'main' : scope].has(clause),
        ),
      );
    }
  }
  seen.set(
    APPEND_POSITION_HEADER,
    unsupportedHeaderRule(APPEND_POSITION_HEADER, (ctx) => ctx.support.appendPosition),
  );
  seen.set(
    MAX_SIZE_HEADER,
    unsupportedHeaderRule(MAX_SIZE_HEADER, (ctx) => ctx.support.maxSize),
  );
  for (const header of SEQUENCE_HEADERS)
    seen.set(
      header,
      unsupportedHeaderRule(header, (ctx) => ctx.support.sequence),
    );
  return [...seen.values()];
}
