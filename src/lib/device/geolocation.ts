// The device's position from its GPS, with a message a person can act on
// when there is none. Browsers give it only on secure pages.
import type { Point } from '../domain/geo';

export async function currentPosition(): Promise<Point> {
	if (!window.isSecureContext)
		throw new Error(
			'Browsers give the device’s location only on secure pages (https), and this page is plain http. Type the coordinates instead (a phone’s map app shows them).'
		);
	if (!navigator.geolocation) throw new Error('This browser cannot tell where the device is.');
	return new Promise((resolve, reject) =>
		navigator.geolocation.getCurrentPosition(
			(position) =>
				resolve({
					lat: Math.round(position.coords.latitude * 1e6) / 1e6,
					lon: Math.round(position.coords.longitude * 1e6) / 1e6
				}),
			(failure) =>
				reject(
					new Error(
						failure.code === failure.PERMISSION_DENIED
							? 'The location was not allowed. Allow it in the browser’s site settings, or type the coordinates.'
							: failure.code === failure.TIMEOUT
								? 'No GPS fix yet. Step outside or near a window and try again, or type the coordinates.'
								: 'The device could not find where it is. Type the coordinates instead.'
					)
				),
			{ enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 }
		)
	);
}
