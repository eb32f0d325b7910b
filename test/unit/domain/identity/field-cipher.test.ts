import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InMemoryFieldCipher } from "../../../../adapters/in-memory-field-cipher.ts";
import { FieldDecryptionError } from "../../../../adapters/identity-ports.ts";

const ana = { purpose: "personal-data", userId: "1" } as const;

describe("envelope field encryption (in-memory master key)", () => {
  test("round-trips, never shows the plaintext and differs each time", async () => {
    const cipher = new InMemoryFieldCipher();
    const first = await cipher.encrypt("ana.souza@example.com", ana);
    assert.doesNotMatch(first, /ana|example/);
    assert.notEqual(first, await cipher.encrypt("ana.souza@example.com", ana));
    assert.equal(await cipher.decrypt(first, ana), "ana.souza@example.com");
  });

  test("another user's context, an altered value or another master key cannot decrypt", async () => {
    const cipher = new InMemoryFieldCipher();
    const sealed = await cipher.encrypt("ana.souza@example.com", ana);
    await assert.rejects(cipher.decrypt(sealed, { purpose: "personal-data", userId: "2" }), FieldDecryptionError);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("x" + Buffer.from(parts[3] ?? "", "base64url").toString("latin1")).toString("base64url");
    await assert.rejects(cipher.decrypt(parts.join("."), ana), FieldDecryptionError);
    await assert.rejects(new InMemoryFieldCipher().decrypt(sealed, ana), FieldDecryptionError);
    await assert.rejects(cipher.decrypt("not-encrypted@example.com", ana), FieldDecryptionError);
  });
});
