/**
 * Scale and figures of the reliability suite. Each target records one line (a real measurement,
 * not a constant) and whether it met its target; reliability/run.mjs prints them and exits
 * non-zero when one is missing or failed.
 */
import { appendFileSync } from 'node:fs';

export type Scale = 'ci' | 'full';

export const SCALE: Scale = process.env.RELIABILITY_SCALE === 'full' ? 'full' : 'ci';

/** The CI-sized or the full-sized count. */
export function sized(ci: number, full: number): number {
  return SCALE === 'full' ? full : ci;
}

export interface Figure {
  /** `R1`, `R1 action`, …: the target the line reports on. */
  readonly id: string;
  readonly text: string;
  readonly ok: boolean;
}

export function recordFigure(figure: Figure): void {
  const file = process.env.RELIABILITY_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify(figure)}\n`);
  // Also in jest's own output, for a run without run.mjs.
  process.stderr.write(`${figure.ok ? 'PASS' : 'FAIL'} ${figure.text}\n`);
}

/** Uniform integer in [min, max]. */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Stops a loop at its count or its time budget, whichever comes first. */
export function deadline(budgetMs: number): () => boolean {
  const end = Date.now() + budgetMs;
  return () => Date.now() >= end;
}
