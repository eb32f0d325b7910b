type Release = () => void;

interface Waiter {
  readonly exclusive: boolean;
  readonly grant: () => void;
}

/**
 * A readers–writer lock granted in arrival order: readers that queue behind a
 * waiting writer wait for it, so a steady stream of reads cannot starve a transaction.
 */
export class ReadWriteLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Waiter[] = [];

  async withShared<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(false);
    try {
      return await work();
    } finally {
      release();
    }
  }

  async withExclusive<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(true);
    try {
      return await work();
    } finally {
      release();
    }
  }

  private acquire(exclusive: boolean): Promise<Release> {
    return new Promise<Release>((resolve) => {
      this.queue.push({ exclusive, grant: () => resolve(this.releaser(exclusive)) });
      this.grantWaiting();
    });
  }

  private releaser(exclusive: boolean): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (exclusive) this.writer = false;
      else this.readers -= 1;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    for (let next = this.queue[0]; next !== undefined; next = this.queue[0]) {
      if (this.writer) return;
      if (next.exclusive && this.readers > 0) return;
      this.queue.shift();
      if (next.exclusive) this.writer = true;
      else this.readers += 1;
      next.grant();
      if (next.exclusive) return;
    }
  }
}
