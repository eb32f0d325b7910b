import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A CloudFormation template, loosely typed: the deployer reads only what it emulates. */
export interface Template {
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Description?: string; Condition?: string; Export?: { Name: unknown } }>;
  readonly Description?: string;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
  /** "Delete" (default), "Retain", "RetainExceptOnCreate" or "Snapshot". */
  readonly DeletionPolicy?: string;
}

export interface StackArtifact {
  /** The stack's name as CloudFormation would know it, e.g. "Brokerage". */
  readonly stackName: string;
  readonly template: Template;
  /** S3 object key of a file asset ("<hash>.zip") → its unpacked folder in the assembly. */
  readonly assetFolders: ReadonlyMap<string, string>;
}

interface Manifest {
  artifacts?: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string }; dependencies?: string[] }>;
}

interface AssetManifest {
  files?: Record<string, { source: { path: string; packaging?: string }; destinations: Record<string, { objectKey: string }> }>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** Reads every stack of a synthesized cloud assembly (`cdk.out`). */
export function readCloudAssembly(assemblyDir: string): StackArtifact[] {
  const manifest = readJson<Manifest>(join(assemblyDir, "manifest.json"));
  const artifacts = manifest.artifacts ?? {};
  const assetFolders = new Map<string, string>();
  for (const artifact of Object.values(artifacts)) {
    if (artifact.type !== "cdk:asset-manifest") continue;
    const file = (artifact.properties as { file?: string } | undefined)?.file;
    if (!file) continue;
    const assets = readJson<AssetManifest>(join(assemblyDir, file));
    for (const asset of Object.values(assets.files ?? {})) {
      for (const destination of Object.values(asset.destinations)) {
        assetFolders.set(destination.objectKey, join(assemblyDir, asset.source.path));
      }
    }
  }
  const stacks: StackArtifact[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type !== "aws:cloudformation:stack" || !artifact.properties?.templateFile) continue;
    stacks.push({
      stackName: artifact.properties.stackName ?? id,
      template: readJson<Template>(join(assemblyDir, artifact.properties.templateFile)),
      assetFolders,
    });
  }
  return stacks;
}
