import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './service-configs';

/** The parts of Kubernetes objects the checks read; the validator checks the rest against the API schemas. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export const overlays = ['dev', 'prod'] as const;

/** `kubectl kustomize deploy/overlays/<name>`: what `kubectl apply -k` would send. */
export function renderOverlay(overlay: string): KubernetesObject[] {
  const text = execFileSync('kubectl', ['kustomize', path.join(repoRoot, 'deploy', 'overlays', overlay)], { encoding: 'utf8' });
  return parseYamlObjects(text);
}

function parseYamlObjects(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

export function secretTemplates(): KubernetesObject[] {
  return parseYamlObjects(readFileSync(path.join(repoRoot, 'deploy', 'secrets', 'secrets.template.yaml'), 'utf8'));
}

/** Validation errors against the Kubernetes API schemas (kubernetes-models), one string per invalid object. */
export function validateObjects(objects: KubernetesObject[]): string[] {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const script = path.join(repoRoot, 'tools', 'scripts', 'validate-kubernetes-objects.ts');
  return JSON.parse(execFileSync(tsx, [script], { input: JSON.stringify(objects), encoding: 'utf8' })) as string[];
}

/** Does a label selector (matchLabels only: all the manifests use) select these labels? Empty selects all. */
export function selects(selector: { matchLabels?: Record<string, string> } | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}
