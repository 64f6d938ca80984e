/**
 * The CLI's two channels: results to stdout, progress and errors to stderr, as Python Jetbase
 * does. Every byte passes through the redactor; colours only on a terminal, never with NO_COLOR or
 * --no-color.
 */
import { redactor } from '../report/redact.js';

export interface TextSink {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface Styler {
  readonly ok: (text: string) => string;
  readonly fail: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

function ansi(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const COLOURED: Styler = {
  ok: ansi(32, 39),
  fail: ansi(31, 39),
  warn: ansi(33, 39),
  bold: ansi(1, 22),
  dim: ansi(2, 22),
};
const identity = (text: string) => text;
const PLAIN: Styler = { ok: identity, fail: identity, warn: identity, bold: identity, dim: identity };

export function wantsColour(sink: TextSink, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  return sink.isTTY === true && !noColorFlag && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export class Output {
  /** Styles for what goes to stdout / stderr (each stream decides for itself). */
  readonly outStyle: Styler;
  readonly errStyle: Styler;

  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    colour: { stdout: boolean; stderr: boolean },
  ) {
    this.outStyle = colour.stdout ? COLOURED : PLAIN;
    this.errStyle = colour.stderr ? COLOURED : PLAIN;
  }

  /** Exactly `text` to stdout (redacted). */
  raw(text: string): void {
    const clear = this.clearTransient();
    if (clear !== '') this.stderr.write(clear);
    this.stdout.write(redactor.redact(text));
  }

  /** A result line (or lines) to stdout. */
  print(text: string): void {
    this.raw(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Set while a transient line stands on a terminal's stderr without its newline. */
  private transientShown = false;

  /** A progress / diagnostic line (or lines) to stderr. */
  log(text: string): void {
    const line = text.endsWith('\n') ? text : `${text}\n`;
    this.stderr.write(`${this.clearTransient()}${redactor.redact(line)}`);
  }

  /**
   * A line the next one replaces (a retry countdown): on a terminal it is rewritten in place;
   * elsewhere (CI logs, pipes) every one is kept, one per line.
   */
  transient(text: string): void {
    if (this.stderr.isTTY !== true) {
      this.log(text);
      return;
    }
    this.stderr.write(`${this.clearTransient()}${redactor.redact(text)}`);
    this.transientShown = true;
  }

  private clearTransient(): string {
    if (!this.transientShown) return '';
    this.transientShown = false;
    return '\r\u001b[2K';
  }
}
