/** S3 errors, with the code and HTTP status S3 answers them with. */

export class S3OperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = "S3OperationError";
  }
}

/** CreateBucket for a bucket the caller already has (S3's BucketAlreadyOwnedByYou). */
export class BucketAlreadyOwnedByYouError extends S3OperationError {
  constructor(readonly bucket: string) {
    super("BucketAlreadyOwnedByYou", `Your previous request to create the named bucket succeeded and you already own it: ${bucket}`, 409);
    this.name = "BucketAlreadyOwnedByYouError";
  }
}

export class BucketNotEmptyError extends S3OperationError {
  constructor(readonly bucket: string) {
    super("BucketNotEmpty", `The bucket you tried to delete is not empty: ${bucket}`, 409);
    this.name = "BucketNotEmptyError";
  }
}

export class NoSuchBucketError extends S3OperationError {
  constructor(readonly bucket: string) {
    super("NoSuchBucket", `The specified bucket does not exist: ${bucket}`, 404);
    this.name = "NoSuchBucketError";
  }
}

export class NoSuchKeyError extends S3OperationError {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super("NoSuchKey", `The specified key does not exist: ${key}`, 404);
    this.name = "NoSuchKeyError";
  }
}

/** Turns an error thrown by fauxqs's store (its S3Error carries `code`) into one of ours. */
export function fromStoreError(error: unknown, bucket: string, key?: string): unknown {
  if (!(error instanceof Error) || !("code" in error) || typeof error.code !== "string") return error;
  switch (error.code) {
    case "NoSuchBucket": return new NoSuchBucketError(bucket);
    case "NoSuchKey": return new NoSuchKeyError(bucket, key ?? "");
    case "BucketNotEmpty": return new BucketNotEmptyError(bucket);
  }
  const status = "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : 400;
  return new S3OperationError(error.code, error.message, status);
}
