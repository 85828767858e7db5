export interface Instruction {
  keyword: string;
  /** The rest of the instruction, continuation lines joined; variables substituted where Docker does. */
  args: string;
  /** Flags such as --from=build, by name. */
  flags: Map<string, string>;
  /** Arguments without the flags: the exec form's JSON array items, or the words of the shell form. */
  words: string[];
  /** The variables set where the instruction runs (the stage's ARG values and ENV): a RUN's environment. */
  variables: Map<string, string>;
}

export interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
  /** ENV at the end of the stage: the environment its container starts with (ARG values are not kept). */
  env: Map<string, string>;
}

export interface Dockerfile {
  stages: Stage[];
  /** Every ARG name, and whether one of its declarations gives a default (a build without it still has a value). */
  args: Map<string, { hasDefault: boolean }>;
  /** Variables an instruction used where they were not set, which Docker silently makes empty strings. */
  unset: string[];
}

/**
 * The instructions whose arguments Docker substitutes variables in (the Dockerfile reference,
 * "Environment replacement"); RUN, CMD, ENTRYPOINT and HEALTHCHECK leave that to a shell, if any.
 */
const SUBSTITUTED = new Set(['ADD', 'ARG', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/**
 * A Dockerfile split into stages, built with these build arguments: enough of the syntax and of the
 * ARG and ENV scoping for the checks in tools/test, not a full parser. ARGs before the first FROM
 * reach only FROM lines and the stages that declare them again; a stage's ARG ends with the stage.
 */
export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): Dockerfile {
  const dockerfile: Dockerfile = { stages: [], args: new Map(), unset: [] };
  const global = new Map<string, string>();
  const scopes = new Map<string, Scope>();
  let scope: Scope = { args: global, env: new Map() };
  for (const line of logicalLines(text)) {
    const keyword = line.split(/\s/, 1)[0]!.toUpperCase();
    const stage = dockerfile.stages.at(-1);
    // FROM sees the ARGs before the first FROM only; elsewhere ENV wins over an ARG of the same name.
    const variables = keyword === 'FROM' ? new Map(global) : new Map([...scope.args, ...scope.env]);
    const onUnset = (name: string) => dockerfile.unset.push(`${keyword} in stage ${stage?.name ?? '(global)'}: ${name}`);
    const rest = line.slice(keyword.length).trim();
    const instruction = parseInstruction(keyword, SUBSTITUTED.has(keyword) ? substitute(rest, variables, onUnset) : rest, variables);
    if (keyword === 'FROM') {
      const [image = '', as, name] = instruction.words;
      // A stage built on another inherits its ARGs and ENV; otherwise it starts with none.
      const parent = scopes.get(image);
      scope = { args: new Map(parent?.args), env: new Map(parent?.env) };
      const created: Stage = { image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [], env: scope.env };
      if (created.name) scopes.set(created.name, scope);
      dockerfile.stages.push(created);
      continue;
    }
    if (keyword === 'ARG') declareArgs(instruction.args, { scope: scope.args, global, buildArgs, declared: dockerfile.args });
    if (keyword === 'ENV') for (const [name, value] of pairs(instruction.args, true)) scope.env.set(name, value ?? '');
    if (!stage) {
      if (keyword !== 'ARG') throw new Error(`${keyword} before the first FROM`);
      continue;
    }
    stage.instructions.push(instruction);
  }
  return dockerfile;
}

interface Scope {
  args: Map<string, string>;
  env: Map<string, string>;
}

function logicalLines(text: string): string[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  if (pending) logical.push(pending.trim());
  return logical;
}

/** An ARG's value: the build argument, else its default, else the global ARG's value; unset without any. */
function declareArgs(
  args: string,
  context: { scope: Map<string, string>; global: Map<string, string>; buildArgs: Record<string, string>; declared: Dockerfile['args'] },
): void {
  for (const [name, value] of pairs(args, false)) {
    const known = context.declared.get(name);
    context.declared.set(name, { hasDefault: (known?.hasDefault ?? false) || value !== undefined });
    const resolved = context.buildArgs[name] ?? value ?? context.global.get(name);
    if (resolved === undefined) context.scope.delete(name);
    else context.scope.set(name, resolved);
  }
}

/** NAME=value pairs (quotes removed) and bare NAMEs, as ARG and ENV take them; ENV's old `NAME value` form too. */
function pairs(args: string, env: boolean): [string, string | undefined][] {
  const old = /^([^\s=]+)\s+(.*)$/.exec(args);
  if (env && old && !args.includes('=')) return [[old[1]!, old[2]!]];
  return [...args.matchAll(/([^\s=]+)(?:=("[^"]*"|'[^']*'|\S*))?/g)].map(([, name = '', value]) => [
    name,
    value?.replace(/^(["'])(.*)\1$/, '$2'),
  ]);
}

function parseInstruction(keyword: string, rest: string, variables: Map<string, string>): Instruction {
  let args = rest;
  const flags = new Map<string, string>();
  for (let match = /^--([a-z-]+)(?:=(\S+))?\s*/.exec(args); match; match = /^--([a-z-]+)(?:=(\S+))?\s*/.exec(args)) {
    flags.set(match[1] ?? '', match[2] ?? '');
    args = args.slice(match[0].length);
  }
  // HEALTHCHECK [flags] CMD <command>: the command's words follow CMD, in either form.
  const command = keyword === 'HEALTHCHECK' ? /^CMD\s+(.*)$/.exec(args) : null;
  return { keyword, args, flags, words: command ? ['CMD', ...words(command[1]!)] : words(args), variables };
}

function words(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: the shell form that happens to start with '['
    }
  }
  return args.split(/\s+/).filter(Boolean);
}

/**
 * Variable substitution as Docker does it: $NAME, ${NAME}, ${NAME:-word}, ${NAME:+word}, and \$ for a
 * literal $. A variable that is not set becomes an empty string, and is reported to onUnset.
 */
function substitute(text: string, variables: ReadonlyMap<string, string>, onUnset: (name: string) => void = () => {}): string {
  return text.replace(
    /\\\$|\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)(?:(:[-+])([^}]*))?\})/g,
    (match, bare?: string, braced?: string, operator?: string, word?: string) => {
      if (match === '\\$') return '$';
      const name = (bare ?? braced)!;
      const value = variables.get(name);
      if (operator === ':-') return value ? value : substitute(word ?? '', variables, onUnset);
      if (operator === ':+') return value ? substitute(word ?? '', variables, onUnset) : '';
      if (value === undefined) onUnset(name);
      return value ?? '';
    },
  );
}

/**
 * A shell command (a RUN, or the script of `sh -c`) as the shell runs it with these variables in its
 * environment: substituted, quotes removed. Enough for the simple commands of our Dockerfile.
 */
export function shellCommand(command: string, variables: ReadonlyMap<string, string>, onUnset?: (name: string) => void): string {
  return substitute(command, variables, onUnset).replace(/["']/g, '');
}

/** The instructions with this keyword, in order. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}
