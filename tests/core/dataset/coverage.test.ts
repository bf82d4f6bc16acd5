import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speakerCoverage } from '../../../src/core/dataset/coverage';
import { datasetDetail, findDataset } from '../../../src/core/dataset/queries';
import { DatasetDetailSchema } from '../../../src/shared/domain';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { demoWorkspace } from '../../helpers/demo-workspace';

describe('speakerCoverage', () => {
  it("gives each speaker the share of the dataset's classes they have clips of", () => {
    const c = speakerCoverage([
      { label: 'anger', speaker: 's2' },
      { label: 'joy', speaker: 's2' },
      { label: 'sad', speaker: 's2' },
      { label: 'anger', speaker: 's10' },
      { label: 'anger', speaker: 's10' },
      { label: 'sad', speaker: null },
    ]);
    expect(c).toEqual({
      classes: 3,
      speakers: [
        { speaker: 's2', covered: 3, share: 1 },
        { speaker: 's10', covered: 1, share: 1 / 3 },
      ],
      mean: 2 / 3,
      unassigned: 1,
    });
  });

  it('is null when no clip has a speaker', () => {
    expect(speakerCoverage([{ label: 'a', speaker: null }])).toBeNull();
  });
});

describe('the dataset detail', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await demoWorkspace('coverage-ws');
  });
  afterAll(() => ws.close());

  it('carries the coverage, validated by the contract', () => {
    const detail = DatasetDetailSchema.parse(datasetDetail(ws.db, findDataset(ws.db, 'demo')!.id));
    expect(detail.speakerCoverage).toMatchObject({ classes: 7, mean: 1, unassigned: 0 });
    expect(detail.speakerCoverage!.speakers).toHaveLength(4);
    expect(detail.speakerCoverage!.speakers.every((s) => s.covered === 7)).toBe(true);
  });
});
