import type { InvocationType, InvokeResult, LambdaInvoker, SqsEventSourceConfig } from "../../../../localcloud/types.ts";

export interface ReceivedRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly messageAttributes: Record<string, unknown>;
  readonly md5OfBody: string;
  readonly eventSource: string;
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

export type FakeHandler = (records: ReceivedRecord[]) => Promise<InvokeResult> | InvokeResult;

export interface Invocation {
  readonly functionName: string;
  readonly invocationType: InvocationType | undefined;
  readonly records: ReceivedRecord[];
}

/** A LambdaInvoker whose "function" is a test's callback; it records every invocation. */
export class FakeLambda implements LambdaInvoker {
  readonly invocations: Invocation[] = [];
  private waiters: Array<() => void> = [];

  constructor(public handler: FakeHandler) {}

  async invoke(functionName: string, payload: string, options?: { invocationType?: InvocationType }): Promise<InvokeResult> {
    const event = JSON.parse(payload) as { Records: ReceivedRecord[] };
    this.invocations.push({ functionName, invocationType: options?.invocationType, records: event.Records });
    try {
      return await this.handler(event.Records);
    } finally {
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves once `predicate` holds after some invocation has finished. */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Every record handed to the function so far. */
  records(): ReceivedRecord[] {
    return this.invocations.flatMap((invocation) => invocation.records);
  }
}

export const ok = (payload: unknown = null): InvokeResult => ({ statusCode: 200, payload: JSON.stringify(payload) });
export const unhandled = (message = "boom"): InvokeResult => ({
  statusCode: 200,
  payload: JSON.stringify({ errorType: "Error", errorMessage: message }),
  functionError: "Unhandled",
});

export function mapping(queueArn: string, overrides: Partial<SqsEventSourceConfig> = {}): SqsEventSourceConfig {
  return {
    uuid: `mapping-${Math.random().toString(16).slice(2)}`,
    functionName: "consumer",
    queueArn,
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    enabled: true,
    ...overrides,
  };
}

/** Retries an assertion until it passes (for effects that follow an invocation, like deletes). */
export async function eventually(check: () => Promise<void>, attempts = 200): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await check();
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
