/** What an authorizer's policy says about one method ARN. */
export type PolicyDecision = "allow" | "explicit-deny" | "implicit-deny";

interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

/** IAM's string match: `*` any run of characters (slashes included), `?` any one character; case-sensitive. */
export function iamMatch(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

/** Actions are matched without regard to case, as IAM does. */
const coversInvoke = (statement: Statement): boolean =>
  asList(statement.Action).some((action) => iamMatch(action.toLowerCase(), "execute-api:invoke"));

/**
 * Evaluates a policy document as IAM does for `execute-api:Invoke` on one method
 * ARN: an explicit Deny wins, then any Allow, else the request is implicitly denied.
 * Statements with NotAction or NotResource are not evaluated.
 */
export function evaluatePolicy(statements: readonly Statement[], methodArn: string): PolicyDecision {
  const applies = (statement: Statement) => coversInvoke(statement) && asList(statement.Resource).some((resource) => iamMatch(resource, methodArn));
  if (statements.some((statement) => statement.Effect === "Deny" && applies(statement))) return "explicit-deny";
  if (statements.some((statement) => statement.Effect === "Allow" && applies(statement))) return "allow";
  return "implicit-deny";
}
