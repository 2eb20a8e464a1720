/**
 * Finds line numbers inside JSON text. JSON.parse gives neither the line of a syntax error (V8 reports no
 * position for most messages) nor where a value sits, and issues must say `file:line path: message`.
 * This is a skip-only scanner: it builds no values, so it is cheap even on a large HAR.
 */

class ScanError extends Error {
  constructor(readonly pos: number) {
    super('json');
  }
}

type Key = string | number;

class Scanner {
  pos = 0;
  /** false: only validate (syntax-error search), never stop at a path. */
  stopAtTarget = true;
  constructor(readonly text: string) {}

  ws(): void {
    while (this.pos < this.text.length && ' \t\r\n\uFEFF'.includes(this.text[this.pos]!)) this.pos++;
  }

  expect(ch: string): void {
    this.ws();
    if (this.text[this.pos] !== ch) throw new ScanError(this.pos);
    this.pos++;
  }

  string(): string {
    this.expect('"');
    const start = this.pos;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') throw new ScanError(this.pos);
      if (c === '\\') this.pos += 2;
      else if (c === '"') break;
      else this.pos++;
    }
    const raw = this.text.slice(start, this.pos++);
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  scalar(): void {
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) throw new ScanError(this.pos);
    this.pos += m[0].length;
  }

  /** Skips one value; stops early (returning the value's start) when `path` leads into it. */
  value(path: readonly Key[]): number | undefined {
    this.ws();
    const start = this.pos;
    if (path.length === 0 && this.stopAtTarget) return start;
    const c = this.text[this.pos];
    if (c === '{') return this.members(path, start);
    if (c === '[') return this.elements(path, start);
    if (c === '"') this.string();
    else this.scalar();
    return path !== NOWHERE && this.stopAtTarget ? start : undefined;
  }

  members(path: readonly Key[], start: number): number | undefined {
    this.pos++;
    this.ws();
    if (this.text[this.pos] === '}') return this.close(path, start);
    for (;;) {
      const key = this.string();
      this.expect(':');
      const found = this.value(path[0] === key ? path.slice(1) : NOWHERE);
      if (found !== undefined) return found;
      this.ws();
      if (this.text[this.pos] !== ',') return this.close(path, start, '}');
      this.pos++;
      this.ws();
    }
  }

  elements(path: readonly Key[], start: number): number | undefined {
    this.pos++;
    this.ws();
    if (this.text[this.pos] === ']') return this.close(path, start);
    for (let i = 0; ; i++) {
      const found = this.value(path[0] === i ? path.slice(1) : NOWHERE);
      if (found !== undefined) return found;
      this.ws();
      if (this.text[this.pos] !== ',') return this.close(path, start, ']');
      this.pos++;
    }
  }

  /** A container was left without finding the path: the container itself is the nearest place. */
  close(path: readonly Key[], start: number, ch?: string): number | undefined {
    if (ch) this.expect(ch);
    else this.pos++;
    return path !== NOWHERE && this.stopAtTarget ? start : undefined;
  }
}

/** Marks "not on the path"; compared by identity, so no real key can collide with it. */
const NOWHERE: readonly Key[] = Object.freeze(['\u0000nowhere']);

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** 1-based line where the value at `path` starts; the nearest existing ancestor's line when it is missing. */
export function lineOfJsonPath(text: string, path: readonly Key[]): number | undefined {
  const scanner = new Scanner(text);
  try {
    const pos = scanner.value(path);
    return pos === undefined ? undefined : lineAt(text, pos);
  } catch {
    return undefined;
  }
}

/** 1-based line of the first syntax error in `text`, or undefined when it scans as one JSON value. */
export function jsonSyntaxErrorLine(text: string): number | undefined {
  const scanner = new Scanner(text);
  scanner.stopAtTarget = false;
  try {
    scanner.value(NOWHERE);
    scanner.ws();
    return scanner.pos < text.length ? lineAt(text, scanner.pos) : undefined;
  } catch (err) {
    return err instanceof ScanError ? lineAt(text, Math.min(err.pos, text.length)) : undefined;
  }
}

/** 1-based start line of every element of the array at `path`, in one pass (a HAR can hold thousands). */
export function elementLines(text: string, path: readonly Key[]): number[] {
  const scanner = new Scanner(text);
  const starts: number[] = [];
  try {
    const at = scanner.value(path);
    if (at === undefined || text[at] !== '[') return [];
    scanner.pos = at + 1;
    scanner.ws();
    while (text[scanner.pos] !== ']') {
      scanner.ws();
      starts.push(scanner.pos);
      scanner.value(NOWHERE);
      scanner.ws();
      if (text[scanner.pos] === ',') scanner.pos++;
      else if (text[scanner.pos] !== ']') break;
    }
  } catch {
    // Keep the lines found so far; the caller treats a missing line as unknown.
  }
  let line = 1;
  let from = 0;
  return starts.map((pos) => {
    for (let i = text.indexOf('\n', from); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
      line++;
      from = i + 1;
    }
    return line;
  });
}
