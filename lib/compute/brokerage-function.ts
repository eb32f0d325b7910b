import { Duration } from "aws-cdk-lib";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { Construct } from "constructs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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
 * One Lambda function of the system: Node.js 22, bundled by the local esbuild
 * (never Docker), with the SDK bundled in so the code that runs is the code we tested.
 */
export class BrokerageFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: BrokerageFunctionProps) {
    if (!/^[a-z][a-z-]*$/.test(props.entryName)) {
      throw new Error(`entryName must be a kebab-case file name under functions/, got "${props.entryName}"`);
    }
    super(scope, id, {
      entry: join(projectRoot, "functions", `${props.entryName}.ts`),
      handler: "handler",
      projectRoot,
      depsLockFilePath: join(projectRoot, "package-lock.json"),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 256,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.entryName,
        POWERTOOLS_LOG_LEVEL: "INFO",
        NODE_OPTIONS: "--enable-source-maps",
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: "node22",
        minify: true,
        sourceMap: true,
        externalModules: [],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // The project is ESM; this marks the bundle as CommonJS wherever it is
          // unpacked, so a runtime resolving package scopes never mistakes it for ESM.
          afterBundling: (_inputDir: string, outputDir: string) => [
            `node -e "require('fs').writeFileSync(process.argv[1] + '/package.json', '{\\"type\\":\\"commonjs\\"}')" "${outputDir}"`,
          ],
        },
      },
    });
  }
}
