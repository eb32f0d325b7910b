import { evaluatePolicy, type PolicyDecision } from "./authorizer-policy.ts";

/** An authorizer function's answer that API Gateway cannot use (it answers 500). */
export class MalformedAuthorizerResultError extends Error {
  override readonly name = "MalformedAuthorizerResultError";
}

/** A usable authorizer answer: who the caller is, what they may call, and what goes to the integration. */
export interface AuthorizerResult {
  readonly principalId: string;
  readonly statements: readonly Record<string, unknown>[];
  /** Context values, made strings as REST APIs pass them on. */
  readonly context: Readonly<Record<string, string>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads the function's JSON answer, or throws MalformedAuthorizerResultError saying what is wrong. */
export function parseAuthorizerResult(payload: string): AuthorizerResult {
  let answer: unknown;
  try {
    answer = JSON.parse(payload);
  } catch {
    throw new MalformedAuthorizerResultError("the answer is not JSON");
  }
  if (!isRecord(answer)) throw new MalformedAuthorizerResultError("the answer is not an object");
  const { principalId, policyDocument, context } = answer;
  if (typeof principalId !== "string" && typeof principalId !== "number") throw new MalformedAuthorizerResultError("principalId is missing");
  if (!isRecord(policyDocument)) throw new MalformedAuthorizerResultError("policyDocument is missing");
  const rawStatements = Array.isArray(policyDocument.Statement) ? policyDocument.Statement : [policyDocument.Statement];
  if (!rawStatements.every(isRecord)) throw new MalformedAuthorizerResultError("policyDocument.Statement is not a list of statements");
  const values: Record<string, string> = {};
  if (context !== undefined && context !== null) {
    if (!isRecord(context)) throw new MalformedAuthorizerResultError("context is not an object");
    for (const [key, value] of Object.entries(context)) {
      if (!["string", "number", "boolean"].includes(typeof value)) {
        throw new MalformedAuthorizerResultError(`context.${key} is not a string, number or boolean`);
      }
      values[key] = String(value);
    }
  }
  return { principalId: String(principalId), statements: rawStatements, context: values };
}

export function decide(result: AuthorizerResult, methodArn: string): PolicyDecision {
  return evaluatePolicy(result.statements, methodArn);
}
