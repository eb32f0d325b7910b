import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { lambdaClient } from "./aws-clients.ts";
import type { AccountSnapshot, ConsolidationTrigger, OrderOutcome } from "./ports.ts";

/** What consolidate-portfolio is invoked with: the outcomes of one batch, any users, and the accounts the batch knows. */
export interface ConsolidationPayload {
  readonly outcomes: readonly OrderOutcome[];
  readonly accounts?: Readonly<Record<string, AccountSnapshot>>;
}

/** Starts consolidate-portfolio without waiting for it (InvocationType Event). */
export class LambdaConsolidationTrigger implements ConsolidationTrigger {
  constructor(
    private readonly functionName: string,
    private readonly client: LambdaClient = lambdaClient,
  ) {}

  async trigger(outcomes: readonly OrderOutcome[], accounts?: Readonly<Record<string, AccountSnapshot>>): Promise<void> {
    const payload: ConsolidationPayload = accounts === undefined ? { outcomes } : { outcomes, accounts };
    const result = await this.client.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: "Event", Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
    );
    if (result.StatusCode !== 202) throw new Error(`async invoke of ${this.functionName} answered ${String(result.StatusCode)}`);
  }
}
