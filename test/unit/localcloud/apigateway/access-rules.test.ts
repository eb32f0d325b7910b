/** The rules behind the gateway's access decisions, on a clock the test moves. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { evaluatePolicy, iamMatch } from "../../../../localcloud/apigateway/authorizer-policy.ts";
import { UsageLimits } from "../../../../localcloud/apigateway/usage-limits.ts";
import type { UsagePlanDefinition } from "../../../../localcloud/types.ts";

const ARN = "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/users/42";
const statement = (Effect: string, Resource: string | string[], Action: string | string[] = "execute-api:Invoke") => ({ Effect, Action, Resource });

describe("authorizer policies", () => {
  test("* spans slashes and ? is one character, as IAM matches resources", () => {
    assert.equal(iamMatch("arn:aws:execute-api:us-east-1:000000000000:abc123/prod/*/*", ARN), true);
    assert.equal(iamMatch("arn:aws:execute-api:*:*:abc123/prod/GET/users/4?", ARN), true);
    assert.equal(iamMatch("arn:aws:execute-api:*:*:abc123/prod/GET/users/?", ARN), false);
    assert.equal(iamMatch("arn:aws:execute-api:*:*:abc123/dev/*", ARN), false);
  });

  test("an explicit Deny wins, an Allow allows, and nothing matching is an implicit deny", () => {
    assert.equal(evaluatePolicy([statement("Allow", "*"), statement("Deny", ["x", "*/GET/users/*"])], ARN), "explicit-deny");
    assert.equal(evaluatePolicy([statement("Allow", ["other", "*/prod/GET/*"], ["s3:GetObject", "execute-api:*"])], ARN), "allow");
    assert.equal(evaluatePolicy([statement("Allow", "*", "s3:*")], ARN), "implicit-deny");
    assert.equal(evaluatePolicy([], ARN), "implicit-deny");
  });
});

describe("usage plan limits", () => {
  const plan = (extra: Partial<UsagePlanDefinition>): UsagePlanDefinition => ({ id: "p1", name: "p", apiStages: [], createdDate: new Date("2026-03-10T12:00:00Z"), ...extra });

  test("the token bucket lets a burst through, refuses the next, and refills at the rate", () => {
    let now = Date.parse("2026-03-10T12:00:00Z");
    const limits = new UsageLimits(() => now);
    const throttled = plan({ throttle: { rateLimit: 2, burstLimit: 3 } });
    const take = () => limits.take(throttled, "k1", "api", "prod");
    assert.deepEqual([take(), take(), take(), take()], ["ok", "ok", "ok", "throttled"]);
    assert.equal(limits.take(throttled, "k2", "api", "prod"), "ok", "each key has its own bucket");
    now += 500; // one token back
    assert.deepEqual([take(), take()], ["ok", "throttled"]);
    now += 10_000; // never more than the burst
    assert.deepEqual([take(), take(), take(), take()], ["ok", "ok", "ok", "throttled"]);
  });

  test("the quota counts per period, takes the offset off the first period only, and starts again in the next", () => {
    let now = Date.parse("2026-03-10T23:00:00Z");
    const limits = new UsageLimits(() => now);
    const quota = plan({ quota: { limit: 3, period: "DAY", offset: 1 } });
    const take = () => limits.take(quota, "k1", "api", "prod");
    assert.deepEqual([take(), take(), take()], ["ok", "ok", "quota-exceeded"]);
    now = Date.parse("2026-03-11T00:00:01Z");
    assert.deepEqual([take(), take(), take(), take()], ["ok", "ok", "ok", "quota-exceeded"]);
  });
});
