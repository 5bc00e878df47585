// This device's settings, for the settings screen and the map: extra
// signaling servers, STUN/TURN servers and online map tiles, read from and
// saved to the device store after checking what the person typed.
import { loadSettings, saveSettings } from '../device/device-store';
import {
	formatIceServers,
	parseIceServers,
	parseSignalingList,
	parseTileUrl,
	type SettingsProblem
} from '../sync/transport-settings';

export type { SettingsProblem };
export type Saved = { ok: true } | { ok: false; problem: SettingsProblem };

/** The settings as text a person edits. */
export function settingsText(): { signaling: string; iceServers: string; tileUrl: string } {
	const settings = loadSettings();
	return {
		signaling: settings.signaling.join('\n'),
		iceServers: formatIceServers(settings.iceServers),
		tileUrl: settings.tileUrl
	};
}

/** Check and save the connection settings; they apply when a space is next opened. */
export function saveConnections(signalingText: string, iceText: string): Saved {
	const signaling = parseSignalingList(signalingText);
	if (!signaling.ok) return signaling;
	const iceServers = parseIceServers(iceText);
	if (!iceServers.ok) return iceServers;
	saveSettings({ ...loadSettings(), signaling: signaling.value, iceServers: iceServers.value });
	return { ok: true };
}

/** Check and save the online map tile address (empty: no online tiles). */
export function saveTileUrl(text: string): Saved {
	const tileUrl = parseTileUrl(text);
	if (!tileUrl.ok) return tileUrl;
	saveSettings({ ...loadSettings(), tileUrl: tileUrl.value });
	return { ok: true };
}

/** The online tile address, or '' for none. */
export function tileUrl(): string {
	return loadSettings().tileUrl;
}
