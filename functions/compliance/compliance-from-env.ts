import { EventBridgeComplianceAlerts } from "../../adapters/eventbridge-compliance-alerts.ts";
import { complianceThresholds, DEFAULT_BRL_THRESHOLD, DEFAULT_USD_THRESHOLD, type ComplianceAlertSink, type ComplianceThresholds } from "../../domain/compliance.ts";
import { ENV } from "../shared/env-names.ts";
import { envOr, requireEnv } from "../shared/env.ts";

export interface ComplianceScreening {
  readonly alerts: ComplianceAlertSink;
  readonly thresholds: ComplianceThresholds;
}

/**
 * The alerts sink and thresholds from the environment the ComplianceAlerts construct
 * gives a raiser. Call at module load: a missing bus or a bad threshold stops the
 * function at its cold start, not at the first large order.
 */
export function complianceScreeningFromEnv(): ComplianceScreening {
  return {
    alerts: new EventBridgeComplianceAlerts(requireEnv(ENV.COMPLIANCE_BUS_NAME)),
    thresholds: complianceThresholds({
      BRL: envOr(ENV.COMPLIANCE_THRESHOLD_BRL, DEFAULT_BRL_THRESHOLD),
      USD: envOr(ENV.COMPLIANCE_THRESHOLD_USD, DEFAULT_USD_THRESHOLD),
    }),
  };
}
