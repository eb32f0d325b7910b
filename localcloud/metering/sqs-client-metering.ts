import type { SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_CALLER, type UsageMeter } from "./usage-meter.ts";

type JsonObject = Record<string, unknown>;

const asObject = (value: unknown): JsonObject => (typeof value === "object" && value !== null ? (value as JsonObject) : {});

/** Meters every call an in-process SDK client makes (the event-source pollers' receives and deletes). */
export function meterClient(client: SQSClient, meter: UsageMeter): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const action = String(context.commandName ?? "").replace(/Command$/, "");
      const input = asObject(args.input);
      try {
        const result = await next(args);
        meter.sqsCall(LOCAL_CALLER, action, input, asObject(result.output));
        return result;
      } catch (error) {
        meter.sqsFailedCall(LOCAL_CALLER, action, input);
        throw error;
      }
    },
    { step: "initialize", name: "localCloudUsageMeter" },
  );
}
