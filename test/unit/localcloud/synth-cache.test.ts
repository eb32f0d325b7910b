import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { assemblyIsCurrent, recordAssemblySources, sourceFingerprint } from "../../../localcloud/synth-cache.ts";

describe("reusing a synthesized assembly", () => {
  const project = mkdtempSync(join(tmpdir(), "synth-cache-"));
  after(() => rmSync(project, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(join(project, path, ".."), { recursive: true });
    writeFileSync(join(project, path), text);
  };
  write("cdk.json", JSON.stringify({ app: "x", watch: { include: ["lib", "functions"] } }));
  write("lib/stack.ts", "stack v1");
  write("functions/a.ts", "handler v1");
  write("docs/notes.md", "not a source");

  test("the fingerprint changes when a watched source changes, and only then", () => {
    const first = sourceFingerprint(project);
    assert.ok(first);
    write("docs/notes.md", "edited, still not a source");
    assert.equal(sourceFingerprint(project), first);
    write("functions/a.ts", "handler v2");
    assert.notEqual(sourceFingerprint(project), first);
  });

  test("an assembly counts as current only when stamped with the same fingerprint", () => {
    const assembly = join(project, "cdk.out");
    mkdirSync(assembly, { recursive: true });
    writeFileSync(join(assembly, "manifest.json"), "{}");
    const fingerprint = sourceFingerprint(project);
    assert.equal(assemblyIsCurrent(assembly, fingerprint), false, "never stamped");
    recordAssemblySources(assembly, fingerprint);
    assert.equal(assemblyIsCurrent(assembly, fingerprint), true);
    write("lib/stack.ts", "stack v2");
    assert.equal(assemblyIsCurrent(assembly, sourceFingerprint(project)), false, "a source changed");
  });

  test("without a plain watch list nothing is ever reused", () => {
    write("cdk.json", JSON.stringify({ app: "x", watch: { include: ["**/*.ts"] } }));
    assert.equal(sourceFingerprint(project), undefined);
    assert.equal(assemblyIsCurrent(join(project, "cdk.out"), undefined), false);
  });
});
