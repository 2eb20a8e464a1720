/**
 * The `x-ms-if-tags` predicate (learn.microsoft.com/azure/storage/blobs/storage-manage-find-blobs, "Conditional
 * blob operations with blob index tags"): `"key" op 'value'` with
 * = <> > >= < <=, joined by AND / OR and parentheses. AND binds tighter than OR, as in SQL. Values compare
 * as strings (Azure's tag values are strings; `'10' < '9'`). Parse errors are data with a position.
 */

type TagOperator = '=' | '<>' | '>' | '>=' | '<' | '<=';

export type TagExpr =
  { type: 'cmp'; key: string; op: TagOperator; value: string } | { type: 'and' | 'or'; left: TagExpr; right: TagExpr };

interface TagIssue {
  message: string;
  /** 0-based offset into the header value. */
  position: number;
  /** Past what cnm evaluates (TAG_EXPRESSION_LIMITS), rather than bad syntax Azure would refuse. */
  limit?: true;
}

/**
 * `unquotedKeys`: keys written without double quotes (`tag1 = 'a'`). Azure's documentation always quotes keys and
 * Azure's answer to a bare key is unconfirmed; Azurite accepts them. cnm judges the condition and says so.
 */
export type TagParseResult = { ok: true; value: TagExpr; unquotedKeys?: string[] } | { ok: false; issue: TagIssue };

type Token =
  | { kind: 'key' | 'value' | 'op' | 'and' | 'or' | '(' | ')'; text: string; pos: number; bare?: true }
  | { kind: 'end'; text: ''; pos: number };

/** Thrown inside the recursive-descent parser only; parseIfTags turns it into a result. */
class TagSyntaxError extends Error {
  constructor(readonly issue: TagIssue) {
    super(issue.message);
  }
}

function fail(message: string, position: number): never {
  throw new TagSyntaxError({ message, position });
}

function readQuoted(src: string, start: number, quote: string, kind: 'key' | 'value'): Token {
  const end = src.indexOf(quote, start + 1);
  if (end < 0) fail(`unterminated ${kind === 'key' ? 'tag key (")' : "tag value (')"}`, start);
  return { kind, text: src.slice(start + 1, end), pos: start };
}

function nextToken(src: string, i: number): Token {
  const ch = src[i];
  if (ch === undefined) return { kind: 'end', text: '', pos: i };
  if (ch === '"') return readQuoted(src, i, '"', 'key');
  if (ch === "'") return readQuoted(src, i, "'", 'value');
  if (ch === '(' || ch === ')') return { kind: ch, text: ch, pos: i };
  const op = /^(<>|>=|<=|=|>|<)/.exec(src.slice(i));
  if (op) return { kind: 'op', text: op[1]!, pos: i };
  const word = /^[A-Za-z]+/.exec(src.slice(i));
  if (word && /^(and|or)$/i.test(word[0]))
    return { kind: word[0].toLowerCase() as 'and' | 'or', text: word[0], pos: i };
  // A bare key: the characters a tag key may hold (letters, digits, + - . / : _), not starting with an operator.
  const bare = /^[A-Za-z0-9_][A-Za-z0-9_+\-./:]*/.exec(src.slice(i));
  if (bare) return { kind: 'key', text: bare[0], pos: i, bare: true };
  return fail(`unexpected "${word ? word[0] : ch}" (keys are "double-quoted", values 'single-quoted')`, i);
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    const token = nextToken(src, i);
    tokens.push(token);
    if (token.kind === 'end') return tokens;
    const quoted = token.kind === 'value' || (token.kind === 'key' && !('bare' in token));
    i = token.pos + token.text.length + (quoted ? 2 : 0);
  }
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private take(kind: Token['kind'], what: string): Token {
    const token = this.peek();
    if (token.kind !== kind)
      fail(`expected ${what}${token.kind === 'end' ? ' before the end' : ` at "${token.text}"`}`, token.pos);
    this.at++;
    return token;
  }

  parse(): TagExpr {
    const expr = this.or();
    if (this.peek().kind !== 'end') fail(`expected AND, OR or the end at "${this.peek().text}"`, this.peek().pos);
    return expr;
  }

  private or(): TagExpr {
    let left = this.and();
    while (this.peek().kind === 'or') {
      this.at++;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): TagExpr {
    let left = this.primary();
    while (this.peek().kind === 'and') {
      this.at++;
      left = { type: 'and', left, right: this.primary() };
    }
    return left;
  }

  private primary(): TagExpr {
    if (this.peek().kind === '(') {
      this.at++;
      const inner = this.or();
      this.take(')', 'a closing ")"');
      return inner;
    }
    const key = this.take('key', 'a "key" in double quotes');
    if (key.text === '') fail('a tag key cannot be empty', key.pos);
    const op = this.take('op', 'an operator (= <> > >= < <=)');
    const value = this.take('value', "a 'value' in single quotes");
    return { type: 'cmp', key: key.text, op: op.text as TagOperator, value: value.text };
  }
}

/**
 * Bounds on what cnm evaluates. A blob carries at most 10 tags (https://learn.microsoft.com/azure/storage/blobs/
 * storage-manage-find-blobs, "Setting blob index tags"), so a meaningful condition has a few comparisons; Azure
 * documents no limit on the expression itself. Past these, the input is refused (exit 2) rather than parsed, so a
 * hostile capture cannot exhaust the stack.
 */
const TAG_EXPRESSION_LIMITS = { length: 16 * 1024, comparisons: 256, depth: 32 } as const;

function tooLarge(message: string, position: number): never {
  throw new TagSyntaxError({ message, position, limit: true });
}

function checkLimits(text: string, tokens: readonly Token[]): void {
  const { length, comparisons, depth } = TAG_EXPRESSION_LIMITS;
  if (text.length > length) tooLarge(`${text.length} characters, more than cnm evaluates (${length})`, length);
  let open = 0;
  let keys = 0;
  for (const t of tokens) {
    if (t.kind === '(' && ++open > depth) tooLarge(`parentheses nested deeper than ${depth}`, t.pos);
    if (t.kind === ')') open--;
    if (t.kind === 'key' && ++keys > comparisons)
      tooLarge(`more than ${comparisons} comparisons (a blob carries at most 10 tags)`, t.pos);
  }
}

export function parseIfTags(text: string): TagParseResult {
  try {
    if (text.trim() === '') fail('the expression is empty', 0);
    if (text.length > TAG_EXPRESSION_LIMITS.length) checkLimits(text, []);
    const tokens = tokenize(text);
    checkLimits(text, tokens);
    const value = new Parser(tokens).parse();
    const unquotedKeys = tokens.flatMap((t) => (t.kind === 'key' && 'bare' in t ? [t.text] : []));
    return { ok: true, value, ...(unquotedKeys.length > 0 ? { unquotedKeys } : {}) };
  } catch (error) {
    if (error instanceof TagSyntaxError) return { ok: false, issue: error.issue };
    throw error;
  }
}

/** Prints the canonical form; `parseIfTags(printIfTags(e))` gives back `e`. */
export function printIfTags(expr: TagExpr): string {
  if (expr.type === 'cmp') return `"${expr.key}" ${expr.op} '${expr.value}'`;
  const wrap = (e: TagExpr, when: boolean) => (when ? `(${printIfTags(e)})` : printIfTags(e));
  if (expr.type === 'and') {
    return `${wrap(expr.left, expr.left.type === 'or')} AND ${wrap(expr.right, expr.right.type !== 'cmp')}`;
  }
  return `${printIfTags(expr.left)} OR ${wrap(expr.right, expr.right.type === 'or')}`;
}

function compare(op: TagOperator, actual: string, wanted: string): boolean {
  switch (op) {
    case '=':
      return actual === wanted;
    case '<>':
      return actual !== wanted;
    case '>':
      return actual > wanted;
    case '>=':
      return actual >= wanted;
    case '<':
      return actual < wanted;
    case '<=':
      return actual <= wanted;
  }
}

/** A comparison on a tag the blob does not have is false (as Find Blobs by Tags treats it; unconfirmed for x-ms-if-tags). */
export function evaluateIfTags(expr: TagExpr, tags: Record<string, string>): boolean {
  if (expr.type !== 'cmp') {
    return expr.type === 'and'
      ? evaluateIfTags(expr.left, tags) && evaluateIfTags(expr.right, tags)
      : evaluateIfTags(expr.left, tags) || evaluateIfTags(expr.right, tags);
  }
  const actual = Object.hasOwn(tags, expr.key) ? tags[expr.key] : undefined;
  return actual !== undefined && compare(expr.op, actual, expr.value);
}

/** The comparisons that are false against `tags`, for an explanation. */
export function failingComparisons(expr: TagExpr, tags: Record<string, string>): string[] {
  if (expr.type !== 'cmp') return [...failingComparisons(expr.left, tags), ...failingComparisons(expr.right, tags)];
  if (evaluateIfTags(expr, tags)) return [];
  const actual = Object.hasOwn(tags, expr.key) ? `'${tags[expr.key]}'` : 'absent';
  return [`${printIfTags(expr)} (tag is ${actual})`];
}
