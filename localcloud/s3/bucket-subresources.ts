/**
 * Bucket configurations fauxqs does not keep (encryption, policy, versioning, …):
 * what S3 answers for each when it was never set.
 */
import { S3_NAMESPACE } from "./xml.ts";

export type MissingAnswer =
  /** S3 answers a document of its defaults. */
  | { readonly kind: "default"; readonly body: string }
  /** S3 answers 404 with this error code. */
  | { readonly kind: "error"; readonly code: string; readonly message: string };

export interface Subresource {
  readonly missing: MissingAnswer;
  /** PutBucketPolicy answers 204; the other puts 200. */
  readonly putStatus: number;
  readonly contentType?: string;
}

const empty = (root: string, inner = ""): MissingAnswer => ({
  kind: "default",
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`,
});
const notFound = (code: string, message: string): MissingAnswer => ({ kind: "error", code, message });

/** Since January 2023 every bucket has SSE-S3 default encryption unless told otherwise. */
const SSE_S3_DEFAULT =
  "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>" +
  "<BucketKeyEnabled>false</BucketKeyEnabled></Rule>";

export const BUCKET_SUBRESOURCES: Readonly<Record<string, Subresource>> = {
  encryption: { missing: empty("ServerSideEncryptionConfiguration", SSE_S3_DEFAULT), putStatus: 200 },
  policy: { missing: notFound("NoSuchBucketPolicy", "The bucket policy does not exist"), putStatus: 204, contentType: "application/json" },
  versioning: { missing: empty("VersioningConfiguration"), putStatus: 200 },
  tagging: { missing: notFound("NoSuchTagSet", "The TagSet does not exist"), putStatus: 204 },
  publicAccessBlock: {
    missing: notFound("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"),
    putStatus: 200,
  },
  cors: { missing: notFound("NoSuchCORSConfiguration", "The CORS configuration does not exist"), putStatus: 200 },
  website: { missing: notFound("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"), putStatus: 200 },
  ownershipControls: { missing: notFound("OwnershipControlsNotFoundError", "The bucket ownership controls were not found"), putStatus: 200 },
  logging: { missing: empty("BucketLoggingStatus"), putStatus: 200 },
  notification: { missing: empty("NotificationConfiguration"), putStatus: 200 },
  accelerate: { missing: empty("AccelerateConfiguration"), putStatus: 200 },
  requestPayment: { missing: empty("RequestPaymentConfiguration", "<Payer>BucketOwner</Payer>"), putStatus: 200 },
  "object-lock": {
    missing: notFound("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket"),
    putStatus: 200,
  },
  replication: {
    missing: notFound("ReplicationConfigurationNotFoundError", "The replication configuration was not found"),
    putStatus: 200,
  },
};

/** The owner's full control, which is what a bucket without ACL changes has. */
export function defaultAcl(accountId: string): string {
  const owner = `<ID>${accountId}</ID><DisplayName>local</DisplayName>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="${S3_NAMESPACE}"><Owner>${owner}</Owner>` +
    `<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${owner}</Grantee>` +
    `<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`
  );
}

/** GetBucketLocation: us-east-1 is the empty constraint, as S3 answers it. */
export function locationConstraint(region: string): string {
  const inner = region === "us-east-1" ? "" : region;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NAMESPACE}">${inner}</LocationConstraint>`;
}
