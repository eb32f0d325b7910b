import { createHash, randomBytes } from "node:crypto";
import { escapeXml, queryParameters, xmlError, xmlResult } from "../query-protocol.ts";
import type { CloudContext, HttpRequest, HttpResponse, Service } from "../types.ts";

const NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HOUR_SECONDS = 3600;

/** `count` upper-case letters and digits, as AWS key and role ids are made of. */
function randomId(count: number): string {
  return [...randomBytes(count)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join("");
}

/** The same role always gets the same id, as in IAM. */
function roleId(roleArn: string): string {
  return [...createHash("sha256").update(roleArn).digest()].slice(0, 17).map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join("");
}

/**
 * STS as tools use it: `GetCallerIdentity` to check where they are, `AssumeRole` for the
 * CDK CLI's deploy and publishing roles, `GetSessionToken`. Credentials are made up and
 * accepted anywhere, as the local cloud checks no signature.
 */
export class StsService implements Service {
  constructor(private readonly ctx: CloudContext) {}

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const params = queryParameters(request);
    const action = params.get("Action");
    switch (action) {
      case "GetCallerIdentity":
        return this.getCallerIdentity();
      case "AssumeRole":
        return this.assumeRole(params);
      case "GetSessionToken":
        return xmlResult(action, NAMESPACE, this.credentials(Number(params.get("DurationSeconds") ?? 12 * HOUR_SECONDS)));
      default:
        return xmlError(400, "InvalidAction", `STS action ${action ?? "(none)"} is not emulated by the local cloud`, NAMESPACE);
    }
  }

  async stop(): Promise<void> {}

  private getCallerIdentity(): HttpResponse {
    const { accountId } = this.ctx;
    return xmlResult(
      "GetCallerIdentity",
      NAMESPACE,
      `<Arn>arn:aws:iam::${accountId}:root</Arn><UserId>${accountId}</UserId><Account>${accountId}</Account>`,
    );
  }

  private assumeRole(params: URLSearchParams): HttpResponse {
    const roleArn = params.get("RoleArn");
    const sessionName = params.get("RoleSessionName");
    if (!roleArn || !sessionName) {
      return xmlError(400, "ValidationError", "AssumeRole needs both RoleArn and RoleSessionName", NAMESPACE);
    }
    const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    if (match === null) return xmlError(400, "ValidationError", `${roleArn} is not a valid role ARN`, NAMESPACE);
    const [, account, roleName] = match;
    const assumedRoleId = `AROA${roleId(roleArn)}:${sessionName}`;
    const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
    return xmlResult(
      "AssumeRole",
      NAMESPACE,
      this.credentials(Number(params.get("DurationSeconds") ?? HOUR_SECONDS)) +
        `<AssumedRoleUser><AssumedRoleId>${escapeXml(assumedRoleId)}</AssumedRoleId><Arn>${escapeXml(arn)}</Arn></AssumedRoleUser>` +
        "<PackedPolicySize>6</PackedPolicySize>",
    );
  }

  private credentials(durationSeconds: number): string {
    const seconds = Number.isFinite(durationSeconds) && durationSeconds > 0 ? durationSeconds : HOUR_SECONDS;
    const expiration = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return (
      `<Credentials><AccessKeyId>ASIA${randomId(16)}</AccessKeyId>` +
      `<SecretAccessKey>${randomBytes(30).toString("base64")}</SecretAccessKey>` +
      `<SessionToken>${randomBytes(120).toString("base64")}</SessionToken>` +
      `<Expiration>${expiration}</Expiration></Credentials>`
    );
  }
}
