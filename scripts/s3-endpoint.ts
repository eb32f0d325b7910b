/**
 * The S3 endpoint for a deploy to an emulator: AWS_ENDPOINT_URL with its host
 * replaced by the host's IPv4 address. The S3 SDK addresses buckets by path when
 * the endpoint's host is an IP, so no `<bucket>.s3.…` name has to resolve (those
 * need public DNS). CLI: `tsx scripts/s3-endpoint.ts [endpoint]` prints it.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export async function pathStyleS3Endpoint(endpoint: string): Promise<string> {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) === 0) url.hostname = (await lookup(host, { family: 4 })).address;
  return url.origin;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const endpoint = process.argv[2] ?? process.env.AWS_ENDPOINT_URL ?? "http://localhost:4566";
  pathStyleS3Endpoint(endpoint).then(
    (s3) => process.stdout.write(`${s3}\n`),
    (error: unknown) => {
      process.stderr.write(`cannot resolve the host of ${endpoint}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
