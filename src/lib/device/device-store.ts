// What this device remembers outside the spaces' own databases: who the
// user is here (a member id and a display name), which spaces it holds with
// their keys, and transport settings. localStorage, validated on read: a
// damaged entry falls back to defaults and is left in place, never wiped.
// The list of spaces and the profile are here only as the fast, synchronous
// copy: durable-spaces.ts and durable-profile.ts keep the ones that survive a
// crash and are the only writers of these. Settings and dismissed notices
// are only here (a crash can lose a change made just before it).
import * as v from 'valibot';
import { isIdLike, newId, type MemberId, type SpaceId } from '../domain/ids';
import { DISPLAY_NAME_MAX } from '../domain/space';
import { isSignalingUrl } from '../domain/addresses';

const PROFILE_KEY = 'barnraise:profile';
const SPACES_KEY = 'barnraise:spaces';
const SETTINGS_KEY = 'barnraise:settings';

const ProfileSchema = v.object({
	memberId: v.custom<MemberId>(isIdLike),
	displayName: v.pipe(v.string(), v.minLength(1), v.maxLength(DISPLAY_NAME_MAX))
});
export type Profile = v.InferOutput<typeof ProfileSchema>;

const SpaceEntrySchema = v.object({
	spaceId: v.custom<SpaceId>(isIdLike),
	key: v.string(),
	name: v.pipe(v.string(), v.maxLength(80)),
	addedAt: v.number(),
	signaling: v.optional(v.array(v.string()), [])
});
export type SpaceEntry = v.InferOutput<typeof SpaceEntrySchema>;

const IceServerSchema = v.object({
	urls: v.union([v.string(), v.array(v.string())]),
	username: v.optional(v.string()),
	credential: v.optional(v.string())
});

const SettingsSchema = v.object({
	signaling: v.optional(v.array(v.pipe(v.string(), v.check(isSignalingUrl))), []),
	iceServers: v.optional(v.array(IceServerSchema), []),
	/** Online map tiles (an XYZ raster template); empty, the default, means none. */
	tileUrl: v.optional(v.string(), '')
});
export type Settings = v.InferOutput<typeof SettingsSchema>;

function readJson(key: string): unknown {
	try {
		const text = localStorage.getItem(key);
		return text === null ? undefined : JSON.parse(text);
	} catch {
		return undefined;
	}
}

function writeJson(key: string, value: unknown): void {
	localStorage.setItem(key, JSON.stringify(value));
}

export function loadProfile(): Profile | null {
	return readProfile(readJson(PROFILE_KEY));
}

/** `value` as a profile, or null when it is not a whole, valid one. */
export function readProfile(value: unknown): Profile | null {
	const result = v.safeParse(ProfileSchema, value);
	return result.success ? result.output : null;
}

/** A member id for a device that has none yet. */
export function newMemberId(): MemberId {
	return newId<'MemberId'>();
}

/** Write the fast copy of the profile (durable-profile.ts calls it, inside its own write). */
export function writeProfileLocally(profile: Profile): void {
	writeJson(PROFILE_KEY, profile);
}

export function loadSpaces(): SpaceEntry[] {
	const raw = readJson(SPACES_KEY);
	if (!Array.isArray(raw)) return [];
	return raw.flatMap((item) => {
		const entry = readSpaceEntry(item);
		return entry ? [entry] : [];
	});
}

/** `value` as a space entry, or null when it is not a whole, valid one. */
export function readSpaceEntry(value: unknown): SpaceEntry | null {
	const result = v.safeParse(SpaceEntrySchema, value);
	return result.success ? result.output : null;
}

/** Write the fast copy of the list (durable-spaces.ts calls it, inside its own write). */
export function writeSpacesLocally(spaces: SpaceEntry[]): void {
	writeJson(SPACES_KEY, spaces);
}

/** Add `entry` to the fast copy, or replace the one of its space where it stands. */
export function putSpaceLocally(entry: SpaceEntry): void {
	const spaces = loadSpaces();
	const at = spaces.findIndex((space) => space.spaceId === entry.spaceId);
	if (at === -1) spaces.push(entry);
	else spaces[at] = entry;
	writeSpacesLocally(spaces);
}

export function dropSpaceLocally(spaceId: SpaceId): void {
	writeSpacesLocally(loadSpaces().filter((space) => space.spaceId !== spaceId));
}

export function findSpace(spaceId: string): SpaceEntry | undefined {
	return loadSpaces().find((space) => space.spaceId === spaceId);
}

export function loadSettings(): Settings {
	const result = v.safeParse(SettingsSchema, readJson(SETTINGS_KEY));
	return result.success ? result.output : { signaling: [], iceServers: [], tileUrl: '' };
}

export function saveSettings(settings: Settings): void {
	writeJson(SETTINGS_KEY, settings);
}

const DISMISSED_KEY = 'barnraise:dismissed';

/** Notices this person closed on this device ("don't show again"), by name. */
export function loadDismissed(): string[] {
	const raw = readJson(DISMISSED_KEY);
	return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string') : [];
}

export function saveDismissed(names: string[]): void {
	writeJson(DISMISSED_KEY, [...new Set(names)].slice(0, 50));
}
