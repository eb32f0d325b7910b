/**
 * The local cloud as a child process in its own process group, so `kill -9`
 * takes down the CLI and everything it started, exactly like a crashed host.
 * Its output goes straight to a log file (appended across restarts), which
 * survives the kill and is read afterwards for the notification lines.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

export const CHAOS_FLAGS = ["--chaos-crash-rate", "--chaos-timeout-rate", "--chaos-duplicate-rate", "--chaos-seed"] as const;

/** Which of the fault flags this local cloud knows (the CLI rejects unknown flags). */
export function supportedChaosFlags(): string[] {
  const help = execFileSync(process.execPath, ["--import", "tsx", "localcloud/cli.ts", "--help"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return CHAOS_FLAGS.filter((flag) => help.includes(flag));
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export interface CloudProcessOptions {
  readonly port: number;
  readonly dataDir: string;
  /** Holds cdk-outputs.json; the seed step runs here so it reads this run's outputs. */
  readonly workDir: string;
  readonly logFile: string;
  /** The local cloud's fault flags (`--chaos-…`), passed on every start that asks for faults. */
  readonly faultArgs: readonly string[];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export class CloudProcess {
  private child: ChildProcess | undefined;
  private readonly projectDir = process.cwd();

  constructor(private readonly options: CloudProcessOptions) {}

  get outputsFile(): string {
    return join(this.options.workDir, "cdk-outputs.json");
  }

  /**
   * Starts on an assembly and resolves once the CLI prints "ready in" (fails after timeoutMs or if it exits).
   * A restart works off what the previous run left first; with other work on the same cores that took over 90 s.
   */
  async start(assembly: string, label: string, { faults = true, timeoutMs = 180_000 } = {}): Promise<number> {
    if (this.child) throw new Error("the local cloud is already running");
    const started = Date.now();
    this.note(`=== chaos: start (${label}) on ${assembly}`);
    const offset = statSync(this.options.logFile).size;
    const tsx = join(this.projectDir, "node_modules", ".bin", "tsx");
    const seed = `cd '${this.options.workDir}' && '${tsx}' '${join(this.projectDir, "scripts", "seed-users.ts")}'`;
    // This Node with tsx's loader, not npx: starting npx costs over a second, and the cloud is restarted four times.
    const args = ["--import", "tsx", "localcloud/cli.ts", "--no-synth", "--assembly", assembly, "--data-dir", this.options.dataDir, "--port", String(this.options.port),
      "--outputs-file", this.outputsFile, "--no-color", "--after-deploy", seed, ...(faults ? this.options.faultArgs : [])];
    const fd = openSync(this.options.logFile, "a");
    const child = spawn(process.execPath, args, { cwd: this.projectDir, detached: true, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    this.child = child;
    let exited: number | null | undefined;
    child.on("exit", (code) => {
      exited = code;
      if (this.child === child) this.child = undefined;
    });
    while (Date.now() - started < timeoutMs) {
      await sleep(250);
      if (readFileSync(this.options.logFile, "utf8").slice(offset).includes("ready in ")) return Date.now() - started;
      if (exited !== undefined) throw new Error(`the local cloud exited with ${exited} while starting (${label}); see ${this.options.logFile}`);
    }
    throw new Error(`the local cloud was not ready within ${timeoutMs} ms (${label})`);
  }

  /** SIGKILL to the whole process group: no shutdown hooks, no flushing. */
  async kill9(): Promise<void> {
    this.note("=== chaos: kill -9");
    await this.signalAndWait("SIGKILL", 10_000);
  }

  /** A graceful stop (SIGTERM), escalated to SIGKILL if it takes too long. */
  async stop(): Promise<void> {
    if (!this.child) return;
    this.note("=== chaos: stop");
    if (!(await this.signalAndWait("SIGTERM", 15_000))) await this.signalAndWait("SIGKILL", 10_000);
  }

  /** For exit handlers: synchronous, best effort. */
  killNow(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  /** Signals the group and waits until no process of it is left (the data folder's locks are free then). */
  private async signalAndWait(signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
    const pid = this.child?.pid;
    if (pid === undefined) return true;
    const groupAlive = (): boolean => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
    const deadline = Date.now() + timeoutMs;
    while (groupAlive() && Date.now() < deadline) await sleep(100);
    if (groupAlive()) return false;
    this.child = undefined;
    return true;
  }

  private note(line: string): void {
    const fd = openSync(resolve(this.options.logFile), "a");
    writeSync(fd, `${line} ${new Date().toISOString()}\n`);
    closeSync(fd);
  }
}
