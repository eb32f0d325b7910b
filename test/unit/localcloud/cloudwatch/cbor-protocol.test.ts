/** The RPC v2 CBOR protocol newer CloudWatch clients speak, on the same operations. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cbor, dateToTag } from "@smithy/core/cbor";
import { CloudWatch } from "../../../../localcloud/cloudwatch/cloudwatch.ts";
import { CloudWatchService } from "../../../../localcloud/cloudwatch/cloudwatch-service.ts";

function call(service: CloudWatchService, operation: string, input: Record<string, unknown>) {
  return service.handle({
    method: "POST",
    url: `/service/GraniteServiceVersion20100801/operation/${operation}`,
    headers: { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor" },
    body: Buffer.from(cbor.serialize(input)),
  });
}

const decode = (body: unknown) => cbor.deserialize(new Uint8Array(body as Buffer)) as Record<string, unknown>;

describe("CloudWatch over RPC v2 CBOR", () => {
  const service = new CloudWatchService(new CloudWatch({ region: "us-east-1", accountId: "000000000000", log: () => {} }));

  it("takes tagged timestamps in and gives them back tagged", async () => {
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 5_000);
    const put = await call(service, "PutMetricData", { Namespace: "Shop", MetricData: [{ MetricName: "Orders", Value: 7, Timestamp: dateToTag(at) }] });
    assert.equal(put.statusCode, 200);

    const got = await call(service, "GetMetricStatistics", {
      Namespace: "Shop",
      MetricName: "Orders",
      StartTime: dateToTag(new Date(at.getTime() - 60_000)),
      EndTime: dateToTag(new Date(at.getTime() + 60_000)),
      Period: 60,
      Statistics: ["Sum"],
    });
    assert.equal(got.headers?.["smithy-protocol"], "rpc-v2-cbor");
    const points = decode(got.body).Datapoints as { Sum: number; Timestamp: { tag: number; value: number } }[];
    assert.equal(points.length, 1);
    assert.equal(points[0]?.Sum, 7);
    assert.deepEqual([points[0]?.Timestamp.tag, points[0]?.Timestamp.value], [1, Math.floor(at.getTime() / 60_000) * 60]);
  });

  it("names an error's shape in __type and its query code in a header", async () => {
    const response = await call(service, "GetDashboard", { DashboardName: "none" });
    assert.equal(response.statusCode, 404);
    assert.equal(response.headers?.["x-amzn-query-error"], "ResourceNotFound;Sender");
    assert.equal(decode(response.body).__type, "com.amazonaws.cloudwatch#DashboardNotFoundError");
  });
});
