/** What every command receives: validated global options, the environment and the stderr side channel. */
import { z } from 'zod';
import { CnmError } from './errors.js';

export const formats = ['table', 'json', 'markdown', 'junit'] as const;
export type Format = (typeof formats)[number];

const globalSchema = z.object({
  format: z.enum(formats).optional(),
  json: z.boolean().optional(),
  color: z.boolean().optional(),
  timeout: z.coerce.number().int().positive().max(600_000).default(30_000),
  debug: z.boolean().default(false),
  quiet: z.boolean().default(false),
  connectionString: z.string().min(1).optional(),
  sas: z.string().min(1).optional(),
  accountKey: z.string().min(1).optional(),
  accountName: z.string().min(1).optional(),
  accountUrl: z.string().url().optional(),
});

export type GlobalOptions = Omit<z.infer<typeof globalSchema>, 'format' | 'json'> & { format: Format };

export interface Context {
  options: GlobalOptions;
  env: Record<string, string | undefined>;
  /** Diagnostics and progress; never the report. */
  stderr: (line: string) => void;
  stderrIsTTY: boolean;
  /** Secrets seen so far (keys, SAS sigs), scrubbed from every line that leaves the process. */
  secrets: string[];
}

export function parseGlobalOptions(raw: Record<string, unknown>): GlobalOptions {
  const parsed = globalSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = `--${String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new CnmError('usage', `${flag}: ${issue.message}`, { hint: 'see cnm --help' });
  }
  const { format, json, ...rest } = parsed.data;
  if (json && format && format !== 'json') {
    throw new CnmError('usage', `--json conflicts with --format ${format}`, { hint: 'pass one of them' });
  }
  return { ...rest, format: json ? 'json' : (format ?? 'table') };
}
