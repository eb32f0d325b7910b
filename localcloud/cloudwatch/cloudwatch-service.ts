/** CloudWatch's API on the local cloud's endpoint, in both protocols its clients speak. */
import { queryParameters, xmlError, xmlResult } from "../query-protocol.ts";
import type { HttpRequest, HttpResponse, Service } from "../types.ts";
import * as alarms from "./alarm-operations.ts";
import { cborError, cborOperation, cborResult, decodeCborInput, isCborRequest } from "./cbor-wire.ts";
import type { CloudWatch } from "./cloudwatch.ts";
import { CloudWatchError } from "./errors.ts";
import * as metrics from "./metric-operations.ts";
import { CLOUDWATCH_NAMESPACE, decodeQueryInput, encodeQueryOutput } from "./query-wire.ts";
import type { Input } from "./wire-values.ts";

type Operation = (cloudwatch: CloudWatch, input: Input) => Input;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  PutMetricData: (cw, input) => metrics.putMetricData(cw.metrics, input),
  GetMetricStatistics: (cw, input) => metrics.getMetricStatistics(cw.metrics, input),
  GetMetricData: (cw, input) => metrics.getMetricData(cw.metrics, input),
  ListMetrics: (cw, input) => metrics.listMetrics(cw.metrics, input),
  PutMetricAlarm: alarms.putMetricAlarm,
  DeleteAlarms: alarms.deleteAlarms,
  DescribeAlarms: alarms.describeAlarms,
  DescribeAlarmHistory: alarms.describeAlarmHistory,
  SetAlarmState: alarms.setAlarmState,
  PutDashboard: alarms.putDashboard,
  GetDashboard: alarms.getDashboard,
  ListDashboards: alarms.listDashboards,
  DeleteDashboards: alarms.deleteDashboards,
};

/** The query-protocol actions, for the router to tell unsigned CloudWatch requests by. */
export const CLOUDWATCH_ACTIONS: ReadonlySet<string> = new Set(Object.keys(OPERATIONS));

/** Operations whose query answer has no Result element. */
const NO_RESULT = new Set(["PutMetricData", "PutMetricAlarm", "DeleteAlarms", "SetAlarmState", "DeleteDashboards"]);

export class CloudWatchService implements Service {
  constructor(private readonly cloudwatch: CloudWatch) {}

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const cbor = isCborRequest(request);
    let action = "";
    try {
      action = cbor ? cborOperation(request) : (queryParameters(request).get("Action") ?? "");
      const operation = OPERATIONS[action];
      if (operation === undefined) throw new CloudWatchError("InvalidAction", `CloudWatch action ${action || "(none)"} is not emulated by the local cloud`, "InvalidAction");
      const input = cbor ? decodeCborInput(request.body) : decodeQueryInput(queryParameters(request));
      const output = operation(this.cloudwatch, input);
      if (cbor) return cborResult(output);
      if (NO_RESULT.has(action)) return xmlResult(action, CLOUDWATCH_NAMESPACE, "");
      return xmlResult(action, CLOUDWATCH_NAMESPACE, encodeQueryOutput(output));
    } catch (error) {
      if (!(error instanceof CloudWatchError)) throw error;
      return cbor ? cborError(error) : xmlError(error.statusCode, error.code, error.message, CLOUDWATCH_NAMESPACE);
    }
  }

  async stop(): Promise<void> {
    this.cloudwatch.stop();
  }
}
