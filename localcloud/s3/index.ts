export { S3Service } from "./s3-service.ts";
export { BucketAlreadyOwnedByYouError, BucketNotEmptyError, NoSuchBucketError, NoSuchKeyError, S3OperationError } from "./errors.ts";
