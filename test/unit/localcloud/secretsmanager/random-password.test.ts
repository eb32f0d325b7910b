/** The password generator behind GetRandomPassword and GenerateSecretString, over random options. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { generatePassword, InvalidSecretParameterError, type PasswordOptions, PUNCTUATION } from "../../../../localcloud/secretsmanager/index.ts";

const CLASSES = {
  lowercase: "abcdefghijklmnopqrstuvwxyz",
  uppercase: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  numbers: "0123456789",
  punctuation: PUNCTUATION,
} as const;
const ALL = Object.values(CLASSES).join("") + " ";

const options = fc.record(
  {
    passwordLength: fc.integer({ min: 1, max: 80 }),
    excludeCharacters: fc.string({ unit: fc.constantFrom(...ALL), maxLength: 20 }),
    excludeLowercase: fc.boolean(),
    excludeUppercase: fc.boolean(),
    excludeNumbers: fc.boolean(),
    excludePunctuation: fc.boolean(),
    includeSpace: fc.boolean(),
    requireEachIncludedType: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** The classes the options leave at least one character of. */
function includedClasses(o: PasswordOptions): string[] {
  const excluded = new Set(o.excludeCharacters ?? "");
  const keep = (characters: string) => [...characters].filter((c) => !excluded.has(c)).join("");
  return [
    o.excludeLowercase ? "" : keep(CLASSES.lowercase),
    o.excludeUppercase ? "" : keep(CLASSES.uppercase),
    o.excludeNumbers ? "" : keep(CLASSES.numbers),
    o.excludePunctuation ? "" : keep(CLASSES.punctuation),
  ].filter((characters) => characters !== "");
}

describe("generated passwords", () => {
  test("have the length asked for, only allowed characters, and one of each included type when required", () => {
    fc.assert(
      fc.property(options, (o) => {
        const classes = includedClasses(o);
        const spaceAllowed = o.includeSpace === true && !(o.excludeCharacters ?? "").includes(" ");
        const length = o.passwordLength ?? 32;
        const requireEach = o.requireEachIncludedType ?? true;
        if ((classes.length === 0 && !spaceAllowed) || (requireEach && length < classes.length)) {
          assert.throws(() => generatePassword(o), InvalidSecretParameterError);
          return;
        }
        const password = generatePassword(o);
        assert.equal(password.length, length);
        const allowed = classes.join("") + (spaceAllowed ? " " : "");
        for (const character of password) assert.ok(allowed.includes(character), `${JSON.stringify(character)} is not allowed by ${JSON.stringify(o)}`);
        if (requireEach) for (const characters of classes) assert.ok([...password].some((c) => characters.includes(c)), `no character of ${characters} in ${password}`);
      }),
      { numRuns: 500 },
    );
  });

  test("the default is 32 characters of all four types, and two passwords differ", () => {
    const password = generatePassword();
    assert.equal(password.length, 32);
    for (const characters of Object.values(CLASSES)) assert.ok([...password].some((c) => characters.includes(c)));
    assert.notEqual(generatePassword(), password);
  });

  test("a length outside 1–4096 is refused", () => {
    for (const passwordLength of [0, 4097, 1.5]) assert.throws(() => generatePassword({ passwordLength }), InvalidSecretParameterError);
  });
});
