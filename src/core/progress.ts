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
    write(`\r\x1b[2Kcnm: searching ${mb(seen)}${total ? ` of ${mb(total)}` : ''} ${text}`.slice(0, 120));
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
