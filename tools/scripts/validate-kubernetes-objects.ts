/**
 * Reads a JSON array of Kubernetes objects on stdin and prints a JSON array of validation errors (empty
 * when every object is valid) against the API schemas that the kubernetes-models package compiles.
 * A separate process because kubernetes-models is ESM-only, which Jest's CommonJS runtime cannot load;
 * tools/test/kubernetes.test.ts runs it.
 */
import { readFileSync } from 'node:fs';

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

type ModelModule = Record<string, new (data: unknown) => { validate(): void }>;

async function validate(object: KubernetesObject): Promise<string | undefined> {
  const name = `${object.kind}/${object.metadata?.name ?? '?'}`;
  let module: ModelModule;
  try {
    module = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`)) as ModelModule;
  } catch {
    return `${name}: no schema for apiVersion ${object.apiVersion}, kind ${object.kind}`;
  }
  const Model = module[object.kind];
  if (!Model) return `${name}: kubernetes-models/${object.apiVersion} has no ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return `${name}: ${(error as Error).message}`;
  }
}

async function main(): Promise<void> {
  const objects = JSON.parse(readFileSync(0, 'utf8')) as KubernetesObject[];
  const errors = (await Promise.all(objects.map(validate))).filter((error): error is string => error !== undefined);
  process.stdout.write(JSON.stringify(errors));
}

void main();
