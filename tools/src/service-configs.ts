import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface Variable {
  name: string;
  /** Optional at input: the service starts without it (a default applies, or the feature is off). */
  optional: boolean;
  /** The default as an operator writes it (e.g. '20s'), when the schema has one. */
  default?: string;
  enum?: string[];
  description?: string;
}

export interface ServiceConfig {
  /** Folder name under services/, which is also the service's name. */
  service: string;
  schema: z.ZodObject;
  variables: Variable[];
  /** The variable that sets the HTTP port (PORT, or GATEWAY_PORT for the gateway) and its default. */
  port: { variable: string; default: number };
}

/**
 * Every deployable service (a folder under services/ with src/server.ts) and the zod schema of its
 * configuration, found in its src/config.ts. Read at run time, so a service or a variable added on
 * another branch is covered without touching this file.
 */
export function loadServiceConfigs(): ServiceConfig[] {
  return deployableServices().map((service) => {
    const schema = configSchemaOf(service);
    const variables = describeVariables(schema);
    const portVariable = variables.find((variable) => variable.name === 'PORT' || variable.name === `${service.toUpperCase()}_PORT`);
    if (!portVariable?.default)
      throw new Error(`services/${service}/src/config.ts has no PORT (or ${service.toUpperCase()}_PORT) with a default`);
    return { service, schema, variables, port: { variable: portVariable.name, default: Number(portVariable.default) } };
  });
}

function deployableServices(): string[] {
  const dir = path.join(repoRoot, 'services');
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, 'src', 'server.ts')))
    .sort();
}

function configSchemaOf(service: string): z.ZodObject {
  const file = path.join(repoRoot, 'services', service, 'src', 'config.ts');
  // A dynamic require: which services exist is only known at run time.
  const moduleExports = require(file) as Record<string, unknown>;
  const schemas = Object.values(moduleExports).filter((value): value is z.ZodObject => value instanceof z.ZodObject);
  if (schemas.length !== 1) throw new Error(`${file} should export exactly one zod object schema, found ${schemas.length}`);
  return schemas[0] as z.ZodObject;
}

interface JsonSchemaProperty {
  default?: unknown;
  enum?: unknown[];
  description?: string;
}

function describeVariables(schema: z.ZodObject): Variable[] {
  // 'input': what the environment may hold; 'any' for preprocess steps, which have no JSON Schema.
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.keys(schema.shape).map((name) => {
    const property = json.properties?.[name] ?? {};
    const variable: Variable = { name, optional: !required.has(name) };
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- config defaults are scalars (env variables)
    if (property.default !== undefined) variable.default = String(property.default);
    if (property.enum) variable.enum = property.enum.map(String);
    if (property.description) variable.description = property.description;
    return variable;
  });
}

/** The variables a service cannot start without (no default, not optional). */
export function requiredVariables(config: ServiceConfig): string[] {
  return config.variables.filter((variable) => !variable.optional).map((variable) => variable.name);
}
