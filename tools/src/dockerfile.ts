export interface Instruction {
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  args: string;
  /** Flags such as --from=build, by name. */
  flags: Map<string, string>;
  /** Arguments without the flags: the exec form's JSON array items, or the words of the shell form. */
  words: string[];
}

export interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

/** A Dockerfile split into stages; enough of the syntax for the checks in tools/test, not a full parser. */
export function parseDockerfile(text: string): Stage[] {
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

  const stages: Stage[] = [];
  for (const line of logical) {
    const instruction = parseInstruction(line);
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.words;
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${instruction.keyword} before the first FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

function parseInstruction(line: string): Instruction {
  const space = line.search(/\s/);
  const keyword = (space === -1 ? line : line.slice(0, space)).toUpperCase();
  let args = space === -1 ? '' : line.slice(space + 1).trim();
  const flags = new Map<string, string>();
  for (let match = /^--([a-z-]+)(?:=(\S+))?\s*/.exec(args); match; match = /^--([a-z-]+)(?:=(\S+))?\s*/.exec(args)) {
    flags.set(match[1] ?? '', match[2] ?? '');
    args = args.slice(match[0].length);
  }
  return { keyword, args, flags, words: words(args) };
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

/** The instructions with this keyword, in order. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}
