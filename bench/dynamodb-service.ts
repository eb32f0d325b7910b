/**
 * `node --import tsx bench/dynamodb-service.ts [orders]`: the local cloud's DynamoDB
 * service alone, called in-process without HTTP, with the requests one order makes in
 * the shapes the functions send them (accept transaction, profile read, fill transaction,
 * events query, valuation, notified mark), ten orders at a time. Prints this process's
 * CPU per order, the service's own cost without the front door or the SDK.
 */
import type { HttpRequest } from "../localcloud/types.ts";
import { DynamoDbService } from "../localcloud/dynamodb/index.ts";

const WARM_UP = 300;
const orders = Number(process.argv[2] ?? 2_000);

const service = await DynamoDbService.start(
  { region: "us-east-1", accountId: "000000000000", endpoint: "http://localhost:4566", dataDir: "", log: () => {} },
  { inMemory: true },
);

async function send(operation: string, input: unknown): Promise<void> {
  const request: HttpRequest = {
    method: "POST",
    url: "/",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDB_20120810.${operation}`,
      authorization: "AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
      "x-amz-date": "20261202T000000Z",
    },
    body: Buffer.from(JSON.stringify(input)),
  };
  const response = await service.handle(request);
  if (response.statusCode !== 200) throw new Error(`${operation}: ${response.body?.toString() ?? ""}`);
}

const S = (value: string) => ({ S: value });
const N = (value: number) => ({ N: String(value) });
const stringAttributes = (names: string[]) => names.map((AttributeName) => ({ AttributeName, AttributeType: "S" }));
const keySchema = (hash: string, range?: string) => [{ AttributeName: hash, KeyType: "HASH" }, ...(range ? [{ AttributeName: range, KeyType: "RANGE" }] : [])];

await send("CreateTable", {
  TableName: "transactions",
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: stringAttributes(["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"]),
  KeySchema: keySchema("pk", "sk"),
  GlobalSecondaryIndexes: ["gsi1", "gsi2"].map((name) => ({ IndexName: name, KeySchema: keySchema(`${name}pk`, `${name}sk`), Projection: { ProjectionType: "ALL" } })),
});
await send("CreateTable", { TableName: "users", BillingMode: "PAY_PER_REQUEST", AttributeDefinitions: stringAttributes(["pk"]), KeySchema: keySchema("pk") });
// dynalite marks a table ACTIVE on a zero-delay timer after CreateTable answers.
await new Promise((resolve) => setTimeout(resolve, 50));
for (let user = 0; user < 50; user++) await send("PutItem", { TableName: "users", Item: { pk: S(`user-${user}`), cash: { M: { USD: N(1_000_000) } }, tradeVersion: N(0) } });

async function order(index: number): Promise<void> {
  const pk = S(`ORDER#${index}`), user = S(`user-${index % 50}`), at = S(new Date(1_700_000_000_000 + index).toISOString());
  const order = { pk, sk: S("META"), status: S("ACCEPTED"), userId: user, symbol: S("AAPL"), quantity: N(1 + (index % 7)), gsi1pk: user, gsi1sk: at, gsi2pk: S("OPEN"), gsi2sk: at };
  const notThere = "attribute_not_exists(pk)";
  await send("TransactWriteItems", { TransactItems: [
    { Put: { TableName: "transactions", Item: order, ConditionExpression: notThere } },
    { Put: { TableName: "transactions", Item: { pk, sk: S("EVENT#1"), status: S("ACCEPTED"), at }, ConditionExpression: notThere } },
    { ConditionCheck: { TableName: "users", Key: { pk: user }, ConditionExpression: "attribute_exists(pk)" } },
  ] });
  await send("GetItem", { TableName: "users", Key: { pk: user }, ProjectionExpression: "pk" });
  await send("TransactWriteItems", { TransactItems: [
    { Update: { TableName: "transactions", Key: { pk, sk: S("META") }, UpdateExpression: "SET #status = :filled, fill = :fill, updatedAt = :at", ConditionExpression: "#status = :accepted",
      ExpressionAttributeNames: { "#status": "status" }, ExpressionAttributeValues: { ":filled": S("FILLED"), ":accepted": S("ACCEPTED"), ":fill": { M: { price: N(100.5), quantity: N(3) } }, ":at": at } } },
    { Update: { TableName: "users", Key: { pk: user }, UpdateExpression: "SET cash.#currency = cash.#currency + :delta ADD tradeVersion :one", ConditionExpression: "cash.#currency >= :cost",
      ExpressionAttributeNames: { "#currency": "USD" }, ExpressionAttributeValues: { ":delta": N(-10), ":one": N(1), ":cost": N(10) } } },
    { Put: { TableName: "transactions", Item: { pk, sk: S("EVENT#2"), status: S("FILLED"), at }, ConditionExpression: notThere } },
  ] });
  await send("Query", { TableName: "transactions", KeyConditionExpression: "pk = :pk AND begins_with(sk, :events)", ExpressionAttributeValues: { ":pk": pk, ":events": S("EVENT#") } });
  await send("UpdateItem", { TableName: "users", Key: { pk: user }, UpdateExpression: "SET valuation = :valuation",
    ConditionExpression: "attribute_exists(pk) AND NOT (valuation.tradeVersion > :version OR valuation.tradeVersion = :version AND valuation.valuedAt > :at)",
    ExpressionAttributeValues: { ":valuation": { M: { tradeVersion: N(index), valuedAt: at, total: N(123.45) } }, ":version": N(index), ":at": at } });
  await send("UpdateItem", { TableName: "transactions", Key: { pk, sk: S("META") }, UpdateExpression: "SET notifiedAt = :at REMOVE gsi2pk, gsi2sk",
    ConditionExpression: "#status IN (:filled, :rejected) AND attribute_not_exists(notifiedAt)",
    ExpressionAttributeNames: { "#status": "status" }, ExpressionAttributeValues: { ":at": at, ":filled": S("FILLED"), ":rejected": S("REJECTED") } });
}

let next = 0;
async function run(count: number): Promise<void> {
  const end = next + count;
  while (next < end) {
    const batch: Promise<void>[] = [];
    while (batch.length < 10 && next < end) batch.push(order(next++));
    await Promise.all(batch);
  }
}

await run(WARM_UP);
const before = process.cpuUsage();
await run(orders);
const cpu = process.cpuUsage(before);
console.log(`${orders} orders, 7 requests each: ${((cpu.user + cpu.system) / 1_000 / orders).toFixed(2)} ms of CPU per order`);
await service.stop();
