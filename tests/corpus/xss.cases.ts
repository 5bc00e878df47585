// Hostile text, one payload a line: markup, script and link payloads, and
// direction overrides that make text read other than it is. Every place a
// person's text reaches the screen must keep it as inert text: the doc
// layer gives it back exactly as typed (Svelte then escapes it when it is
// shown), and the only markup the app renders itself, QR codes, never
// carries it. Each payload goes through every sink below, and into a QR
// code and a CSV export (xss.test.ts).
import * as Y from 'yjs';
import { asset } from '../support/assets';
import { assetsFromGeoJson, assetsToGeoJson } from '../../src/lib/domain/asset-export';
import type { MemberId, PostId } from '../../src/lib/domain/ids';
import { importInventory, readAllAssets } from '../../src/lib/doc/assets-doc';
import {
	createPost,
	initSpace,
	readMembers,
	readMeta,
	readPost,
	upsertMember
} from '../../src/lib/doc/space-doc';
import { createItem, createSite, readItems, readSites } from '../../src/lib/doc/supplies-doc';
import { makeInviteLink, parseInvite } from '../../src/lib/sync/invite';

export const xssPayloads: [label: string, text: string][] = [
	['an image with onerror', '<img src=x onerror="window.__pwned=1">'],
	['a script element', '<script>window.__pwned=1</script>'],
	['a javascript: URL', 'javascript:window.__pwned=1'],
	['an attribute breakout', '"><svg onload=window.__pwned=1>'],
	['a link with a javascript: href', '<a href="javascript:window.__pwned=1">x</a>'],
	['an iframe with srcdoc', '<iframe srcdoc="<script>parent.__pwned=1</script>">'],
	['a pre-escaped tag', '&lt;img src=x onerror=alert(1)&gt;'],
	['Svelte markup', "{@html '<b onmouseover=alert(1)>x</b>'}"],
	['a template literal', '${window.__pwned=1}'],
	['a spreadsheet formula', '=HYPERLINK("http://x.test","open")'],
	['a right-to-left override', 'Invoice \u202egnp.exe'],
	['a left-to-right embedding', '\u202aWater\u202c for \u202b24\u202c people'],
	['a zero-width joiner run', 'Wa\u200d\u200d\u200dter'],
	['a CSS breakout', '</style><style>*{display:none}</style>']
];

const ANA = 'member-corpus-ana' as MemberId;

/** Each sink stores `text` the way the app does and gives back what the screen would show. */
export const xssSinks: [name: string, roundTrip: (text: string) => unknown][] = [
	[
		'a post title and details',
		(text) => {
			const doc = new Y.Doc();
			const id = 'post-corpus-xss-01' as PostId;
			createPost(
				doc,
				id,
				{
					kind: 'need',
					title: text,
					details: text,
					category: text.slice(0, 40),
					quantity: null,
					unit: '',
					urgency: 'normal',
					locationText: text,
					contact: text,
					expiresAt: null
				},
				ANA,
				1
			);
			const read = readPost(doc, id);
			if (!read?.ok) return read;
			const { title, details, locationText, contact } = read.post;
			return [title, details, locationText, contact].filter((value) => value !== text);
		}
	],
	[
		'a space name and description',
		(text) => {
			const doc = new Y.Doc();
			initSpace(doc, text, 1, text);
			const meta = readMeta(doc);
			return [meta?.name, meta?.description].filter((value) => value !== text);
		}
	],
	[
		'a member name',
		(text) => {
			const doc = new Y.Doc();
			upsertMember(doc, ANA, { name: text, color: '#aa3300', joinedAt: 1 });
			return readMembers(doc).get(ANA)?.name === text ? [] : readMembers(doc).get(ANA);
		}
	],
	[
		'a site and an item',
		(text) => {
			const doc = new Y.Doc();
			createSite(
				doc,
				{ name: text, kind: 'depot', locationText: text, point: null, notes: text },
				1
			);
			createItem(doc, { name: text, unit: text.slice(0, 20), category: 'water' }, 1);
			const site = readSites(doc)[0];
			const item = readItems(doc)[0];
			return [
				site?.ok && site.value.name,
				site?.ok && site.value.notes,
				item?.ok && item.value.name
			].filter((value) => value !== text);
		}
	],
	[
		'an asset, exported and imported into another space',
		(text) => {
			const file = assetsToGeoJson(
				[asset('asset-corpus-xss1', { name: text, description: text, tags: [] })],
				[],
				{ includeContact: true }
			);
			const doc = new Y.Doc();
			const inventory = assetsFromGeoJson(file);
			importInventory(doc, inventory.assets, inventory.links);
			const read = readAllAssets(doc).get('asset-corpus-xss1');
			if (!read?.ok) return read;
			return [read.value.name, read.value.description].filter((value) => value !== text);
		}
	],
	[
		'a space name carried in an invite link',
		(text) => {
			const link = makeInviteLink('https://192.168.1.20:8080', {
				key: new Uint8Array(32).fill(1),
				name: text,
				signaling: []
			});
			const read = parseInvite(link);
			return read.ok && read.invite.name === text.trim().slice(0, 80) ? [] : read;
		}
	]
];
