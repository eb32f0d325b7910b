import type { EnvName } from "./env-names.ts";

export class MissingEnvironmentError extends Error {
  override readonly name = "MissingEnvironmentError";
}

/** Reads a variable the function cannot run without; throws naming it. Call at module load. */
export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") throw new MissingEnvironmentError(`environment variable ${name} is not set`);
  return value;
}

export function envOr(name: EnvName, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value.trim() === "" ? fallback : value;
}

/** A numeric variable with a default; a value that is not a number is an error naming the variable. */
export function numberEnvOr(name: EnvName, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new MissingEnvironmentError(`environment variable ${name} is not a number: "${raw}"`);
  return value;
}
