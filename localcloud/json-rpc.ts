import { randomUUID } from "node:crypto";
import type { HttpResponse } from "./types.ts";

/** Answers of the services that speak AWS's JSON 1.1 protocol (SSM, Secrets Manager, KMS). */
const CONTENT_TYPE = "application/x-amz-json-1.1";

export function jsonOk(body: unknown): HttpResponse {
  return { statusCode: 200, headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": randomUUID() }, body: JSON.stringify(body) };
}

export function jsonFailure(code: string, message: string): HttpResponse {
  return {
    statusCode: 400,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": randomUUID(), "x-amzn-errortype": code },
    body: JSON.stringify({ __type: code, message }),
  };
}
