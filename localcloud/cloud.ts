import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ApiGatewayService } from "./apigateway/index.ts";
import { CloudFormationService } from "./cloudformation/cloudformation-service.ts";
import { StackEngine } from "./cloudformation/stack-engine.ts";
import { StackRecords } from "./cloudformation/stack-records.ts";
import { CloudWatch, type CloudWatchOptions } from "./cloudwatch/cloudwatch.ts";
import { CloudWatchService } from "./cloudwatch/cloudwatch-service.ts";
import { LocalCloudConsole } from "./console/index.ts";
import { readCloudAssembly } from "./deployer/cloud-assembly.ts";
import { deployedStackOf, type DeployedStack } from "./deployer/deployed-stack.ts";
import { DynamoDbService } from "./dynamodb/index.ts";
import { SqsEventSourceMappings } from "./eventsources/index.ts";
import { handleEventSourceMappingApi, isEventSourceMappingRequest } from "./eventsources/event-source-mapping-api.ts";
import { startHttpServer, type RunningHttpServer } from "./http-server.ts";
import { KmsService } from "./kms/index.ts";
import { LambdaCodeStore } from "./lambda/code-store.ts";
import { seededRandom } from "./lambda/fault-injection.ts";
import { LambdaService } from "./lambda/lambda-service.ts";
import { XRayDaemon } from "./xray/xray-daemon.ts";
import { TraceSampler, type SamplingRule } from "./xray/trace-sampler.ts";
import { LocalMonitoring } from "./monitoring/local-monitoring.ts";
import { meterRequest, metricsResponse } from "./metering/metrics-route.ts";
import { UsageMeter } from "./metering/usage-meter.ts";
import { serviceFor, type ServiceTable, unknownServiceResponse } from "./router.ts";
import type { MonitoringView } from "./monitoring/monitoring-view.ts";
import { SecretsManagerService } from "./secretsmanager/index.ts";
import { SqsService } from "./sqs/index.ts";
import { SnsService } from "./sns/index.ts";
import { EventsService, serviceQueueSender } from "./events/index.ts";
import { ScheduleService } from "./scheduler/index.ts";
import { S3Service } from "./s3/index.ts";
import { SsmService } from "./ssm/index.ts";
import { StsService } from "./sts/sts-service.ts";
import type { CloudContext, HttpRequest, HttpResponse, InvokeResult, LogSink } from "./types.ts";

export interface LocalCloudOptions {
  /** @default 4566 (0 picks a free port) */
  readonly port?: number;
  /** Where tables and queues are kept between runs. */
  readonly dataDir: string;
  /** Start from empty tables and queues. @default false */
  readonly reset?: boolean;
  /** Keep nothing on disk (tests). @default false */
  readonly inMemory?: boolean;
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "000000000000" */
  readonly accountId?: string;
  /** Most concurrent instances per function. @default one per core, at least 2 (defaultFunctionConcurrency) */
  readonly functionConcurrency?: number;
  /** Where every line of output goes. @default nowhere */
  readonly log?: LogSink;
  /** Chaos runs: inject faults at these rates (0–1). @default none */
  readonly faults?: LocalCloudFaults;
  /** How often CloudWatch evaluates alarms and samples queues. @default every 5 s */
  readonly cloudwatch?: CloudWatchOptions;
  /** What the console at /_localcloud/ shows of metrics, alarms, dashboards and traces. @default the cloud's own CloudWatch and X-Ray */
  readonly monitoring?: MonitoringView;
  /** Which requests X-Ray traces. @default X-Ray's default rule (DEFAULT_SAMPLING_RULE) */
  readonly traceSampling?: SamplingRule;
}

export interface LocalCloudFaults {
  /** Chance that an invocation's sandbox is killed mid-invocation. */
  readonly crashRate?: number;
  /** Chance that an invocation is ended as timed out mid-invocation. */
  readonly timeoutRate?: number;
  /** Chance that an SQS batch is delivered to its function twice. */
  readonly duplicateRate?: number;
  /** Seeds the random choices, so a chaos run can be repeated. @default a random seed */
  readonly seed?: number;
}

/** The running services, for in-process calls (the CloudFormation engine's, tests'). */
export interface LocalCloudServices {
  readonly dynamodb: DynamoDbService;
  readonly sqs: SqsService;
  readonly lambda: LambdaService;
  readonly apigateway: ApiGatewayService;
  readonly cloudformation: CloudFormationService;
  readonly sts: StsService;
  readonly s3: S3Service;
  readonly ssm: SsmService;
  readonly secretsmanager: SecretsManagerService;
  readonly kms: KmsService;
  readonly sns: SnsService;
  readonly events: EventsService;
  readonly cloudwatch: CloudWatchService;
}

export interface LocalCloud {
  /** e.g. "http://localhost:4566" */
  readonly endpoint: string;
  readonly ctx: CloudContext;
  readonly services: LocalCloudServices;
  /** Metrics, alarms, dashboards, function activity and traces, for the console. */
  readonly monitoring: MonitoringView;
  /**
   * Deploys every stack of a synthesized cloud assembly (`cdk.out`) through the same
   * CloudFormation engine `cdk deploy` talks to, taking the functions' code from the
   * assembly's folders instead of S3. Starts the stacks deployed before first (restore).
   */
  deploy(assemblyDir: string): Promise<DeployedStack[]>;
  /** Starts the functions, pollers, schedules and APIs of the stacks deployed before this start. */
  restore(): Promise<void>;
  /** Fires the named EventBridge schedule (or every one) now, instead of waiting for its rate. */
  runSchedules(ruleName?: string): Promise<InvokeResult[]>;
  stop(): Promise<void>;
}

/** Starts the single AWS-compatible endpoint and the services behind it. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  let route: (request: HttpRequest) => Promise<HttpResponse> = async () => ({ statusCode: 503, body: "starting" });
  // Listen first: the endpoint (with its real port) goes into queue URLs and function environments.
  const server: RunningHttpServer = await startHttpServer((request) => route(request), { port: options.port ?? 4566 });
  const endpoint = `http://localhost:${server.port}`;
  const userLog = options.log ?? (() => {});
  if (options.reset && !options.inMemory) rmSync(options.dataDir, { recursive: true, force: true });
  if (!options.inMemory) mkdirSync(options.dataDir, { recursive: true });
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "000000000000";
  const cloudwatch = new CloudWatch({ region, accountId, log: userLog }, { ...options.cloudwatch, ...(options.inMemory ? {} : { dataDir: join(options.dataDir, "cloudwatch") }) });
  const xray = await XRayDaemon.start();
  const sampler = new TraceSampler(options.traceSampling);
  const monitoring = new LocalMonitoring(cloudwatch, () => lambda.listFunctions().map((fn) => fn.functionName), xray);
  // Its sources are read per request, once everything below has started.
  const liveConsole = new LocalCloudConsole(
    { stacks: () => engine.records.stacks.values(), queues: () => sqs.embedded.store.allQueues(), functions: () => lambda.listFunctions() },
    options.monitoring ?? monitoring,
  );
  liveConsole.warmUp();
  const ctx: CloudContext = {
    region,
    accountId,
    endpoint,
    dataDir: options.dataDir,
    // Every line goes past CloudWatch, which keeps the EMF ones as metrics as CloudWatch Logs does,
    // and into the console's ring buffer, then to the caller's sink.
    log: (source, line, stream) => {
      cloudwatch.observeLogLine(line);
      liveConsole.logs.add(source, line, stream);
      userLog(source, line, stream);
    },
    meter: new UsageMeter(),
    invocations: cloudwatch,
    tracing: { daemonAddress: xray.address, sample: (entryPoint) => sampler.sample(entryPoint), record: (segment) => xray.record(segment) },
  };

  const storage = { reset: options.reset ?? false, inMemory: options.inMemory ?? false };
  const dynamodb = await DynamoDbService.start(ctx, storage);
  const sqs = await SqsService.start(ctx, storage);
  sqs.onMessagesSent((queueName, count) => cloudwatch.messagesSent(queueName, count));
  cloudwatch.start(sqs.embedded.store);
  const s3 = await S3Service.start(ctx, storage);
  const faults = options.faults ?? {};
  // Separate streams from one seed, so Lambda's draws do not shift the event sources'.
  const seed = faults.seed ?? Math.floor(Math.random() * 2 ** 31);
  const crashRate = faults.crashRate ?? 0;
  const timeoutRate = faults.timeoutRate ?? 0;
  const duplicateRate = faults.duplicateRate ?? 0;
  const lambda = new LambdaService(ctx, {
    ...(options.functionConcurrency !== undefined ? { defaultConcurrency: options.functionConcurrency } : {}),
    // Accepted Event invocations are kept on disk like queues and tables, so a crash loses none.
    ...(storage.inMemory ? {} : { asyncQueueDir: join(options.dataDir, "lambda") }),
    ...(crashRate > 0 || timeoutRate > 0 ? { faults: { crashRate, timeoutRate, random: seededRandom(seed) } } : {}),
    // Zips named by UpdateFunctionCode (and the CloudFormation engine) are read from S3, unpacked once per content.
    codeStore: new LambdaCodeStore({ s3, ...(storage.inMemory ? {} : { root: join(options.dataDir, "lambda", "code") }) }),
  });
  const eventSources = new SqsEventSourceMappings(ctx, sqs, lambda, {
    ...(duplicateRate > 0 ? { faults: { duplicateRate, random: seededRandom(seed + 1) } } : {}),
  });
  const scheduler = new ScheduleService(ctx, lambda);
  // SNS is fauxqs's, so its topics and subscriptions live (and persist) beside the queues.
  const sns = await SnsService.start(ctx, sqs.embedded, lambda);
  const events = new EventsService(ctx, serviceQueueSender(sqs), lambda, storage);
  // The seed of generated API key values is kept with the data, so saved keys work after a restart.
  const apigateway = new ApiGatewayService(ctx, lambda, storage.inMemory ? {} : { keySeedFile: join(options.dataDir, "apigateway", "api-key-seed") });
  const ssm = new SsmService(ctx, storage);
  const secretsmanager = new SecretsManagerService(ctx, storage);
  const kms = new KmsService(ctx, storage);
  const deployClient = new DynamoDBClient({ endpoint, region: ctx.region, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  // Code of functions deployed from a cloud assembly on this machine: S3 key → unpacked folder.
  const assemblyCode = new Map<string, string>();
  const engine = new StackEngine(
    ctx,
    new StackRecords(storage.inMemory ? undefined : join(options.dataDir, "cloudformation", "stacks.json")),
    {
      ctx,
      dynamodb: deployClient,
      sqs,
      lambda,
      eventSources,
      scheduler,
      s3,
      ssm,
      secretsManager: secretsmanager.vault,
      kms: kms.keys,
      sns,
      events,
      functionCode: (bucket, key) => {
        const folder = assemblyCode.get(key);
        return folder === undefined ? lambda.codeStore.folderFor(bucket, key) : Promise.resolve(folder);
      },
      restApis: { put: (definition) => apigateway.putRestApi(definition), delete: (id) => apigateway.deleteRestApi(id) },
      apiAccess: apigateway.access,
      monitoring: cloudwatch,
    },
    (name) => ssm.getParameter(name),
  );
  const cloudformation = new CloudFormationService(engine, async (bucket, key) => (await s3.getObject(bucket, key)).toString("utf8"));
  const sts = new StsService(ctx);
  const instances: LocalCloudServices = { dynamodb, sqs, lambda, apigateway, cloudformation, sts, s3, ssm, secretsmanager, kms, sns, events, cloudwatch: new CloudWatchService(cloudwatch) };
  // Lambda's event source mapping calls go to the mappings; the rest of its API to the service.
  const lambdaFrontDoor = {
    handle: (request: HttpRequest) => (isEventSourceMappingRequest(request) ? handleEventSourceMappingApi(ctx, eventSources, request) : lambda.handle(request)),
    stop: () => lambda.stop(),
  };
  const services: ServiceTable = { ...instances, lambda: lambdaFrontDoor };

  route = async (request) => {
    const path = request.url.split("?")[0] ?? "";
    // LocalStack's health path too, so a deploy script can wait for either the same way.
    if (path === "/_localcloud/health" || path === "/_localstack/health") {
      const running = Object.fromEntries(Object.keys(services).map((name) => [name, "running"]));
      return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "running", services: running, edition: "localcloud" }) };
    }
    const metrics = ctx.meter && metricsResponse(ctx.meter, request);
    if (metrics) return metrics;
    const consolePage = await liveConsole.handle(request);
    if (consolePage) return consolePage;
    const name = serviceFor(request, (r) => ApiGatewayService.isExecuteApiRequest(r));
    if (!name) return unknownServiceResponse(request);
    return ctx.meter ? meterRequest(ctx.meter, name, request, (r) => services[name].handle(r)) : services[name].handle(request);
  };

  let restored: Promise<void> | undefined;
  const restore = (): Promise<void> => (restored ??= engine.restore());

  return {
    endpoint,
    ctx,
    services: instances,
    monitoring,
    async deploy(assemblyDir) {
      const artifacts = readCloudAssembly(assemblyDir);
      for (const artifact of artifacts) for (const [key, folder] of artifact.assetFolders) assemblyCode.set(key, folder);
      await restore();
      const deployed: DeployedStack[] = [];
      for (const artifact of artifacts) {
        const stack = await engine.deployAndWait({
          stackName: artifact.stackName,
          template: artifact.template,
          templateBody: JSON.stringify(artifact.template),
          parameters: new Map(),
          lenientSsmParameters: true,
        });
        deployed.push(deployedStackOf(stack));
      }
      return deployed;
    },
    restore,
    runSchedules: (ruleName) => scheduler.tick(ruleName),
    async stop() {
      // Stop consuming first, so no batch is cut off by its function or queue vanishing.
      cloudwatch.stop();
      await scheduler.stop();
      await eventSources.stop();
      await lambda.stop();
      await apigateway.stop();
      await events.stop();
      await sns.stop();
      await sqs.stop();
      await s3.stop();
      await dynamodb.stop();
      await xray.stop();
      deployClient.destroy();
      await server.close();
    },
  };
}
