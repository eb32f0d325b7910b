import { AssetHashType, Duration } from "aws-cdk-lib";
import { Architecture, Code, Function, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EsbuildBundling, FolderBundles } from "./esbuild-bundling.ts";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface BrokerageFunctionProps {
  /** File name under functions/, without extension, e.g. "validate-order". */
  readonly entryName: string;
  /** What the function does, shown in the console and by `aws lambda list-functions`. */
  readonly description: string;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default {} */
  readonly environment?: Record<string, string>;
}

/**
 * One Lambda function of the system: Node.js 22, bundled by the local esbuild (never
 * Docker; the image below is only CDK's required fallback), with the SDK bundled in so
 * the code that runs is the code we tested. The asset is named by the bundle's hash, as
 * NodejsFunction names its assets.
 */
/** All the handlers, bundled together the first time a synth needs one. */
const handlerBundles = new FolderBundles(join(projectRoot, "functions"));

export class BrokerageFunction extends Function {
  constructor(scope: Construct, id: string, props: BrokerageFunctionProps) {
    if (!/^[a-z][a-z-]*$/.test(props.entryName)) {
      throw new Error(`entryName must be a kebab-case file name under functions/, got "${props.entryName}"`);
    }
    const entry = join(projectRoot, "functions", `${props.entryName}.ts`);
    super(scope, id, {
      code: Code.fromAsset(projectRoot, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: { image: Runtime.NODEJS_22_X.bundlingImage, local: new EsbuildBundling(entry, handlerBundles) },
      }),
      handler: "index.handler",
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 256,
      // Lambda samples and sends the invocation's segment; the Tracer adds the SDK calls.
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.entryName,
        POWERTOOLS_LOG_LEVEL: "INFO",
        NODE_OPTIONS: "--enable-source-maps",
        // Where no trace header comes with an invocation (an emulator, code run at module
        // load), the X-Ray SDK carries on quietly instead of logging an error per SDK call.
        AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR",
        ...props.environment,
      },
    });
  }
}
