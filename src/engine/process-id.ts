/**
 * Lock holder ids (the `process_id` column, VARCHAR(36)). Python Jetbase writes a random UUID v4;
 * we write a UUID v8 (RFC 9562 "custom") that says who holds the lock, so a waiting runner can
 * tell a holder that is gone from one that is working:
 *
 *   PPPPPPPP-MMMM-8MMM-vRRR-4a42RRRRRRRR
 *   P: the holder's OS process id (32 bits)   M: this machine's id (28 bits, see machineId)
 *   v: the RFC 9562 variant (8..b)            4a42: "JB", marks ids written by jetbase-action
 *   R: random (44 bits)
 *
 * An id of any other form (Python Jetbase, older versions of this tool) is never taken over.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

const OURS = /^([0-9a-f]{8})-([0-9a-f]{4})-8([0-9a-f]{3})-[89ab][0-9a-f]{3}-4a42[0-9a-f]{8}$/;

function readOrEmpty(read: () => string): string {
  try {
    return read().trim();
  } catch {
    return '';
  }
}

let cachedMachineId: string | undefined;

/**
 * 7 hex digits naming this machine and PID namespace: the host name, the boot id (a reboot
 * reuses process ids) and the PID namespace (containers on one host share a boot id but not
 * their process ids). Only Linux has the last two; elsewhere the host name alone.
 */
export function machineId(): string {
  cachedMachineId ??= createHash('sha256')
    .update(
      [
        hostname(),
        readOrEmpty(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
        readOrEmpty(() => readlinkSync('/proc/self/ns/pid')),
      ].join('\n'),
    )
    .digest('hex')
    .slice(0, 7);
  return cachedMachineId;
}

export function newProcessId(pid: number = process.pid): string {
  const random = randomBytes(6).toString('hex');
  const variant = (8 + (randomBytes(1)[0]! & 3)).toString(16);
  const machine = machineId();
  const pidHex = (pid >>> 0).toString(16).padStart(8, '0');
  return `${pidHex}-${machine.slice(0, 4)}-8${machine.slice(4)}-${variant}${random.slice(0, 3)}-4a42${random.slice(3, 11)}`;
}

export interface HolderIdentity {
  readonly pid: number;
  readonly machine: string;
}

/** The pid and machine of a holder id we wrote; undefined for any other id (never taken over). */
export function parseProcessId(processId: string | null): HolderIdentity | undefined {
  const match = processId === null ? null : OURS.exec(processId);
  if (!match) return undefined;
  return { pid: Number.parseInt(match[1]!, 16), machine: `${match[2]}${match[3]}` };
}

export type HolderState = 'alive' | 'gone' | 'unknown';

/**
 * Whether the OS process behind a holder id still exists, when it ran on this machine: signal 0
 * checks existence without sending anything. A zombie (killed, not yet reaped) counts as gone.
 * Another machine, or an id we did not write, is 'unknown'. A reused pid reads as 'alive': the
 * safe mistake (the runner waits).
 */
export function localProcessState(processId: string | null): HolderState {
  const holder = parseProcessId(processId);
  if (holder === undefined || holder.machine !== machineId()) return 'unknown';
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : 'alive';
  }
  const stat = readOrEmpty(() => readFileSync(`/proc/${holder.pid}/stat`, 'utf8'));
  // `pid (comm) S …`: the state letter follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' ? 'gone' : 'alive';
}
