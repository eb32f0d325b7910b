/** Unpacking function zips: once per content, never outside the code folder. */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { InvalidCodeZipError, LambdaCodeStore } from "../../../../localcloud/lambda/code-store.ts";

describe("LambdaCodeStore", () => {
  const root = mkdtempSync(join(tmpdir(), "code-store-test-"));
  const objects = new Map<string, Buffer>();
  const store = new LambdaCodeStore({ root, s3: { getObject: async (bucket, key) => objects.get(`${bucket}/${key}`) ?? assert.fail(`no ${key}`) } });

  after(() => rmSync(root, { recursive: true, force: true }));

  test("a zip in S3 is unpacked into a folder named by its content, which the same zip reuses", async () => {
    const zip = Buffer.from(zipSync({ "index.js": strToU8("exports.handler = 1;"), "lib/util.js": strToU8("module.exports = 2;") }));
    objects.set("assets/a.zip", zip);
    objects.set("assets/copy-of-a.zip", zip);

    const folder = await store.folderFor("assets", "a.zip");

    assert.equal(readFileSync(join(folder, "index.js"), "utf8"), "exports.handler = 1;");
    assert.equal(readFileSync(join(folder, "lib", "util.js"), "utf8"), "module.exports = 2;");
    assert.equal(await store.folderFor("assets", "copy-of-a.zip"), folder);
    assert.notEqual(await store.folderForZip(Buffer.from(zipSync({ "index.js": strToU8("exports.handler = 3;") }))), folder);
  });

  test("an entry that climbs out of the folder, or bytes that are no zip, are refused", async () => {
    const escaping = Buffer.from(zipSync({ "../escaped.js": strToU8("x") }));

    await assert.rejects(store.folderForZip(escaping), InvalidCodeZipError);
    assert.equal(existsSync(join(root, "..", "escaped.js")), false);
    await assert.rejects(store.folderForZip(Buffer.from("not a zip")), InvalidCodeZipError);
  });

  test("without a root the folder is temporary and dispose() removes it", async () => {
    const temporary = new LambdaCodeStore();
    const folder = await temporary.folderForZip(Buffer.from(zipSync({ "index.js": strToU8("1") })));
    assert.ok(existsSync(folder));

    temporary.dispose();

    assert.equal(existsSync(folder), false);
  });
});
