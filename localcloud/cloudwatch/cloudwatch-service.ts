/** CloudWatch's API on the local cloud's endpoint, in each protocol its clients speak (query, JSON 1.0, RPC v2 CBOR). */
import { queryParameters, xmlError, xmlResult } from "../query-protocol.ts";
import type { HttpRequest, HttpResponse, Service } from "../types.ts";
import * as alarms from "./alarm-operations.ts";
import { cborError, cborOperation, cborResult, decodeCborInput, isCborRequest } from "./cbor-wire.ts";
import type { CloudWatch } from "./cloudwatch.ts";
import { CloudWatchError } from "./errors.ts";
import { decodeJsonInput, isJsonRequest, jsonError, jsonOperation, jsonResult } from "./json-wire.ts";
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
    const protocol = isJsonRequest(request) ? "json" : isCborRequest(request) ? "cbor" : "query";
    let action = "";
    try {
      action = protocol === "json" ? jsonOperation(request) : protocol === "cbor" ? cborOperation(request) : (queryParameters(request).get("Action") ?? "");
      const operation = OPERATIONS[action];
      if (operation === undefined) throw new CloudWatchError("InvalidAction", `CloudWatch action ${action || "(none)"} is not emulated by the local cloud`, "InvalidAction");
      const input = protocol === "json" ? decodeJsonInput(request.body) : protocol === "cbor" ? decodeCborInput(request.body) : decodeQueryInput(queryParameters(request));
      const output = operation(this.cloudwatch, input);
      if (protocol === "json") return jsonResult(output);
      if (protocol === "cbor") return cborResult(output);
      return xmlResult(action, CLOUDWATCH_NAMESPACE, NO_RESULT.has(action) ? "" : encodeQueryOutput(output));
    } catch (error) {
      if (!(error instanceof CloudWatchError)) throw error;
      if (protocol === "json") return jsonError(error);
      if (protocol === "cbor") return cborError(error);
      return xmlError(error.statusCode, error.code, error.message, CLOUDWATCH_NAMESPACE);
    }
  }

  async stop(): Promise<void> {
    this.cloudwatch.stop();
  }
}
