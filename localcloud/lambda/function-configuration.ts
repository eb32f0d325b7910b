/** The Lambda API's FunctionConfiguration for a deployed function. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CloudContext } from "../types.ts";
import { functionArn, LATEST_VERSION, logGroupName } from "./lambda-environment.ts";
import type { DeployedFunction } from "./run-invocation.ts";

/** Lambda prints times as "2026-05-01T12:00:00.000+0000". */
function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "+0000");
}

/** Size and SHA-256 (base64) of the bundle folder's files, as Lambda reports them for the zip. */
function describeCode(codeDir: string): { size: number; sha256: string } {
  try {
    const files = readdirSync(codeDir, { recursive: true, encoding: "utf8" })
      .map((name) => join(codeDir, name))
      .filter((file) => statSync(file).isFile())
      .sort();
    const hash = createHash("sha256");
    let size = 0;
    for (const file of files) {
      const content = readFileSync(file);
      size += content.length;
      hash.update(content);
    }
    return { size, sha256: hash.digest("base64") };
  } catch {
    return { size: 0, sha256: "" };
  }
}

export function functionConfiguration(ctx: CloudContext, fn: DeployedFunction): Record<string, unknown> {
  const { config } = fn;
  const code = describeCode(config.codeDir);
  return {
    FunctionName: config.functionName,
    FunctionArn: functionArn(ctx, config.functionName),
    Runtime: config.runtime,
    Role: `arn:aws:iam::${ctx.accountId}:role/lambda-role`,
    Handler: config.handler,
    CodeSize: code.size,
    CodeSha256: code.sha256,
    Description: config.description ?? "",
    Timeout: config.timeoutSeconds,
    MemorySize: config.memorySizeMb,
    LastModified: lambdaTimestamp(fn.lastModified),
    Version: LATEST_VERSION,
    Environment: { Variables: { ...config.environment } },
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: fn.revisionId,
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: ["x86_64"],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: "Text", LogGroup: logGroupName(config.functionName) },
  };
}
