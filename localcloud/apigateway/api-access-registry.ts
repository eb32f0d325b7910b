import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ApiKeyDefinition, UsagePlanDefinition } from "../types.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * API keys, usage plans and which keys each plan holds, as the deployed templates
 * declare them. Generated key values are derived from the stack, the logical id
 * and a seed kept in the data folder, so a key a user saved keeps working after
 * a restart (and a fresh data folder gets fresh keys).
 */
export class ApiAccessRegistry {
  private readonly keys = new Map<string, ApiKeyDefinition>();
  private readonly plans = new Map<string, UsagePlanDefinition>();
  private readonly planKeys = new Map<string, Set<string>>();
  private seed: Buffer | undefined;

  /** `seedFile` undefined keeps the seed in memory only (tests). */
  constructor(private readonly seedFile?: string) {}

  /** A 40-character key value, as API Gateway generates, stable for this data folder. */
  generatedKeyValue(stackName: string, logicalId: string): string {
    const digest = createHmac("sha512", this.keySeed()).update(`${stackName}/${logicalId}`).digest();
    return Array.from(digest.subarray(0, 40), (byte) => ALPHABET[byte % ALPHABET.length]).join("");
  }

  /** Adds or updates a key; an update keeps the key's creation date. */
  putApiKey(key: ApiKeyDefinition): void {
    const createdDate = this.keys.get(key.id)?.createdDate ?? key.createdDate;
    this.keys.set(key.id, { ...key, createdDate });
  }

  deleteApiKey(id: string): void {
    this.keys.delete(id);
    for (const members of this.planKeys.values()) members.delete(id);
  }

  /** Adds or updates a plan; an update keeps its keys and its creation date (the quota offset's period). */
  putUsagePlan(plan: UsagePlanDefinition): void {
    const createdDate = this.plans.get(plan.id)?.createdDate ?? plan.createdDate;
    this.plans.set(plan.id, { ...plan, createdDate });
    if (!this.planKeys.has(plan.id)) this.planKeys.set(plan.id, new Set());
  }

  deleteUsagePlan(id: string): void {
    this.plans.delete(id);
    this.planKeys.delete(id);
  }

  putUsagePlanKey(planId: string, keyId: string): void {
    const members = this.planKeys.get(planId) ?? new Set<string>();
    members.add(keyId);
    this.planKeys.set(planId, members);
  }

  deleteUsagePlanKey(planId: string, keyId: string): void {
    this.planKeys.get(planId)?.delete(keyId);
  }

  apiKeys(): ApiKeyDefinition[] {
    return [...this.keys.values()];
  }

  apiKey(id: string): ApiKeyDefinition | undefined {
    return this.keys.get(id);
  }

  keyByValue(value: string): ApiKeyDefinition | undefined {
    for (const key of this.keys.values()) if (key.value === value) return key;
    return undefined;
  }

  usagePlans(): UsagePlanDefinition[] {
    return [...this.plans.values()];
  }

  usagePlan(id: string): UsagePlanDefinition | undefined {
    return this.plans.get(id);
  }

  /** Keys of a plan that still exist. */
  keysOfPlan(planId: string): ApiKeyDefinition[] {
    return [...(this.planKeys.get(planId) ?? [])].flatMap((id) => this.keys.get(id) ?? []);
  }

  /** The plan that holds this key for this API stage (API Gateway allows one per stage). */
  planFor(keyId: string, apiId: string, stage: string): UsagePlanDefinition | undefined {
    for (const plan of this.plans.values()) {
      if (!this.planKeys.get(plan.id)?.has(keyId)) continue;
      if (plan.apiStages.some((apiStage) => apiStage.apiId === apiId && apiStage.stage === stage)) return plan;
    }
    return undefined;
  }

  private keySeed(): Buffer {
    if (this.seed) return this.seed;
    if (this.seedFile && existsSync(this.seedFile)) {
      this.seed = Buffer.from(readFileSync(this.seedFile, "utf8").trim(), "hex");
    } else {
      this.seed = randomBytes(32);
      if (this.seedFile) {
        mkdirSync(dirname(this.seedFile), { recursive: true });
        writeFileSync(this.seedFile, this.seed.toString("hex"), { mode: 0o600 });
      }
    }
    return this.seed;
  }
}
