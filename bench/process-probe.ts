/**
 * CPU and memory of the process that runs the local cloud: this one when the bench
 * started it, or, for an endpoint on this machine (`npm start`), the process listening
 * on its port, read from /proc (Linux only).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ProcessReading {
  /** CPU time of the whole process so far, all threads, in ms. */
  readonly cpuMs: number;
  /** CPU time of its main thread so far, in ms. */
  readonly mainThreadMs: number;
  readonly rssMb: number;
}

export interface ProcessProbe {
  /** What is measured, for the report: "this process" or "pid N (the endpoint's)". */
  readonly label: string;
  /** Whether the bench's own client runs in the measured process (its CPU is then in the figures). */
  readonly includesClient: boolean;
  /** undefined when the process cannot be read (it stopped, or this is not Linux). */
  read(): ProcessReading | undefined;
}

export function selfProbe(): ProcessProbe {
  return {
    label: "this process",
    includesClient: true,
    read() {
      const all = process.cpuUsage();
      const main = process.threadCpuUsage();
      return { cpuMs: (all.user + all.system) / 1000, mainThreadMs: (main.user + main.system) / 1000, rssMb: process.memoryUsage.rss() / 2 ** 20 };
    },
  };
}

const MS_PER_TICK = 10; // USER_HZ is 100 on Linux
const PAGE_BYTES = 4096;

/** utime + stime of a /proc stat line, in ms. */
function statCpuMs(stat: string): number {
  // The fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

/** Another process on this machine, read from /proc; its main thread is the task with its own id. */
export function pidProbe(pid: number, procRoot = "/proc"): ProcessProbe {
  return {
    label: `pid ${pid} (the endpoint's process)`,
    includesClient: false,
    read() {
      try {
        const cpuMs = statCpuMs(readFileSync(`${procRoot}/${pid}/stat`, "utf8"));
        const mainThreadMs = statCpuMs(readFileSync(`${procRoot}/${pid}/task/${pid}/stat`, "utf8"));
        const residentPages = Number(readFileSync(`${procRoot}/${pid}/statm`, "utf8").split(" ")[1]);
        return { cpuMs, mainThreadMs, rssMb: (residentPages * PAGE_BYTES) / 2 ** 20 };
      } catch {
        return undefined;
      }
    },
  };
}

/** Socket inodes listening on `port`, from /proc/net/tcp and tcp6 (state 0A is LISTEN). */
function listeningInodes(port: number, procRoot: string): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const columns = line.trim().split(/\s+/);
      const local = columns[1];
      if (local === undefined || columns[3] !== "0A") continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 16) === port && columns[9] !== undefined) inodes.add(columns[9]);
    }
  }
  return inodes;
}

/** The process listening on a TCP port of this machine, or undefined (not found, not readable, not Linux). */
export function listeningPid(port: number, procRoot = "/proc"): number | undefined {
  const inodes = listeningInodes(port, procRoot);
  if (inodes.size === 0) return undefined;
  const sockets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (sockets.has(readlinkSync(`${procRoot}/${pid}/fd/${fd}`))) return Number(pid);
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  return undefined;
}

/** The probe for an endpoint: its listening process when it is on this machine. */
export function endpointProbe(endpoint: string): ProcessProbe | undefined {
  const url = new URL(endpoint);
  if (!["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) return undefined;
  const pid = listeningPid(Number(url.port || (url.protocol === "https:" ? 443 : 80)));
  return pid === undefined ? undefined : pidProbe(pid);
}
