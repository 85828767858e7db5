import path from 'node:path';
import ts from 'typescript';
import type { KubernetesObject } from './kubernetes';
import { repoRoot } from './service-configs';

/**
 * Checks objects against the TypeScript declarations of kubernetes-models, one typed constant per object.
 * It complements the JSON Schema validation, which accepts unknown fields: TypeScript's excess-property
 * check on object literals reports a misspelt field (`readinesProbe`) at any depth, which the API server
 * would silently drop.
 */
export function typeCheckObjects(objects: KubernetesObject[]): string[] {
  // A file that is never written: it sits in tools/ only so that node_modules resolution finds the types.
  const file = path.join(repoRoot, 'tools', '__kubernetes-objects__.ts');
  const imports = new Map<string, string>();
  const declarations = objects.map((object, index) => {
    const type = `T${imports.size}`;
    const module = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    if (!imports.has(module)) imports.set(module, type);
    return `export const object${index}: ${imports.get(module)} = ${JSON.stringify(object, null, 1)};`;
  });
  const source = [
    ...[...imports].map(([module, type]) => `import type { I${module.split('/').at(-1)} as ${type} } from '${module}';`),
    ...declarations,
  ].join('\n');

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.fileExists = (name) => name === file || fileExists(name);
  host.getSourceFile = (name, version, onError, create) =>
    name === file ? ts.createSourceFile(name, source, version, true) : getSourceFile(name, version, onError, create);

  const program = ts.createProgram([file], options, host);
  const sourceFile = program.getSourceFile(file);
  return ts.getPreEmitDiagnostics(program, sourceFile).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const line =
      diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
    const index = line < 0 ? -1 : declarationIndexAt(source, line);
    const object = objects[index];
    return `${object ? `${object.kind}/${object.metadata.name}` : '?'}: ${message}`;
  });
}

function declarationIndexAt(source: string, line: number): number {
  const lines = source.split('\n').slice(0, line + 1);
  for (let at = lines.length - 1; at >= 0; at--) {
    const match = /^export const object(\d+):/.exec(lines[at] ?? '');
    if (match) return Number(match[1]);
  }
  return -1;
}
