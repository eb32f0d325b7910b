/**
 * Reads what a Publish or PublishBatch request published from its query-protocol
 * parameters, so deliveries fauxqs does not make (to Lambda) see the same messages.
 */
export interface SnsAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export interface PublishedEntry {
  /** The batch entry's Id; "" for Publish. */
  readonly id: string;
  readonly message: string;
  readonly subject?: string;
  readonly attributes: Record<string, SnsAttribute>;
}

function attributesUnder(params: URLSearchParams, prefix: string): Record<string, SnsAttribute> {
  const attributes: Record<string, SnsAttribute> = {};
  for (let index = 1; params.has(`${prefix}MessageAttributes.entry.${index}.Name`); index++) {
    const entry = `${prefix}MessageAttributes.entry.${index}`;
    const name = params.get(`${entry}.Name`) ?? "";
    const dataType = params.get(`${entry}.Value.DataType`);
    if (!dataType) continue;
    const stringValue = params.get(`${entry}.Value.StringValue`);
    const binaryValue = params.get(`${entry}.Value.BinaryValue`);
    attributes[name] = {
      DataType: dataType,
      ...(stringValue === null ? {} : { StringValue: stringValue }),
      ...(binaryValue === null ? {} : { BinaryValue: binaryValue }),
    };
  }
  return attributes;
}

function entryAt(params: URLSearchParams, prefix: string, id: string): PublishedEntry | undefined {
  const message = params.get(`${prefix}Message`);
  if (message === null) return undefined;
  const subject = params.get(`${prefix}Subject`);
  return { id, message, ...(subject === null ? {} : { subject }), attributes: attributesUnder(params, prefix) };
}

export function publishedEntries(action: string, params: URLSearchParams): PublishedEntry[] {
  if (action === "Publish") {
    const entry = entryAt(params, "", "");
    return entry ? [entry] : [];
  }
  const entries: PublishedEntry[] = [];
  for (let index = 1; params.has(`PublishBatchRequestEntries.member.${index}.Id`); index++) {
    const prefix = `PublishBatchRequestEntries.member.${index}.`;
    const entry = entryAt(params, prefix, params.get(`${prefix}Id`) ?? "");
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Message ids by entry id, read from fauxqs's answer ("" for Publish). */
export function messageIdsOf(action: string, xml: string): Map<string, string> {
  const ids = new Map<string, string>();
  if (action === "Publish") {
    const id = /<MessageId>([^<]+)<\/MessageId>/.exec(xml)?.[1];
    if (id) ids.set("", id);
    return ids;
  }
  const successful = /<Successful>([\s\S]*?)<\/Successful>/.exec(xml)?.[1] ?? "";
  for (const member of successful.matchAll(/<member><Id>([^<]+)<\/Id><MessageId>([^<]+)<\/MessageId><\/member>/g)) {
    if (member[1] && member[2]) ids.set(member[1], member[2]);
  }
  return ids;
}
