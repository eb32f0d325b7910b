/** The bodies of UpdateFunctionCode and UpdateFunctionConfiguration, read into what the service changes. */
import type { FunctionConfig } from "../types.ts";
import { CodeSourceUnavailableError, InvalidCodeZipError, type LambdaCodeStore } from "./code-store.ts";
import { InvalidParameterValueError, InvalidRequestContentError } from "./errors.ts";

/** What UpdateFunctionConfiguration may change. */
export type ConfigurationPatch = Partial<Pick<FunctionConfig, "environment" | "timeoutSeconds" | "memorySizeMb" | "handler" | "description" | "runtime">>;

type Body = Record<string, unknown>;

export function parseBody(body: Buffer): Body {
  const text = body.toString("utf8");
  let parsed: unknown;
  try {
    parsed = text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestContentError(error instanceof Error ? error.message : String(error));
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new InvalidRequestContentError("the body is not a JSON object");
  return parsed as Body;
}

/** UpdateFunctionCode's `S3Bucket`/`S3Key` or `ZipFile` (base64), unpacked; returns the code folder. */
export async function codeFolderOf(body: Body, codeStore: LambdaCodeStore): Promise<string> {
  const { S3Bucket: bucket, S3Key: key, ZipFile: zipFile } = body;
  try {
    if (typeof zipFile === "string") return await codeStore.folderForZip(Buffer.from(zipFile, "base64"));
    if (typeof bucket === "string" && typeof key === "string") return await codeStore.folderFor(bucket, key);
  } catch (error) {
    if (error instanceof InvalidCodeZipError || error instanceof CodeSourceUnavailableError) throw new InvalidParameterValueError(error.message);
    // S3's own errors, reported as Lambda reports them.
    if (error instanceof Error && "code" in error && typeof error.code === "string") {
      throw new InvalidParameterValueError(`Error occurred while GetObject. S3 Error Code: ${error.code}. S3 Error Message: ${error.message}`);
    }
    throw error;
  }
  throw new InvalidParameterValueError("Please provide a source for function code: S3Bucket and S3Key, or ZipFile.");
}

function integerIn(body: Body, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParameterValueError(`${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** UpdateFunctionConfiguration's fields that the local cloud runs with. */
export function configurationPatchOf(body: Body): ConfigurationPatch {
  const patch: { -readonly [K in keyof ConfigurationPatch]: ConfigurationPatch[K] } = {};
  const timeout = integerIn(body, "Timeout", 1, 900);
  if (timeout !== undefined) patch.timeoutSeconds = timeout;
  const memory = integerIn(body, "MemorySize", 128, 10_240);
  if (memory !== undefined) patch.memorySizeMb = memory;
  for (const [field, key] of [["Handler", "handler"], ["Description", "description"], ["Runtime", "runtime"]] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== "string") throw new InvalidParameterValueError(`${field} must be a string`);
    patch[key] = value;
  }
  const environment = body["Environment"];
  if (environment !== undefined) {
    const variables = typeof environment === "object" && environment !== null ? (environment as Body)["Variables"] ?? {} : undefined;
    if (typeof variables !== "object" || variables === null || Object.values(variables).some((value) => typeof value !== "string")) {
      throw new InvalidParameterValueError("Environment.Variables must map names to strings");
    }
    patch.environment = variables as Record<string, string>;
  }
  return patch;
}
