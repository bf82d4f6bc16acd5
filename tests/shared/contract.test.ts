import { describe, expect, expectTypeOf, it } from 'vitest';
import { channels, contract, type ApiClient, type OutputOf } from '../../src/shared/contract';
import type { Handlers } from '../../src/core/api/service';
import type { DatasetSummary } from '../../src/shared/domain';

describe('contract', () => {
  it('declares input and output schemas for every channel', () => {
    for (const c of channels) {
      expect(contract[c].input, c).toBeDefined();
      expect(contract[c].output, c).toBeDefined();
    }
  });

  it('rejects extra keys and wrong types', () => {
    expect(contract['datasets:get'].input.safeParse({ id: 1, extra: true }).success).toBe(false);
    expect(contract['datasets:get'].input.safeParse({ id: -1 }).success).toBe(false);
    expect(contract['datasets:import'].input.safeParse({ source: '/x', name: 'n', requestId: '../../' }).success).toBe(false);
    expect(contract['datasets:import'].input.parse({ source: '/x', name: ' n ' })).toEqual({ source: '/x', name: 'n', naming: 'folder' });
  });

  it('pins the typed surface the transports implement', () => {
    expectTypeOf<OutputOf<'datasets:list'>>().toEqualTypeOf<DatasetSummary[]>();
    expectTypeOf<keyof Handlers>().toEqualTypeOf<(typeof channels)[number]>();
    expectTypeOf<ApiClient['call']>().parameter(0).toEqualTypeOf<(typeof channels)[number]>();
  });
});
