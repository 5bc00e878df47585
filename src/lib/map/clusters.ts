// Gathering pins that sit close together on screen into clusters, so a map
// with two thousand pins stays readable and quick: a grid of `cell`-pixel
// squares over the view, one marker per occupied square. Pins off screen
// (beyond a margin of one cell) are not drawn at all.

export interface ScreenPin {
	/** Position on screen, in CSS pixels from the view's top left. */
	sx: number;
	sy: number;
}

export interface Cluster<T extends ScreenPin> {
	key: string;
	sx: number;
	sy: number;
	pins: T[];
}

export function clusterPins<T extends ScreenPin>(
	pins: readonly T[],
	{ cell, width, height }: { cell: number; width: number; height: number }
): Cluster<T>[] {
	const cells = new Map<string, T[]>();
	for (const pin of pins) {
		if (pin.sx < -cell || pin.sy < -cell || pin.sx > width + cell || pin.sy > height + cell)
			continue;
		const key = `${Math.floor(pin.sx / cell)}:${Math.floor(pin.sy / cell)}`;
		const members = cells.get(key);
		if (members) members.push(pin);
		else cells.set(key, [pin]);
	}
	return [...cells].map(([key, members]) => ({
		key: members.length === 1 ? `pin:${key}` : `cluster:${key}`,
		sx: members.reduce((sum, pin) => sum + pin.sx, 0) / members.length,
		sy: members.reduce((sum, pin) => sum + pin.sy, 0) / members.length,
		pins: members
	}));
}
