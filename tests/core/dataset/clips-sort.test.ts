import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDataset, listClips } from '../../../src/core/dataset/queries';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { CLIP_SORTS } from '../../../src/shared/dataset-params';
import { demoWorkspace } from '../../helpers/demo-workspace';

let ws: Workspace;
let id: number;
beforeAll(async () => {
  ws = await demoWorkspace('clips-sort');
  id = findDataset(ws.db, 'demo')!.id;
});
afterAll(() => ws.close());

describe('clips sorted by the engine', () => {
  it('sorts every page by the chosen column, both ways, ties by path', () => {
    const all = (sort: (typeof CLIP_SORTS)[number], order: 'asc' | 'desc') => listClips(ws.db, { id, offset: 0, limit: 1000, sort, order }).clips;
    const byDuration = all('duration', 'desc');
    expect(byDuration).toHaveLength(98);
    expect(byDuration.every((c, i) => i === 0 || c.durationSec <= byDuration[i - 1].durationSec)).toBe(true);
    const byPath = all('path', 'desc').map((c) => c.path);
    expect(byPath).toEqual([...byPath].sort().reverse());
    const bySpeaker = all('speaker', 'asc');
    for (let i = 1; i < bySpeaker.length; i++) {
      const [a, b] = [bySpeaker[i - 1], bySpeaker[i]];
      expect((a.speaker ?? '') < (b.speaker ?? '') || (a.speaker === b.speaker && a.path < b.path)).toBe(true);
    }
    // Paging follows the order: page 2 continues page 1.
    const page2 = listClips(ws.db, { id, offset: 10, limit: 10, sort: 'duration', order: 'desc' }).clips;
    expect(page2.map((c) => c.id)).toEqual(byDuration.slice(10, 20).map((c) => c.id));
    // Default: label, then path (as before).
    const labels = listClips(ws.db, { id, offset: 0, limit: 1000 }).clips;
    expect(labels.map((c) => `${c.label}/${c.path}`)).toEqual(labels.map((c) => `${c.label}/${c.path}`).sort());
  });
});
