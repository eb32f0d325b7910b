import type { HttpRequest } from "../types.ts";

/** Where an execute-api request points: the API, the stage and the path inside the stage. */
export interface ExecuteApiTarget {
  readonly apiId: string;
  readonly stage: string;
  /** Raw (still URL-encoded) path after the stage, always starting with "/". */
  readonly path: string;
  /** Raw query string without the "?", "" when absent. */
  readonly query: string;
}

// LocalStack's path form, and its older `_user_request_` form, on the single endpoint.
const PATH_FORM = /^\/_aws\/execute-api\/([^/]+)\/([^/]+)(\/.*)?$/;
const USER_REQUEST_FORM = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/;
// LocalStack's host form; the port may be anything, since the endpoint can move.
const HOST_FORM = /^([a-z0-9]+)\.execute-api\.localhost\.localstack\.cloud(?::\d+)?$/i;

function splitUrl(url: string): { pathname: string; query: string } {
  const mark = url.indexOf("?");
  return mark < 0 ? { pathname: url, query: "" } : { pathname: url.slice(0, mark), query: url.slice(mark + 1) };
}

function hostOf(request: HttpRequest): string {
  const host = request.headers.host;
  return typeof host === "string" ? host : "";
}

export function parseExecuteApiTarget(request: HttpRequest): ExecuteApiTarget | undefined {
  const { pathname, query } = splitUrl(request.url);
  const byHost = HOST_FORM.exec(hostOf(request));
  if (byHost?.[1]) {
    const [, stage = "", ...rest] = pathname.split("/");
    return { apiId: byHost[1], stage, path: `/${rest.join("/")}`, query };
  }
  const byPath = PATH_FORM.exec(pathname) ?? USER_REQUEST_FORM.exec(pathname);
  if (byPath?.[1] && byPath[2]) return { apiId: byPath[1], stage: byPath[2], path: byPath[3] ?? "/", query };
  return undefined;
}
