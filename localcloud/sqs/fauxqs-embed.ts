import { buildApp } from "fauxqs";

/** The parts of fauxqs's queue store this service relies on (fauxqs exports only its entry point). */
export interface FauxqsQueue {
  readonly name: string;
  readonly arn: string;
  readonly attributes: Record<string, string>;
  persistence?: unknown;
}

export interface FauxqsStore {
  host: string;
  region?: string;
  persistence?: unknown;
  allQueues(): Iterable<FauxqsQueue>;
  getQueueByName(name: string): FauxqsQueue | undefined;
  shutdown(): void;
}

interface Persistence {
  loadSqsAndSns(sqsStore: unknown, snsStore: unknown): void;
  close(): void;
}

type Constructor<T> = new (...args: never[]) => T;
type PersistenceConstructor = new (dataDir: string) => Persistence;

/** Loads a module of fauxqs's dist folder that its package exports do not list. */
async function internal<T>(relativePath: string, exportName: string): Promise<T> {
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
  /** Port of its loopback listener; in-process calls name it as their Host. */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Builds fauxqs the way its `startFauxqs` does, but listens on 127.0.0.1 only
 * (startFauxqs always binds 0.0.0.0). With a dataDir, queues and messages are
 * written through to SQLite and loaded again on the next start.
 */
export async function embedFauxqs(options: { region: string; dataDir?: string }): Promise<EmbeddedFauxqs> {
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
  const stores = { sqsStore, snsStore, s3Store: new S3Store() } as unknown as NonNullable<Parameters<typeof buildApp>[0]>["stores"];
  const app = buildApp({ logger: false, defaultRegion: options.region, stores });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    app,
    store: sqsStore,
    port,
    async close() {
      await app.close();
      persistence?.close();
    },
  };
}
