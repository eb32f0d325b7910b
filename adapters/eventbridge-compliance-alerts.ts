import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { ComplianceAlertSink } from "../domain/compliance.ts";
import { tracer } from "../functions/shared/telemetry.ts";
import { LARGE_ORDER_DETAIL_TYPE, LARGE_ORDER_SOURCE, type LargeOrderDetail } from "../domain/large-order-event.ts";

/** PutEvents answers 200 even when it dropped the entry; the entry's error is reported here. */
export class ComplianceAlertNotAcceptedError extends Error {
  override readonly name = "ComplianceAlertNotAcceptedError";
}

const defaultClient = tracer.captureAWSv3Client(new EventBridgeClient({}));

/** Raises each alert as one `LargeOrderExecuted` event on the compliance bus. */
export class EventBridgeComplianceAlerts implements ComplianceAlertSink {
  constructor(
    private readonly busName: string,
    private readonly client: EventBridgeClient = defaultClient,
  ) {}

  async raise(alert: LargeOrderDetail): Promise<void> {
    const { FailedEntryCount = 0, Entries = [] } = await this.client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: this.busName, Source: LARGE_ORDER_SOURCE, DetailType: LARGE_ORDER_DETAIL_TYPE, Detail: JSON.stringify(alert) }],
      }),
    );
    if (FailedEntryCount > 0) {
      const entry = Entries[0];
      throw new ComplianceAlertNotAcceptedError(`the alert for order ${alert.orderId} was not accepted by bus ${this.busName}: ${entry?.ErrorCode ?? "unknown error"} ${entry?.ErrorMessage ?? ""}`.trim());
    }
  }
}
