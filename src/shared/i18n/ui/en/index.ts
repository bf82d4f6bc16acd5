// The window's messages (ui.*), one file per area of the UI; merged into the one English catalogue (../../en.ts).
import { classifyEn } from './classify';
import { commonEn } from './common';
import { compareEn } from './compare';
import { datasetsEn } from './datasets';
import { experimentsEn } from './experiments';
import { explorerEn } from './explorer';

export const uiEn = { ...commonEn, ...datasetsEn, ...explorerEn, ...experimentsEn, ...compareEn, ...classifyEn } as const;
