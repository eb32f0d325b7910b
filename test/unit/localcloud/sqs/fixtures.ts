import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQSClient } from "@aws-sdk/client-sqs";
import { startHttpServer, type RunningHttpServer } from "../../../../localcloud/http-server.ts";
import { SqsService } from "../../../../localcloud/sqs/index.ts";
import type { CloudContext } from "../../../../localcloud/types.ts";

export interface SqsFixture {
  readonly ctx: CloudContext;
  readonly sqs: SqsService;
  readonly server: RunningHttpServer;
  /** An SDK client pointed at the service's HTTP endpoint. */
  readonly client: SQSClient;
  readonly logs: string[];
  close(): Promise<void>;
}

export function tempDataDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), "sqs-test-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Starts the SQS service behind a loopback server whose URL is the public endpoint, as in the local cloud. */
export async function startSqs(options: { dataDir?: string; accountId?: string; reset?: boolean } = {}): Promise<SqsFixture> {
  const logs: string[] = [];
  let service: SqsService | undefined;
  const server = await startHttpServer(async (request) => {
    if (!service) return { statusCode: 503, body: "starting" };
    return service.handle(request);
  }, { port: 0, host: "127.0.0.1" });
  const ctx: CloudContext = {
    region: "us-east-1",
    accountId: options.accountId ?? "000000000000",
    endpoint: `http://localhost:${server.port}`,
    dataDir: options.dataDir ?? "unused",
    log: (source, line) => logs.push(`${source}: ${line}`),
  };
  const sqs = await SqsService.start(ctx, { inMemory: options.dataDir === undefined, reset: options.reset ?? false });
  service = sqs;
  const client = new SQSClient({ endpoint: server.url, region: ctx.region, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  return {
    ctx,
    sqs,
    server,
    client,
    logs,
    async close() {
      client.destroy();
      await server.close();
      await sqs.stop();
    },
  };
}

/** POSTs a query-protocol (form-encoded) request, as Debian's aws CLI does. */
export async function queryRequest(server: RunningHttpServer, params: Record<string, string>, path = "/"): Promise<{ status: number; xml: XmlElement }> {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams({ Version: "2012-11-05", ...params }).toString(),
  });
  return { status: response.status, xml: parseXml(await response.text()) };
}

export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  readonly text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** A strict little parser for the XML these answers use (elements, text, entities); throws on anything malformed. */
export function parseXml(text: string): XmlElement {
  const body = text.replace(/^<\?xml[^>]*\?>\s*/, "");
  const stack: Array<{ name: string; children: XmlElement[]; text: string }> = [{ name: "#document", children: [], text: "" }];
  const token = /<\/([\w:.-]+)>|<([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < body.length && (match = token.exec(body)) !== null) {
    position = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (match[1] !== undefined) {
      const closed = stack.pop()!;
      if (closed.name !== match[1]) throw new Error(`XML: </${match[1]}> closes <${closed.name}>`);
      stack[stack.length - 1]!.children.push(closed);
    } else if (match[2] !== undefined) {
      const element = { name: match[2], children: [], text: "" };
      if (match[4] === "/") top.children.push(element);
      else stack.push(element);
    } else if (match[5] !== undefined) {
      top.text += match[5].replace(/&(lt|gt|amp|quot|apos);/g, (_all, name: string) => ENTITIES[name] ?? "");
    }
  }
  if (position !== body.length) throw new Error(`XML: cannot parse from offset ${position}`);
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1]!.name}> is never closed`);
  const [root] = stack[0]!.children;
  if (!root || stack[0]!.children.length !== 1) throw new Error("XML: expected exactly one root element");
  return root;
}

/** Elements at a path of names below an element, e.g. find(xml, "ListQueuesResult", "QueueUrl"). */
export function find(element: XmlElement, ...path: string[]): XmlElement[] {
  let current = [element];
  for (const name of path) current = current.flatMap((node) => node.children.filter((child) => child.name === name));
  return current;
}

export function textAt(element: XmlElement, ...path: string[]): string | undefined {
  return find(element, ...path)[0]?.text;
}
