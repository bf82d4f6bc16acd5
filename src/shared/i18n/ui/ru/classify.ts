import type { classifyEn } from '../en/classify';
import type { RuCatalogue } from '../../types';

export const classifyRu: RuCatalogue<typeof classifyEn> = {
};
