import type { ApiIntegrationResponse, ApiMethod, HttpRequest, HttpResponse } from "../types.ts";
import type { RouteMatch } from "./route-matcher.ts";
import { jsonResponse } from "./responses.ts";

type Integration = NonNullable<ApiMethod["integration"]>;

export interface MockCall {
  readonly integration: Integration;
  readonly request: HttpRequest;
  readonly match: RouteMatch;
  readonly query: URLSearchParams;
  /** Says, once per method, what is not emulated. */
  readonly warn: (line: string) => void;
}

const INTERNAL_ERROR = { message: "Internal server error" };
/** Templates are Velocity: one that uses no variable or directive is plain text we can answer with. */
const VELOCITY = /[$#]/;

function contentTypeOf(request: HttpRequest): string {
  const header = request.headers["content-type"];
  return (Array.isArray(header) ? header[0] : header)?.split(";")[0]?.trim().toLowerCase() ?? "";
}

/** The template API Gateway would pick: the request's content type, else application/json, else the first. */
function pickTemplate(templates: Readonly<Record<string, string>> | undefined, contentType: string): string | undefined {
  if (!templates) return undefined;
  return templates[contentType] ?? templates["application/json"] ?? Object.values(templates)[0];
}

/** The status code a MOCK's request template asks for; CDK's `{ statusCode: 200 }` is not strict JSON, so a loose read too. */
function statusCodeOf(template: string): number | undefined {
  try {
    const parsed = JSON.parse(template) as { statusCode?: unknown };
    if (Number.isInteger(parsed.statusCode)) return parsed.statusCode as number;
  } catch {
    // falls through to the loose read
  }
  const loose = /^\s*\{[^{}]*?['"]?statusCode['"]?\s*:\s*(\d{3})\s*[,}]/.exec(template)?.[1];
  return loose === undefined ? undefined : Number(loose);
}

/** The response whose pattern matches the whole status code, else the one without a pattern. */
function selectResponse(responses: readonly ApiIntegrationResponse[], statusCode: number): ApiIntegrationResponse | undefined {
  const value = String(statusCode);
  const matched = responses.find((response) => {
    if (response.selectionPattern === undefined) return false;
    try {
      return new RegExp(`^(?:${response.selectionPattern})$`).test(value);
    } catch {
      return false;
    }
  });
  return matched ?? responses.find((response) => response.selectionPattern === undefined);
}

function requestValue(source: string, call: MockCall): string | undefined {
  const [, where, name = ""] = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source) ?? [];
  if (where === "header") {
    const value = call.request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(",") : value;
  }
  if (where === "querystring") return call.query.get(name) ?? undefined;
  if (where === "path") return call.match.pathParameters[name];
  return undefined;
}

function headersOf(response: ApiIntegrationResponse, call: MockCall): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [target, source] of Object.entries(response.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    if (name === undefined) continue;
    const literal = /^'(.*)'$/s.exec(source)?.[1];
    const value = literal ?? requestValue(source, call);
    if (value === undefined) call.warn(`response parameter ${target} = ${source} is not emulated for MOCK; left out`);
    else headers[name] = value;
  }
  return headers;
}

/**
 * A MOCK integration as API Gateway runs it: the request template names the
 * status code, which selects an integration response; that response's
 * parameters become headers (literals and method request values) and a plain
 * template becomes the body. Velocity templates are not evaluated.
 */
export function runMockIntegration(call: MockCall): HttpResponse {
  const contentType = contentTypeOf(call.request);
  const requestTemplate = pickTemplate(call.integration.requestTemplates, contentType) ?? call.request.body.toString("utf8");
  const statusCode = statusCodeOf(requestTemplate);
  if (statusCode === undefined) {
    call.warn("Execution failed due to configuration error: Unable to parse statusCode from the MOCK's request template");
    return jsonResponse(500, INTERNAL_ERROR, { "x-amzn-ErrorType": "InternalServerErrorException" });
  }
  const response = selectResponse(call.integration.integrationResponses ?? [], statusCode);
  if (!response) {
    call.warn(`Execution failed due to configuration error: no integration response matches ${statusCode} and there is no default`);
    return jsonResponse(500, INTERNAL_ERROR, { "x-amzn-ErrorType": "InternalServerErrorException" });
  }
  const template = pickTemplate(response.responseTemplates, contentType);
  if (template !== undefined && VELOCITY.test(template)) call.warn("its response template is Velocity, which is not evaluated; the body is empty");
  const body = template !== undefined && !VELOCITY.test(template) ? template : "";
  return { statusCode: Number(response.statusCode), headers: { "content-type": "application/json", ...headersOf(response, call) }, body };
}
