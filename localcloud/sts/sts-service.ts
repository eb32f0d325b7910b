import { queryParameters, xmlError, xmlResult } from "../query-protocol.ts";
import type { CloudContext, HttpRequest, HttpResponse, Service } from "../types.ts";

const NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/** `sts get-caller-identity`: the one STS call tools make to check where they are. */
export class StsService implements Service {
  constructor(private readonly ctx: CloudContext) {}

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const action = queryParameters(request).get("Action");
    if (action !== "GetCallerIdentity") {
      return xmlError(400, "InvalidAction", `STS action ${action ?? "(none)"} is not emulated by the local cloud`, NAMESPACE);
    }
    const { accountId } = this.ctx;
    return xmlResult(
      action,
      NAMESPACE,
      `<Arn>arn:aws:iam::${accountId}:root</Arn><UserId>${accountId}</UserId><Account>${accountId}</Account>`,
    );
  }

  async stop(): Promise<void> {}
}
