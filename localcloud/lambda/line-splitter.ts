/** Turns a stream of text chunks into whole lines, keeping a partial last line until it ends. */
export class LineSplitter {
  private partial = "";

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const lines = (this.partial + chunk.toString()).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.emit(line.endsWith("\r") ? line.slice(0, -1) : line);
  }

  /** Emits a last line that never got its newline. */
  flush(): void {
    if (this.partial === "") return;
    const line = this.partial;
    this.partial = "";
    this.emit(line);
  }
}
