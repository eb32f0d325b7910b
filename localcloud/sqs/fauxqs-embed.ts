import { buildApp } from "fauxqs";

/** The parts of fauxqs's queue store this service relies on (fauxqs exports only its entry point). */
export interface FauxqsQueue {
  readonly name: string;
  readonly arn: string;
  readonly attributes: Record<string, string>;
  persistence?: unknown;
  /** Any attribute GetQueueAttributes answers, the approximate counts included. */
  getAttribute(name: string): string | undefined;
  /** Resolves when a message may be available or after the wait; takes nothing off the queue. */
  waitForMessages(waitTimeSeconds: number): Promise<void>;
}

export interface FauxqsStore {
  host: string;
  region?: string;
  persistence?: unknown;
  allQueues(): Iterable<FauxqsQueue>;
  getQueueByName(name: string): FauxqsQueue | undefined;
  shutdown(): void;
}

/** The parts of fauxqs's S3 store the local cloud's S3 service calls in-process. */
export interface FauxqsS3Store {
  createBucket(name: string): void;
  hasBucket(name: string): boolean;
  deleteBucket(name: string): void;
  putObject(bucket: string, key: string, body: Buffer, contentType?: string): unknown;
  getObject(bucket: string, key: string): { readonly body: Buffer };
}

interface Persistence {
  loadSqsAndSns(sqsStore: unknown, snsStore: unknown): void;
  close(): void;
}

interface S3Persistence {
  loadS3(s3Store: unknown): void;
  close(): void;
}

type Constructor<T> = new (...args: never[]) => T;
type PersistenceConstructor = new (dataDir: string) => Persistence;
type S3PersistenceConstructor = new (baseDir: string) => S3Persistence;

/** fauxqs's SNS store: topics and subscriptions, written through to its SQLite with the queues. */
export interface FauxqsSnsStore {
  getTopic(arn: string): FauxqsTopic | undefined;
  getSubscription(arn: string): FauxqsSubscription | undefined;
}

export interface FauxqsTopic {
  readonly arn: string;
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly subscriptionArns: readonly string[];
}

export interface FauxqsSubscription {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly attributes: Record<string, string>;
}

/** Loads a module of fauxqs's dist folder that its package exports do not list. */
export async function internal<T>(relativePath: string, exportName: string): Promise<T> {
  const entry = import.meta.resolve("fauxqs");
  const module = (await import(new URL(relativePath, entry).href)) as Record<string, unknown>;
  const value = module[exportName];
  if (typeof value !== "function") throw new Error(`fauxqs no longer exports ${exportName} from ${relativePath}`);
  return value as T;
}

export type FauxqsApp = ReturnType<typeof buildApp>;

export interface EmbeddedFauxqs {
  readonly app: FauxqsApp;
  readonly store: FauxqsStore;
  readonly s3Store: FauxqsS3Store;
  readonly snsStore: FauxqsSnsStore;
  /** Port of its loopback listener; in-process calls name it as their Host. */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Builds fauxqs the way its `startFauxqs` does, but listens on 127.0.0.1 only
 * (startFauxqs always binds 0.0.0.0). With a dataDir, queues and messages are
 * written through to SQLite and loaded again on the next start; with an s3DataDir,
 * buckets and objects are kept as files there (fauxqs's FileS3Persistence).
 */
export async function embedFauxqs(options: { region: string; dataDir?: string; s3DataDir?: string }): Promise<EmbeddedFauxqs> {
  const SqsStore = await internal<Constructor<FauxqsStore>>("./sqs/sqsStore.js", "SqsStore");
  const SnsStore = await internal<Constructor<object>>("./sns/snsStore.js", "SnsStore");
  const S3Store = await internal<Constructor<object>>("./s3/s3Store.js", "S3Store");
  const sqsStore = new SqsStore();
  const snsStore = new SnsStore();
  let persistence: Persistence | undefined;
  if (options.dataDir !== undefined) {
    const PersistenceManager = await internal<PersistenceConstructor>("./persistence.js", "PersistenceManager");
    persistence = new PersistenceManager(options.dataDir);
    // Load before wiring persistence in, or loading would write every row back.
    persistence.loadSqsAndSns(sqsStore, snsStore);
    sqsStore.persistence = persistence;
    (snsStore as { persistence?: unknown }).persistence = persistence;
    for (const queue of sqsStore.allQueues()) queue.persistence = persistence;
  }
  const s3Store = new S3Store() as FauxqsS3Store & { persistence?: unknown };
  let s3Persistence: S3Persistence | undefined;
  if (options.s3DataDir !== undefined) {
    const FileS3Persistence = await internal<S3PersistenceConstructor>("./s3/fileS3Persistence.js", "FileS3Persistence");
    s3Persistence = new FileS3Persistence(options.s3DataDir);
    s3Persistence.loadS3(s3Store);
    s3Store.persistence = s3Persistence;
  }
  const stores = { sqsStore, snsStore, s3Store } as unknown as NonNullable<Parameters<typeof buildApp>[0]>["stores"];
  const app = buildApp({ logger: false, defaultRegion: options.region, stores });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    app,
    store: sqsStore,
    s3Store,
    snsStore: snsStore as FauxqsSnsStore,
    port,
    async close() {
      await app.close();
      persistence?.close();
      s3Persistence?.close();
    },
  };
}
