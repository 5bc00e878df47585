// How each kind of asset looks on maps and in the legend: a color. Its letter
// (so pins stay tellable apart without color vision too) and its name are
// words, in the person's language, given by the views.
import type { AssetKind } from '../domain/assets';

export const KIND_STYLE: Record<AssetKind, { color: string }> = {
	skill: { color: '#b23a2e' },
	association: { color: '#2a6592' },
	institution: { color: '#6a4c93' },
	place: { color: '#2e7031' },
	equipment: { color: '#9a5b00' }
};
