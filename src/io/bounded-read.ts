/**
 * Bounded reads of an input file: its first bytes (what format detection looks at) and, for formats that must
 * be read whole, the whole text up to a size limit. Bytes only: which format it is, parse/formats.ts decides.
 */
import { open, readFile, stat } from 'node:fs/promises';
import type { FileIssue } from '../core/issue.js';

const HEAD_BYTES = 64 * 1024;

/** A read error as one phrase: "no such file", "permission denied", … */
export function describeReadError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file';
  if (e.code === 'EISDIR') return 'is a directory, not a file';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  return `cannot read (${e.code ?? e.message})`;
}

/**
 * cnm reads UTF-8 (with or without a BOM). A file saved as UTF-16 (Windows tools, PowerShell's `>`) starts with
 * its byte-order mark, or, without one, has a NUL byte beside every ASCII character: say so rather than
 * "unrecognised content".
 */
function notUtf8(head: Buffer): string | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return head[2] === 0 && head[3] === 0 ? 'UTF-32LE' : 'UTF-16LE';
  if (head[0] === 0xfe && head[1] === 0xff) return 'UTF-16BE';
  if (head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return 'UTF-32BE';
  // Without a BOM: ASCII text in UTF-16 has a NUL in every other byte, and only there (a run of NULs is not text).
  const pairs = Math.min(head.length, 512) >> 1;
  if (pairs < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.4 && evenNul < pairs * 0.1) return 'UTF-16LE';
  if (evenNul >= pairs * 0.4 && oddNul < pairs * 0.1) return 'UTF-16BE';
  return undefined;
}

function encodingIssue(file: string, head: Buffer): FileIssue | undefined {
  const encoding = notUtf8(head);
  if (!encoding) return undefined;
  return {
    file,
    message: `is ${encoding} text; cnm reads UTF-8: convert it (iconv -f ${encoding} -t UTF-8 "${file}" > out) and pass that`,
  };
}

/** The first bytes of `file` as text, or an issue when it is unreadable, empty or not UTF-8. */
export async function readHead(file: string): Promise<{ ok: true; head: string } | { ok: false; issue: FileIssue }> {
  try {
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
      const wrong = encodingIssue(file, buf.subarray(0, bytesRead));
      if (wrong) return { ok: false, issue: wrong };
      const head = buf.toString('utf8', 0, bytesRead);
      if (head.replace(/^\uFEFF/, '').trim() === '') return { ok: false, issue: { file, message: 'file is empty' } };
      return { ok: true, head };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { ok: false, issue: { file, message: describeReadError(err) } };
  }
}

/**
 * Whole JSON documents (HAR, capture JSON, resource-log arrays, jobs files) above this are refused, not risked in
 * memory: parsed whole, a JSON document takes about five times its size (a 48 MB HAR peaked at 240 MB), and cnm
 * keeps every input under 256 MB. Line formats have no such limit: they are streamed.
 */
function maxDocumentBytes(): number {
  const mb = Number(process.env.CNM_MAX_DOCUMENT_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 40) * 2 ** 20;
}

/** The text of a document read whole, or an issue when it is larger than `maxDocumentBytes()`. `what`: "a HAR file". */
export async function readDocumentText(
  file: string,
  what: string,
): Promise<{ ok: true; text: string } | { ok: false; issue: FileIssue }> {
  const { size } = await stat(file);
  const max = maxDocumentBytes();
  if (size > max) {
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    return {
      ok: false,
      issue: {
        file,
        message:
          `${what} of ${mb(size)} is too large to read whole (limit ${mb(max)}, CNM_MAX_DOCUMENT_MB): ` +
          `split it, or convert it to one record a line`,
      },
    };
  }
  const bytes = await readFile(file);
  const wrong = encodingIssue(file, bytes.subarray(0, 4096));
  return wrong ? { ok: false, issue: wrong } : { ok: true, text: bytes.toString('utf8') };
}
