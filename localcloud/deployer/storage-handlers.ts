import type { CreatedResource, HandlerInput, ResourceHandler } from "./resource-handlers.ts";

/**
 * An S3 bucket (the CDK bootstrap stack's asset bucket). Only the bucket itself is
 * made; its encryption, versioning, lifecycle and public-access settings are accepted
 * and not enforced, which the deploy log says once per bucket.
 */
export const createBucket: ResourceHandler = {
  async create({ properties, physicalName, targets, logicalId }: HandlerInput): Promise<CreatedResource> {
    const name = (properties.BucketName as string | undefined) ?? physicalName(63).toLowerCase();
    const attributes = {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${targets.ctx.region}.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${targets.ctx.region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${targets.ctx.region}.amazonaws.com`,
    };
    if (!targets.s3) return { ref: name, attributes, emulated: false };
    await targets.s3.createBucket(name).catch((error: unknown) => {
      // Creating again (an update, or a restart) keeps the bucket and its objects.
      if (!(error instanceof Error && /BucketAlreadyOwnedByYou|already exists|BucketAlreadyExists/i.test(`${error.name} ${error.message}`))) throw error;
    });
    const settings = Object.keys(properties).filter((key) => key !== "BucketName" && key !== "Tags");
    if (settings.length > 0) targets.ctx.log("deploy", `${logicalId}: bucket ${name} made; ${settings.join(", ")} accepted, not enforced`);
    return { ref: name, attributes };
  },
  async delete({ physicalId, targets }) {
    await targets.s3?.deleteBucket(physicalId);
  },
};

/** An SSM parameter (the CDK bootstrap version that `cdk deploy` checks). */
export const createParameter: ResourceHandler = {
  async create({ properties, physicalName, targets }: HandlerInput): Promise<CreatedResource> {
    const name = (properties.Name as string | undefined) ?? physicalName(64);
    const type = String(properties.Type ?? "String");
    const attributes = { Type: type, Value: String(properties.Value ?? "") };
    if (!targets.ssm) return { ref: name, attributes, emulated: false };
    await targets.ssm.putParameter(name, String(properties.Value ?? ""), { type, overwrite: true });
    return { ref: name, attributes };
  },
  async delete({ physicalId, targets }) {
    await targets.ssm?.deleteParameter(physicalId);
  },
};
