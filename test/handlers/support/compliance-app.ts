/**
 * A stack of the ComplianceAlerts construct alone, synthesized in this process with its
 * function bundled, so a test deploys exactly what the Brokerage stack holds without
 * bundling the other functions.
 */
import { App, CfnOutput, Stack } from "aws-cdk-lib";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ComplianceAlerts, type ComplianceAlertsProps } from "../../../lib/messaging/compliance-alerts.ts";

/** Synthesizes the stack "ComplianceFixture" into a fresh folder and returns the folder. */
export function synthesizeComplianceApp(props: ComplianceAlertsProps = {}): string {
  const outdir = mkdtempSync(join(tmpdir(), "compliance-assembly-"));
  const app = new App({ outdir });
  const stack = new Stack(app, "ComplianceFixture");
  const alerts = new ComplianceAlerts(stack, "Compliance", props);
  const outputs = {
    BusName: alerts.bus.eventBusName,
    QueueUrl: alerts.queue.queue.queueUrl,
    DeliveryDeadLetterQueueUrl: alerts.deliveryDeadLetterQueue.queueUrl,
    UsdThreshold: alerts.environment["COMPLIANCE_THRESHOLD_USD"] ?? "",
  };
  for (const [name, value] of Object.entries(outputs)) new CfnOutput(stack, name, { value });
  app.synth();
  return outdir;
}
