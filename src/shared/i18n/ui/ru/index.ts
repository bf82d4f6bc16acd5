// Сообщения окна (ui.*) по областям интерфейса; каждая область типизирована по своему английскому файлу.
import type { uiEn } from '../en';
import type { RuCatalogue } from '../../types';
import { classifyRu } from './classify';
import { commonRu } from './common';
import { compareRu } from './compare';
import { datasetsRu } from './datasets';
import { experimentsRu } from './experiments';
import { explorerRu } from './explorer';

export const uiRu: RuCatalogue<typeof uiEn> = { ...commonRu, ...datasetsRu, ...explorerRu, ...experimentsRu, ...compareRu, ...classifyRu };
