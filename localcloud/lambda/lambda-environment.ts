/** What Lambda puts around a function: its ARN, log names and environment variables. */
import { randomBytes } from "node:crypto";
import type { CloudContext, FunctionConfig } from "../types.ts";

export const LATEST_VERSION = "$LATEST";

export function functionArn(ctx: CloudContext, functionName: string): string {
  return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${functionName}`;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** One per sandbox, in Lambda's form "2026/05/01/[$LATEST]<32 hex digits>". */
export function newLogStreamName(now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[${LATEST_VERSION}]${randomBytes(16).toString("hex")}`;
}

/**
 * The sandbox's whole environment: the template's variables, then what Lambda
 * itself sets (which a template cannot override). Of the host only PATH passes.
 */
export function sandboxEnvironment(ctx: CloudContext, config: FunctionConfig, logStreamName: string): Record<string, string> {
  const hostPath = process.env.PATH;
  return {
    ...(hostPath === undefined ? {} : { PATH: hostPath }),
    ...config.environment,
    AWS_REGION: ctx.region,
    AWS_DEFAULT_REGION: ctx.region,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL: ctx.endpoint,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: LATEST_VERSION,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(config.functionName),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
    LAMBDA_TASK_ROOT: config.codeDir,
    _HANDLER: config.handler,
    ...(ctx.tracing ? { AWS_XRAY_DAEMON_ADDRESS: ctx.tracing.daemonAddress, AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR" } : {}),
    TZ: ":UTC",
    LANG: "en_US.UTF-8",
  };
}
