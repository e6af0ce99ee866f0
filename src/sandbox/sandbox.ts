/**
 * A running local destination: a small HTTP server on 127.0.0.1 that speaks enough of a real API for
 * the real client library to work against it. Tests, the demo and users rehearsing a sync use them.
 */
export interface RunningSandbox {
  /** `hubspot`, `salesforce`, `memory`, ... */
  name: string;
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:4010`. */
  url: string;
  close(): Promise<void>;
}

export interface SandboxListenOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}
