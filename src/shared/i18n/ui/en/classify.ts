import type { EnMessage } from '../../types';

export const classifyEn = {
} as const satisfies Record<string, EnMessage>;
