import type { FileFaults, StatusFault } from './types.ts';

interface FaultState {
  faults: FileFaults;
  drops: number;
  stalls: number;
  storageStatus: number;
  drsStatus: number;
  downloadStatus: number;
  accessPending: number;
  flipPending: boolean;
}

type StatusKind = 'storageStatus' | 'drsStatus' | 'downloadStatus';

/** Per-accession fault knobs and what is left of their "N times" counters. */
export class FaultBook {
  readonly #states = new Map<string, FaultState>();

  set(accession: string, faults: FileFaults): void {
    this.#states.set(accession, {
      faults: { ...faults },
      drops: faults.dropAfterBytes === undefined ? 0 : (faults.dropTimes ?? 1),
      stalls: faults.stallAfterBytes === undefined ? 0 : (faults.stallTimes ?? 1),
      storageStatus: faults.storageStatus?.times ?? 0,
      drsStatus: faults.drsStatus?.times ?? 0,
      downloadStatus: faults.downloadStatus?.times ?? 0,
      accessPending: faults.accessPending?.times ?? 0,
      flipPending: faults.flipByteOnce !== undefined,
    });
  }

  clear(accession?: string): void {
    if (accession === undefined) this.#states.clear();
    else this.#states.delete(accession);
  }

  get(accession: string): FileFaults {
    return this.#states.get(accession)?.faults ?? {};
  }

  /** The status to answer instead of the real response, when one is still pending. */
  takeStatus(accession: string, kind: StatusKind): Omit<StatusFault, 'times'> | undefined {
    const state = this.#states.get(accession);
    const fault = state?.faults[kind];
    if (!state || !fault || state[kind] <= 0) return undefined;
    state[kind]--;
    const { times: _times, ...taken } = fault;
    return taken;
  }

  /** Retry-After seconds for a 202 from /access, when one is still pending. */
  takeAccessPending(accession: string): number | undefined {
    const state = this.#states.get(accession);
    const fault = state?.faults.accessPending;
    if (!state || !fault || state.accessPending <= 0) return undefined;
    state.accessPending--;
    return fault.retryAfter;
  }

  /** Body bytes after which this response is cut, if it is long enough to be cut. */
  takeDrop(accession: string, bodyLength: number): number | undefined {
    const state = this.#states.get(accession);
    const after = state?.faults.dropAfterBytes;
    if (!state || after === undefined || state.drops <= 0 || bodyLength <= after) return undefined;
    state.drops--;
    return after;
  }

  takeStall(accession: string, bodyLength: number): { after: number; ms: number | undefined } | undefined {
    const state = this.#states.get(accession);
    const after = state?.faults.stallAfterBytes;
    if (!state || after === undefined || state.stalls <= 0 || bodyLength <= after) return undefined;
    state.stalls--;
    return { after, ms: state.faults.stallMs };
  }

  /** The file offset to flip in a response covering [start, end), once. */
  takeFlip(accession: string, start: number, end: number): number | undefined {
    const state = this.#states.get(accession);
    const offset = state?.faults.flipByteOnce;
    if (!state || offset === undefined || !state.flipPending || offset < start || offset >= end)
      return undefined;
    state.flipPending = false;
    return offset;
  }
}
