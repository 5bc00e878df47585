// The device's position from its GPS, or why there is none, for the view to
// say in words a person can act on. Browsers give it only on secure pages.
import type { Point } from '../domain/geo';

export type LocationProblem = 'insecure-page' | 'unsupported' | 'denied' | 'no-fix' | 'unavailable';

export class LocationError extends Error {
	constructor(readonly problem: LocationProblem) {
		super(`no location: ${problem}`);
		this.name = 'LocationError';
	}
}

export async function currentPosition(): Promise<Point> {
	if (!window.isSecureContext) throw new LocationError('insecure-page');
	if (!navigator.geolocation) throw new LocationError('unsupported');
	return new Promise((resolve, reject) =>
		navigator.geolocation.getCurrentPosition(
			(position) =>
				resolve({
					lat: Math.round(position.coords.latitude * 1e6) / 1e6,
					lon: Math.round(position.coords.longitude * 1e6) / 1e6
				}),
			(failure) =>
				reject(
					new LocationError(
						failure.code === failure.PERMISSION_DENIED
							? 'denied'
							: failure.code === failure.TIMEOUT
								? 'no-fix'
								: 'unavailable'
					)
				),
			{ enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 }
		)
	);
}
