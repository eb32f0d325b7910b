/** The small part of newman's library API (newman 6) that the end-to-end tests use; newman ships no types. */
declare module "newman" {
  import type { EventEmitter } from "node:events";

  export interface NewmanVariable {
    key: string;
    value: string;
  }

  export interface NewmanRunOptions {
    /** A collection as parsed JSON, or a path or URL to one. */
    collection: string | object;
    /** Environment variables; they take precedence over the collection's own variables. */
    envVar?: NewmanVariable[];
    globalVar?: NewmanVariable[];
    /** Reporter names; an empty list reports nothing. */
    reporters?: string | string[];
    /** Time limits in milliseconds (0 = none). */
    timeout?: number;
    timeoutRequest?: number;
    timeoutScript?: number;
    bail?: boolean;
  }

  export interface NewmanCounter {
    total: number;
    pending: number;
    failed: number;
  }

  export interface NewmanAssertionResult {
    assertion: string;
    skipped?: boolean;
    error?: { name: string; message: string };
  }

  export interface NewmanExecution {
    item: { name: string };
    response?: { code: number };
    assertions?: NewmanAssertionResult[];
    requestError?: Error;
  }

  export interface NewmanFailure {
    error: { name?: string; message: string; test?: string };
    /** Where it happened, e.g. "assertion:1 in test-script". */
    at: string;
    source?: { name: string };
  }

  export interface NewmanRunSummary {
    run: {
      stats: Record<"iterations" | "items" | "scripts" | "prerequests" | "requests" | "tests" | "assertions" | "testScripts" | "prerequestScripts", NewmanCounter>;
      executions: NewmanExecution[];
      failures: NewmanFailure[];
      /** Set when the run could not complete; null or absent otherwise. */
      error?: Error | null;
    };
  }

  export function run(options: NewmanRunOptions, callback: (error: Error | null, summary: NewmanRunSummary) => void): EventEmitter;

  const newman: { run: typeof run };
  export default newman;
}
