import { readFileSync } from 'node:fs';

/** The parts of V8's `.cpuprofile` (what `node --cpu-prof` writes) that self time is computed from. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  /** Microseconds since the previous sample; the first is since the profile's start. */
  timeDeltas: number[];
}

interface SelfTime {
  /** `name (file:line)`, the file shortened to the part after the last `node_modules/` or the repository. */
  function: string;
  selfMs: number;
  /** Share of the process's busy time (idle left out), in percent. */
  percent: number;
}

export interface ProfileSummary {
  /** Time the main thread was not idle (argon2 and other thread-pool work is not sampled by V8). */
  busyMs: number;
  idlePercent: number;
  top: SelfTime[];
  /**
   * Self time summed by the npm package (or our workspace) whose code ran or called it; `node` for Node's
   * own code that none called, `(native)` for V8's own entries such as the GC.
   */
  byPackage: { package: string; percent: number }[];
}

/**
 * Self time per function: each sample's interval is charged to the function on top of the stack then.
 * Nodes of one function reached by different paths are summed, since the question is which code burns
 * the CPU, not through which caller. Idle time is counted apart: shares are of the busy time.
 */
export function summariseProfile(profile: CpuProfile, count = 10, root = ''): ProfileSummary {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parentOf = new Map(profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id] as const)));
  // Native functions and Node's own code (a socket write, a stream) are charged to the package whose
  // JavaScript called them, which is what can be changed; what nothing of ours or a package called stays Node's.
  const ownerOf = (id: number): string => {
    let owner = frameOf.get(id)?.url ? 'node' : '(native)';
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const url = frameOf.get(at)?.url ?? '';
      if (url && !url.startsWith('node:')) return packageOf(url, root);
      if (url) owner = 'node';
    }
    return owner;
  };
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const frame = frameOf.get(id);
    if (!frame || micros <= 0) return;
    if (frame.functionName === '(idle)') {
      idle += micros;
      return;
    }
    total += micros;
    const key = describe(frame, root);
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const owner = ownerOf(id);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + micros);
  });
  const top = [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ function: name, selfMs: Math.round(micros / 100) / 10, percent: share(micros, total) }));
  const packages = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ package: name, percent: share(micros, total) }));
  return { busyMs: Math.round(total / 1000), idlePercent: share(idle, total + idle), top, byPackage: packages };
}

export function readCpuProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

function packageOf(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = path.slice(modules + 'node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? path);
  }
  // Our own code: the workspace it belongs to (services/identity, contracts…).
  const relative = root && path.startsWith(root) ? path.slice(root.length + 1) : path;
  const parts = relative.split('/');
  return parts[0] === 'services' ? parts.slice(0, 2).join('/') : (parts[0] ?? relative);
}

function describe(frame: CpuProfile['nodes'][number]['callFrame'], root: string): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const path = frame.url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  const short =
    modules >= 0 ? path.slice(modules + 'node_modules/'.length) : root && path.startsWith(root) ? path.slice(root.length + 1) : path;
  // V8's line numbers are 0-based; editors' are 1-based.
  return `${name} (${short}:${frame.lineNumber + 1})`;
}
