import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { serviceFor, unknownServiceResponse } from "../../../localcloud/router.ts";
import type { HttpRequest } from "../../../localcloud/types.ts";

const request = (overrides: Partial<HttpRequest>): HttpRequest => ({ method: "POST", url: "/", headers: {}, body: Buffer.alloc(0), ...overrides });
const signed = (service: string): HttpRequest["headers"] => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20261125/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
});
const never = (): boolean => false;

describe("routing a request on the single endpoint", () => {
  test("by X-Amz-Target for the JSON protocols", () => {
    assert.equal(serviceFor(request({ headers: { "x-amz-target": "DynamoDB_20120810.PutItem" } }), never), "dynamodb");
    assert.equal(serviceFor(request({ headers: { "x-amz-target": "AmazonSQS.SendMessage" } }), never), "sqs");
    assert.equal(serviceFor(request({ headers: { "x-amz-target": "AmazonSSM.GetParameter" } }), never), "ssm");
  });

  test("by the signature's credential scope", () => {
    for (const service of ["sqs", "lambda", "cloudformation", "sts", "dynamodb", "s3", "ssm"] as const) {
      assert.equal(serviceFor(request({ headers: signed(service) }), never), service);
    }
    assert.equal(serviceFor(request({ headers: signed("apigateway") }), never), "apigateway");
  });

  test("by path or query-protocol action when unsigned", () => {
    assert.equal(serviceFor(request({ url: "/2015-03-31/functions/f/invocations" }), never), "lambda");
    assert.equal(serviceFor(request({ method: "GET", url: "/restapis" }), never), "apigateway");
    assert.equal(serviceFor(request({ body: Buffer.from("Action=ListQueues&Version=2012-11-05") }), never), "sqs");
    assert.equal(serviceFor(request({ body: Buffer.from("Action=DescribeStacks") }), never), "cloudformation");
    assert.equal(serviceFor(request({ body: Buffer.from("Action=GetCallerIdentity") }), never), "sts");
    assert.equal(serviceFor(request({ body: Buffer.from("Action=AssumeRole&RoleArn=x") }), never), "sts");
  });

  test("CloudWatch in each of its protocols", () => {
    assert.equal(serviceFor(request({ headers: { "x-amz-target": "GraniteServiceVersion20100801.DescribeAlarms" } }), never), "cloudwatch");
    assert.equal(serviceFor(request({ url: "/service/GraniteServiceVersion20100801/operation/GetMetricData", headers: { "smithy-protocol": "rpc-v2-cbor" } }), never), "cloudwatch");
    assert.equal(serviceFor(request({ headers: signed("monitoring") }), never), "cloudwatch");
    assert.equal(serviceFor(request({ body: Buffer.from("Action=DescribeAlarms&Version=2010-08-01") }), never), "cloudwatch");
  });

  test("a presigned S3 URL by its X-Amz-Credential scope", () => {
    const url = "/bucket/key.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc";
    assert.equal(serviceFor(request({ method: "GET", url }), never), "s3");
  });

  test("execute-api requests go to API Gateway before anything else", () => {
    assert.equal(serviceFor(request({ headers: signed("sqs") }), () => true), "apigateway");
  });

  test("an unemulated service gets a clear error naming it", () => {
    const req = request({ headers: signed("ec2") });
    assert.equal(serviceFor(req, never), undefined);
    const response = unknownServiceResponse(req);
    assert.equal(response.statusCode, 400);
    assert.match((JSON.parse(String(response.body)) as { message: string }).message, /does not emulate the "ec2" service/);
  });
});
