import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Parameter,
  type Stack,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";

export const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** A client for the local cloud's endpoint, as the CDK CLI and the aws CLI are. */
export function cloudFormationClient(endpoint: string): CloudFormationClient {
  return new CloudFormationClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

/** Polls DescribeStacks until the stack's status no longer ends in _IN_PROGRESS (REVIEW_IN_PROGRESS excepted). */
export async function settledStack(client: CloudFormationClient, stackName: string, timeoutMs = 30_000): Promise<Stack> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stack = (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    if (stack && !/_IN_PROGRESS$/.test(stack.StackStatus ?? "")) return stack;
    if (Date.now() > deadline) throw new Error(`${stackName} still ${stack?.StackStatus} after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Creates a change set, checks it was made, executes it and waits: what `cdk deploy` does. */
export async function deployWithChangeSet(
  client: CloudFormationClient,
  stackName: string,
  template: unknown,
  options: { type?: "CREATE" | "UPDATE"; parameters?: Parameter[] } = {},
): Promise<Stack> {
  const name = `cs-${Date.now()}`;
  await client.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: name,
      ChangeSetType: options.type ?? "CREATE",
      TemplateBody: typeof template === "string" ? template : JSON.stringify(template),
      Parameters: options.parameters,
    }),
  );
  const described = await client.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: name }));
  if (described.Status !== "CREATE_COMPLETE") throw new Error(`change set ${described.Status}: ${described.StatusReason}`);
  await client.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: name }));
  return settledStack(client, stackName);
}

/** Every event of the stack, oldest first. */
export async function stackEvents(client: CloudFormationClient, stackName: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    events.push(...(page.StackEvents ?? []));
    token = page.NextToken;
  } while (token);
  return events.reverse();
}

export const output = (stack: Stack, key: string): string | undefined => stack.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
