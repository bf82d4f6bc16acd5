// Summaries of V8 CPU profiles (.cpuprofile JSON, as written by --cpu-prof or the inspector's Profiler).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  percent: number;
  ms: number;
}

/** Self time per function (name and file), largest first; '(idle)' is left out of the total. */
export function summariseProfile(profile: CpuProfile, top: number): ProfileEntry[] {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    // the time until the next sample belongs to this sample's node
    for (let i = 0; i < profile.samples.length; i++) {
      const dt = profile.timeDeltas[i + 1] ?? 0;
      selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, dt));
    }
  } else for (const n of profile.nodes) selfUs.set(n.id, n.hitCount ?? 0);
  const byName = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byNode.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    const { url, functionName, lineNumber } = n.callFrame;
    const file = url.startsWith('wasm://') ? 'wasm' : url ? url.split('/').pop()!.replace(/\?.*$/, '') : '';
    const where = file && !functionName && file !== 'wasm' ? `${file}:${lineNumber + 1}` : file;
    const name = `${functionName || '(anonymous)'}${where ? ` [${where}]` : ''}`;
    byName.set(name, (byName.get(name) ?? 0) + us);
    total += us;
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, percent: (100 * us) / Math.max(1, total), ms: us / 1000 }));
}
