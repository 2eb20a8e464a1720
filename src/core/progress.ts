/** Progress for long scans: one self-overwriting stderr line, only on a TTY and never with --quiet. */
export interface Progress {
  bytes(n: number): void;
  label(text: string): void;
  done(): void;
}

export const SILENT_PROGRESS: Progress = { bytes: () => {}, label: () => {}, done: () => {} };

function mb(n: number): string {
  return `${(n / 1_048_576).toFixed(0)} MB`;
}

export function createProgress(enabled: boolean, write: (text: string) => void, total = 0): Progress {
  if (!enabled) return SILENT_PROGRESS;
  let seen = 0;
  let text = '';
  let last = 0;
  let shown = false;
  const draw = () => {
    const now = Date.now();
    if (now - last < 150) return;
    last = now;
    shown = true;
    // Without bytes to count (a load run, a count of writes), the label is the whole line.
    const bytes = seen || total ? `searching ${mb(seen)}${total ? ` of ${mb(total)}` : ''} ` : '';
    write(`\r\x1b[2Kcnm: ${bytes}${text}`.slice(0, 120));
  };
  return {
    bytes(n) {
      seen += n;
      draw();
    },
    label(t) {
      text = t;
      draw();
    },
    done() {
      if (shown) write('\r\x1b[2K');
    },
  };
}
