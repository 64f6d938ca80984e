// Types of proxy.mjs, for the tests (__tests__/bench/proxy.test.ts) that import it.
export interface ProxyCounts {
  statements: number;
  roundTrips: number;
  startupRoundTrips: number;
  connections: number;
  refused: number;
  cancels: number;
  unparsed: number;
  bytesUp: number;
  bytesDown: number;
  heldMs: number;
  heldChunks: number;
}

export class FrontendParser {
  constructor(onMessage: (type: string, body: Buffer) => void);
  readonly broken: boolean;
  push(chunk: Buffer): void;
}

export interface ProxyOptions {
  host: string;
  port: number;
  delayMs?: number;
  maxConnections?: number;
  lifetimeMs?: number;
}

export class CountingProxy {
  constructor(options: ProxyOptions);
  readonly counts: ProxyCounts;
  readonly firstQueryAt: number | undefined;
  readonly closed: boolean;
  listen(port?: number): Promise<number>;
  reset(): void;
  summary(): ProxyCounts;
  topTexts(limit?: number): [string, number][];
  cutNow(): void;
  close(): Promise<void>;
}
