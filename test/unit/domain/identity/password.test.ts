import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MalformedPasswordHashError, dummyPasswordHash, hashPassword, verifyPassword } from "../../../../domain/identity/password.ts";
import { lockedForSeconds } from "../../../../domain/identity/login-attempts.ts";

describe("password hashes", () => {
  test("scrypt with its parameters and a 16-byte salt; the right password verifies, others do not", async () => {
    const stored = await hashPassword("demo-pass-1");
    const [scheme, n, r, p, salt] = stored.split("$");
    assert.deepEqual([scheme, n, r, p], ["scrypt", "32768", "8", "1"]);
    assert.equal(Buffer.from(salt ?? "", "base64").length, 16);
    assert.equal(await verifyPassword("demo-pass-1", stored), true);
    assert.equal(await verifyPassword("demo-pass-2", stored), false);
    assert.equal(await verifyPassword("", stored), false);
  });

  test("the same password hashes differently each time (salted)", async () => {
    assert.notEqual(await hashPassword("same"), await hashPassword("same"));
  });

  test("the dummy hash is a real hash that no guess matches", async () => {
    assert.equal(await verifyPassword("demo-pass-1", await dummyPasswordHash()), false);
  });

  test("a stored value of another format is an error, not a mismatch", async () => {
    await assert.rejects(verifyPassword("x", "plain-text"), MalformedPasswordHashError);
    await assert.rejects(verifyPassword("x", "scrypt$2$8$1$c2FsdA==$aGFzaA=="), MalformedPasswordHashError);
  });
});

describe("brute-force guard", () => {
  test("five failures within 15 minutes lock until the window ends", () => {
    assert.equal(lockedForSeconds(undefined, 1000), 0);
    assert.equal(lockedForSeconds({ failures: 4, windowStart: 1000 }, 1010), 0);
    assert.equal(lockedForSeconds({ failures: 5, windowStart: 1000 }, 1010), 890);
    assert.equal(lockedForSeconds({ failures: 9, windowStart: 1000 }, 1899), 1);
    assert.equal(lockedForSeconds({ failures: 9, windowStart: 1000 }, 1900), 0);
  });
});
