// How each kind of asset looks on maps and in the legend: a color and a
// letter, so pins stay tellable apart without color vision too.
import type { AssetKind } from '../domain/assets';

export const KIND_STYLE: Record<AssetKind, { color: string; letter: string; plural: string }> = {
	skill: { color: '#b23a2e', letter: 'S', plural: 'Skills' },
	association: { color: '#2a6592', letter: 'A', plural: 'Associations' },
	institution: { color: '#6a4c93', letter: 'I', plural: 'Institutions' },
	place: { color: '#2e7031', letter: 'P', plural: 'Places' },
	equipment: { color: '#9a5b00', letter: 'E', plural: 'Equipment' }
};
