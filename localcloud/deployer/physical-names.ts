import { createHash } from "node:crypto";

/**
 * CloudFormation names resources `<stack>-<logicalId>-<random>`. The local cloud
 * derives the suffix from the stack and logical id instead, so a restart finds the
 * same tables and queues (and their data) again.
 */
export function physicalName(stackName: string, logicalId: string, maxLength: number): string {
  const suffix = createHash("sha256").update(`${stackName}/${logicalId}`).digest("hex").slice(0, 12).toUpperCase();
  const head = `${stackName}-${logicalId}`.slice(0, Math.max(1, maxLength - suffix.length - 1));
  return `${head}-${suffix}`;
}

/** API Gateway style ids: ten lower-case letters and digits. */
export function shortId(seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(digest.subarray(0, 10), (byte) => alphabet[byte % alphabet.length]).join("");
}
