/**
 * Contracts shared by the local cloud's services. The local cloud knows nothing
 * of the brokerage: it runs whatever the synthesized template describes.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { TraceSegmentView } from "./monitoring/monitoring-view.ts";
import type { UsageMeter } from "./metering/usage-meter.ts";

/**
 * Where a line of output came from (a function's display name, "sqs", "deploy", …) and the line;
 * for a function's line, the log stream of the sandbox that wrote it (one invocation at a time).
 */
export type LogSink = (source: string, line: string, stream?: string) => void;

export interface CloudContext {
  /** Region every service pretends to be in, e.g. "us-east-1". */
  readonly region: string;
  /** Account id every ARN uses, e.g. "000000000000" (LocalStack's). */
  readonly accountId: string;
  /** Public URL of the single endpoint, e.g. "http://localhost:4566". */
  readonly endpoint: string;
  /** Folder for persisted state; each service uses its own sub-folder. */
  readonly dataDir: string;
  readonly log: LogSink;
  /** Counts the calls made, as AWS would bill them (`GET /_localcloud/metrics`). */
  readonly meter?: UsageMeter;
  /** Told of every finished invocation (CloudWatch's AWS/Lambda metrics). */
  readonly invocations?: InvocationObserver;
  /** X-Ray: where the functions send segments, and where the cloud records its own. */
  readonly tracing?: TraceRecorder;
}

export interface TraceRecorder {
  /** "127.0.0.1:<port>" of the UDP listener, the sandboxes' AWS_XRAY_DAEMON_ADDRESS. */
  readonly daemonAddress: string;
  /** Whether a request to this entry point (a function's name, an API stage) is traced. */
  sample(entryPoint: string): boolean;
  record(segment: TraceSegmentView): void;
}

export interface InvocationObserver {
  invocationRan(functionName: string, durationMs: number, failed: boolean): void;
}

/** One HTTP request, already read in full; services are testable without a socket. */
export interface HttpRequest {
  readonly method: string;
  /** Path plus query string as received, e.g. "/_aws/execute-api/abc/prod/users/1?x=1". */
  readonly url: string;
  /** Lower-case header names, as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The client's address, for `requestContext.identity.sourceIp`. */
  readonly sourceIp?: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: Buffer | string;
}

/** A service mounted behind the gateway. */
export interface Service {
  handle(request: HttpRequest): Promise<HttpResponse>;
  stop(): Promise<void>;
}

/** What a function looks like once the deployer has read it from the template. */
export interface FunctionConfig {
  /** Physical name, e.g. "Brokerage-ValidateOrder-1A2B3C". */
  readonly functionName: string;
  /** Short readable name used as the log prefix, e.g. "validate-order". */
  readonly displayName: string;
  /** Folder holding the unzipped bundle (the cdk.out asset folder). */
  readonly codeDir: string;
  /** "file.export", e.g. "index.handler". */
  readonly handler: string;
  /** e.g. "nodejs22.x". */
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  /** "x86_64" or "arm64" (the template's Architectures); priced differently. @default "x86_64" */
  readonly architecture?: string;
  /** The template's environment; the runtime adds region, credentials and endpoint. */
  readonly environment: Readonly<Record<string, string>>;
  /** Most instances at once; undefined means the runtime's default. */
  readonly reservedConcurrency?: number;
  /** The template's Description. @default "" */
  readonly description?: string;
  /** TracingConfig.Mode: "Active" traces every invocation, "PassThrough" only those a caller traced. @default "PassThrough" */
  readonly tracingMode?: string;
}

export interface InvokeResult {
  /** 200 for RequestResponse, 202 for Event. */
  readonly statusCode: number;
  /** The handler's return value as JSON (or the error object when functionError is set). */
  readonly payload: string;
  /** "Unhandled" when the handler threw, timed out or crashed, as Lambda reports it. */
  readonly functionError?: string;
}

export type InvocationType = "RequestResponse" | "Event";

export interface LambdaInvoker {
  /** `traceHeader`: the caller's X-Ray trace (`Root=…;Parent=…;Sampled=1`), if it traces. */
  invoke(functionName: string, payload: string, options?: { invocationType?: InvocationType; traceHeader?: string }): Promise<InvokeResult>;
}

/** An SQS event-source mapping as the template declares it. */
export interface SqsEventSourceConfig {
  readonly uuid: string;
  readonly functionName: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
  /** ScalingConfig.MaximumConcurrency, if set. */
  readonly maximumConcurrency?: number;
}

/** A REST API (API Gateway v1) as the deployer read it from the template. */
export interface RestApiDefinition {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly createdDate: Date;
  readonly stages: readonly string[];
  /** Stages with X-Ray tracing enabled (the Stage's TracingEnabled). @default none */
  readonly tracedStages?: readonly string[];
  readonly resources: readonly ApiResource[];
  /** The API's Lambda authorizers (AWS::ApiGateway::Authorizer). @default none */
  readonly authorizers?: readonly ApiAuthorizer[];
}

/** An AWS::ApiGateway::Authorizer as the deployer read it. */
export interface ApiAuthorizer {
  readonly id: string;
  readonly name: string;
  /** "TOKEN", "REQUEST" or "COGNITO_USER_POOLS" (the last is not run). */
  readonly type: string;
  /** e.g. "method.request.header.Authorization"; comma-separated for REQUEST. */
  readonly identitySource?: string;
  /** TOKEN only: a token that does not match is refused with 401 before the function runs. */
  readonly identityValidationExpression?: string;
  /** 0 turns caching off. */
  readonly resultTtlSeconds: number;
  readonly authorizerUri?: string;
  /** The physical name of the authorizer function, taken from the URI. */
  readonly functionName?: string;
}

/** An AWS::ApiGateway::ApiKey. */
export interface ApiKeyDefinition {
  readonly id: string;
  readonly name: string;
  /** The secret the client sends in `x-api-key`. */
  readonly value: string;
  readonly enabled: boolean;
  readonly description?: string;
  readonly customerId?: string;
  readonly createdDate: Date;
}

/** An AWS::ApiGateway::UsagePlan: which API stages it covers and the limits it sets per key. */
export interface UsagePlanDefinition {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly apiStages: readonly { readonly apiId: string; readonly stage: string }[];
  /** Token bucket per key and stage: capacity burstLimit, refilled at rateLimit per second. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly quota?: { readonly limit: number; readonly period: "DAY" | "WEEK" | "MONTH"; readonly offset: number };
  readonly createdDate: Date;
}

export interface ApiResource {
  readonly id: string;
  /** Undefined for the root resource. */
  readonly parentId?: string;
  /** Undefined for the root resource; "{userId}" for a path parameter, "{proxy+}" for greedy. */
  readonly pathPart?: string;
  /** Full path, "/" for the root, e.g. "/users/{userId}/transactions". */
  readonly path: string;
  /** Keyed by HTTP method ("GET", "POST", "ANY", …). */
  readonly methods: Readonly<Record<string, ApiMethod>>;
}

export interface ApiMethod {
  readonly httpMethod: string;
  readonly authorizationType: string;
  readonly apiKeyRequired: boolean;
  /** For authorizationType CUSTOM: the id of one of the API's authorizers. */
  readonly authorizerId?: string;
  readonly integration?: {
    /** "AWS_PROXY", "MOCK", … */
    readonly type: string;
    readonly httpMethod?: string;
    readonly uri?: string;
    /** For AWS_PROXY to Lambda: the physical function name taken from the URI. */
    readonly functionName?: string;
    /** Integration request templates by content type; a MOCK's gives its status code, e.g. `{ statusCode: 200 }`. */
    readonly requestTemplates?: Readonly<Record<string, string>>;
    /** How the integration's answer becomes the method's response (MOCK uses these). */
    readonly integrationResponses?: readonly ApiIntegrationResponse[];
  };
}

/** One IntegrationResponses entry of an API Gateway method, as in the template. */
export interface ApiIntegrationResponse {
  readonly statusCode: string;
  /** A regular expression over the integration's status code; absent for the default response. */
  readonly selectionPattern?: string;
  /** `method.response.header.<Name>` → `'literal'` or `method.request.<header|querystring|path>.<name>`. */
  readonly responseParameters?: Readonly<Record<string, string>>;
  /** Response templates by content type. */
  readonly responseTemplates?: Readonly<Record<string, string>>;
}
