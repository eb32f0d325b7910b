/**
 * S3 on the local cloud's endpoint: fauxqs's S3 (an embedded instance of its own,
 * objects kept as files under the data folder), with the bucket configurations the
 * CDK CLI and CloudFormation read answered in front of it, and an in-process API
 * for the CloudFormation engine and Lambda's code store.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { IncomingHttpHeaders } from "node:http";
import { embedFauxqs, type EmbeddedFauxqs } from "../sqs/fauxqs-embed.ts";
import type { CloudContext, HttpRequest, HttpResponse, Service } from "../types.ts";
import { BucketSettings } from "./bucket-settings.ts";
import { BUCKET_SUBRESOURCES, defaultAcl, locationConstraint } from "./bucket-subresources.ts";
import { BucketAlreadyOwnedByYouError, fromStoreError } from "./errors.ts";
import { s3Target, unhandledSubresource, type S3Target } from "./s3-request.ts";
import { s3Error, s3Xml } from "./xml.ts";

/** Headers that describe the connection to us, not the request fauxqs should see. */
const HOP_HEADERS = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length"]);

export class S3Service implements Service {
  private constructor(
    private readonly ctx: CloudContext,
    private readonly fauxqs: EmbeddedFauxqs,
    private readonly settings: BucketSettings,
  ) {}

  static async start(ctx: CloudContext, options: { reset?: boolean; inMemory?: boolean } = {}): Promise<S3Service> {
    const dataDir = join(ctx.dataDir, "s3");
    if (options.reset && !options.inMemory) rmSync(dataDir, { recursive: true, force: true });
    const fauxqs = await embedFauxqs({ region: ctx.region, ...(options.inMemory ? {} : { s3DataDir: dataDir }) });
    return new S3Service(ctx, fauxqs, new BucketSettings(options.inMemory ? undefined : join(dataDir, "bucket-settings.json")));
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const target = s3Target(request);
    const bucketLevel = target.bucket !== undefined && (target.key ?? "") === "";
    if (bucketLevel && target.bucket !== undefined) {
      const subresource = target.queryNames.find((name) => name in BUCKET_SUBRESOURCES || name === "location" || name === "acl");
      if (subresource !== undefined) return this.bucketSubresource(request, target.bucket, subresource);
    }
    const unhandled = unhandledSubresource(target);
    if (unhandled !== undefined) {
      return s3Error(501, "NotImplemented", `The local cloud's S3 does not implement ${request.method} with the "${unhandled}" sub-resource`);
    }
    const response = await this.forward(request, target);
    if (bucketLevel && target.bucket !== undefined && request.method === "DELETE" && response.statusCode === 204) {
      this.settings.forgetBucket(target.bucket);
    }
    return response;
  }

  /** Throws BucketAlreadyOwnedByYouError when the bucket exists, or S3OperationError for a bad name. */
  async createBucket(name: string): Promise<void> {
    if (this.fauxqs.s3Store.hasBucket(name)) throw new BucketAlreadyOwnedByYouError(name);
    try {
      this.fauxqs.s3Store.createBucket(name);
    } catch (error) {
      throw fromStoreError(error, name);
    }
  }

  /** Throws BucketNotEmptyError or NoSuchBucketError, as S3 would. */
  async deleteBucket(name: string): Promise<void> {
    try {
      this.fauxqs.s3Store.deleteBucket(name);
    } catch (error) {
      throw fromStoreError(error, name);
    }
    this.settings.forgetBucket(name);
  }

  hasBucket(name: string): boolean {
    return this.fauxqs.s3Store.hasBucket(name);
  }

  /** Throws NoSuchBucketError or NoSuchKeyError. */
  async getObject(bucket: string, key: string): Promise<Buffer> {
    try {
      return this.fauxqs.s3Store.getObject(bucket, key).body;
    } catch (error) {
      throw fromStoreError(error, bucket, key);
    }
  }

  /** Throws NoSuchBucketError. */
  async putObject(bucket: string, key: string, body: Buffer): Promise<void> {
    try {
      this.fauxqs.s3Store.putObject(bucket, key, body);
    } catch (error) {
      throw fromStoreError(error, bucket, key);
    }
  }

  async stop(): Promise<void> {
    await this.fauxqs.close();
  }

  /** Get, Put and Delete of one bucket configuration (`?encryption`, `?policy`, `?location`, …). */
  private bucketSubresource(request: HttpRequest, bucket: string, subresource: string): HttpResponse {
    if (!this.fauxqs.s3Store.hasBucket(bucket)) return s3Error(404, "NoSuchBucket", "The specified bucket does not exist", bucket);
    const method = request.method.toUpperCase();
    if (subresource === "location") {
      return method === "GET" ? s3Xml(200, locationConstraint(this.ctx.region)) : methodNotAllowed(method, subresource);
    }
    const stored = this.settings.get(bucket, subresource);
    const spec = BUCKET_SUBRESOURCES[subresource];
    switch (method) {
      case "GET": {
        const contentType = spec?.contentType ?? "application/xml";
        if (stored !== undefined) return s3Xml(200, stored, contentType);
        if (spec === undefined) return s3Xml(200, defaultAcl(this.ctx.accountId));
        if (spec.missing.kind === "default") return s3Xml(200, spec.missing.body);
        return s3Error(404, spec.missing.code, spec.missing.message, bucket);
      }
      case "PUT":
        this.settings.put(bucket, subresource, request.body.toString("utf8"));
        return { statusCode: spec?.putStatus ?? 200, headers: {} };
      case "DELETE":
        this.settings.delete(bucket, subresource);
        return { statusCode: 204, headers: {} };
      default:
        return methodNotAllowed(method, subresource);
    }
  }

  private async forward(request: HttpRequest, target: S3Target): Promise<HttpResponse> {
    const response = await this.fauxqs.app.inject({
      method: request.method.toUpperCase() as "GET",
      url: target.pathStyleUrl,
      headers: { ...forwardedHeaders(request.headers), host: `127.0.0.1:${this.fauxqs.port}` },
      ...(request.body.length > 0 ? { payload: request.body } : {}),
    });
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined || (HOP_HEADERS.has(name) && !(name === "content-length" && request.method === "HEAD"))) continue;
      headers[name] = Array.isArray(value) ? value.map(String) : String(value);
    }
    return { statusCode: response.statusCode, headers, body: response.rawPayload };
  }
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const forwarded: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) forwarded[name] = value;
  }
  return forwarded;
}

function methodNotAllowed(method: string, subresource: string): HttpResponse {
  return s3Error(405, "MethodNotAllowed", `The specified method is not allowed against the "${subresource}" sub-resource: ${method}`);
}
