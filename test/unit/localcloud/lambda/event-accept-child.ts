/**
 * Child process for the kill -9 test: accepts one Event invocation of a function
 * that waits for a release file, says "accepted" once the 202 is back, and then
 * idles until the parent kills it.
 */
import { LambdaService } from "../../../../localcloud/lambda/lambda-service.ts";
import type { CloudContext, FunctionConfig } from "../../../../localcloud/types.ts";

const [configJson, queueDir, payload] = process.argv.slice(2);
if (configJson === undefined || queueDir === undefined || payload === undefined) throw new Error("usage: event-accept-child <config> <dir> <payload>");

const ctx: CloudContext = {
  region: "us-east-1",
  accountId: "000000000000",
  endpoint: "http://localhost:4566",
  dataDir: queueDir,
  log: () => {},
};
const lambda = new LambdaService(ctx, { asyncQueueDir: queueDir });
lambda.createFunction(JSON.parse(configJson) as FunctionConfig);
const result = await lambda.invoke((JSON.parse(configJson) as FunctionConfig).functionName, payload, { invocationType: "Event" });
process.stdout.write(`accepted ${result.statusCode}\n`);
setInterval(() => {}, 60_000);
