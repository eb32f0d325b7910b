/** Where an S3 request on the single endpoint points: bucket, key and sub-resource. */
import type { HttpRequest } from "../types.ts";

export interface S3Target {
  /** Undefined for `GET /` (ListBuckets). */
  readonly bucket?: string;
  /** Undefined or "" for bucket-level requests. */
  readonly key?: string;
  /** The query's names, e.g. ["encryption"] or ["list-type", "prefix"]. */
  readonly queryNames: readonly string[];
  /** Path and query in path style, e.g. "/bucket/key?x-id=GetObject". */
  readonly pathStyleUrl: string;
}

/** Query names fauxqs acts on, or that only qualify the plain operation (list paging, presigning, the SDK's `x-id`). */
const BUCKET_PASSTHROUGH = new Set([
  "list-type", "prefix", "delimiter", "max-keys", "continuation-token", "start-after", "encoding-type", "marker",
  "fetch-owner", "delete", "lifecycle", "x-id", "bucket-region", "max-buckets",
]);
const OBJECT_PASSTHROUGH = new Set(["uploads", "uploadId", "partNumber", "attributes", "renameObject", "versionId", "x-id"]);

/** The sub-resource a query names that fauxqs would not act on, if any. */
export function unhandledSubresource(target: S3Target): string | undefined {
  const objectLevel = target.key !== undefined && target.key !== "";
  const passthrough = objectLevel ? OBJECT_PASSTHROUGH : BUCKET_PASSTHROUGH;
  return target.queryNames.find(
    (name) => !passthrough.has(name) && !/^x-amz-/i.test(name) && !(objectLevel && name.startsWith("response-")),
  );
}

/**
 * Reads path-style URLs (`/bucket/key`), and virtual-hosted ones on a `*.localhost`
 * host (`bucket.localhost:4566/key`), which need no DNS.
 */
export function s3Target(request: HttpRequest): S3Target {
  const url = new URL(request.url, "http://localhost");
  const host = String(request.headers.host ?? "").split(":")[0] ?? "";
  const virtualBucket = host.endsWith(".localhost") ? host.slice(0, -".localhost".length) : undefined;
  const pathname = virtualBucket === undefined ? url.pathname : `/${virtualBucket}${url.pathname}`;
  const [, rawBucket = "", ...rest] = pathname.split("/");
  const queryNames = [...new Set(url.searchParams.keys())];
  return {
    ...(rawBucket === "" ? {} : { bucket: decodeURIComponent(rawBucket) }),
    ...(rest.length === 0 ? {} : { key: decodeURIComponent(rest.join("/")) }),
    queryNames,
    pathStyleUrl: `${pathname}${url.search}`,
  };
}
