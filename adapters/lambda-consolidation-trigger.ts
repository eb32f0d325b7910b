import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { lambdaClient } from "./aws-clients.ts";
import type { ConsolidationTrigger, OrderOutcome } from "./ports.ts";

/** What consolidate-portfolio is invoked with: the outcomes of one batch, any users. */
export interface ConsolidationPayload {
  readonly outcomes: readonly OrderOutcome[];
}

/** Starts consolidate-portfolio without waiting for it (InvocationType Event). */
export class LambdaConsolidationTrigger implements ConsolidationTrigger {
  constructor(
    private readonly functionName: string,
    private readonly client: LambdaClient = lambdaClient,
  ) {}

  async trigger(outcomes: readonly OrderOutcome[]): Promise<void> {
    const payload: ConsolidationPayload = { outcomes };
    const result = await this.client.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: "Event", Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
    );
    if (result.StatusCode !== 202) throw new Error(`async invoke of ${this.functionName} answered ${String(result.StatusCode)}`);
  }
}
