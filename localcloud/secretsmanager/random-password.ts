/**
 * Secrets Manager's password generator, shared by GetRandomPassword and CloudFormation's
 * GenerateSecretString (the same option names in both). Cryptographically random.
 */
import { randomInt } from "node:crypto";
import { InvalidSecretParameterError } from "./errors.ts";

/** Secrets Manager's punctuation set. */
export const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
const UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const NUMBERS = "0123456789";

export interface PasswordOptions {
  /** @default 32 */
  readonly passwordLength?: number;
  /** Characters never to use. @default "" */
  readonly excludeCharacters?: string;
  readonly excludeLowercase?: boolean;
  readonly excludeUppercase?: boolean;
  readonly excludeNumbers?: boolean;
  readonly excludePunctuation?: boolean;
  /** @default false */
  readonly includeSpace?: boolean;
  /** At least one of each letter case, digit and punctuation not excluded. @default true */
  readonly requireEachIncludedType?: boolean;
}

export function generatePassword(options: PasswordOptions = {}): string {
  const length = options.passwordLength ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > 4096) {
    throw new InvalidSecretParameterError(`Password length must be a whole number between 1 and 4096, got ${length}.`);
  }
  const excluded = new Set(options.excludeCharacters ?? "");
  const keep = (characters: string): string => [...characters].filter((c) => !excluded.has(c)).join("");
  // Each class that may appear; a class whose every character is excluded cannot be required.
  const required = [
    options.excludeLowercase ? "" : keep(LOWERCASE),
    options.excludeUppercase ? "" : keep(UPPERCASE),
    options.excludeNumbers ? "" : keep(NUMBERS),
    options.excludePunctuation ? "" : keep(PUNCTUATION),
  ].filter((characters) => characters !== "");
  const alphabet = required.join("") + (options.includeSpace ? keep(" ") : "");
  if (alphabet === "") throw new InvalidSecretParameterError("The options exclude every character: there is nothing to generate a password from.");
  const chosen: string[] = [];
  if (options.requireEachIncludedType ?? true) {
    if (length < required.length) throw new InvalidSecretParameterError(`A password of ${length} characters cannot include each of the ${required.length} required character types.`);
    for (const characters of required) chosen.push(pick(characters));
  }
  while (chosen.length < length) chosen.push(pick(alphabet));
  // Shuffle (Fisher–Yates), so the required characters are not always first.
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chosen[i], chosen[j]] = [chosen[j] as string, chosen[i] as string];
  }
  return chosen.join("");
}

function pick(characters: string): string {
  return characters.charAt(randomInt(characters.length));
}

/**
 * Reads the options as GetRandomPassword and GenerateSecretString name them
 * (`PasswordLength`, `ExcludePunctuation`, …); a template's values may be strings.
 */
export function passwordOptionsFrom(input: Readonly<Record<string, unknown>>): PasswordOptions {
  const flag = (name: string): boolean | undefined => {
    const value = input[name];
    if (value === undefined) return undefined;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    throw new InvalidSecretParameterError(`${name} must be true or false, got ${JSON.stringify(value)}.`);
  };
  const options: Record<string, unknown> = {};
  const length = input["PasswordLength"];
  if (length !== undefined) options.passwordLength = typeof length === "string" && length.trim() !== "" ? Number(length) : length;
  const exclude = input["ExcludeCharacters"];
  if (exclude !== undefined) {
    if (typeof exclude !== "string") throw new InvalidSecretParameterError("ExcludeCharacters must be a string.");
    options.excludeCharacters = exclude;
  }
  for (const [name, option] of [
    ["ExcludeLowercase", "excludeLowercase"],
    ["ExcludeUppercase", "excludeUppercase"],
    ["ExcludeNumbers", "excludeNumbers"],
    ["ExcludePunctuation", "excludePunctuation"],
    ["IncludeSpace", "includeSpace"],
    ["RequireEachIncludedType", "requireEachIncludedType"],
  ] as const) {
    const value = flag(name);
    if (value !== undefined) options[option] = value;
  }
  return options as PasswordOptions;
}
