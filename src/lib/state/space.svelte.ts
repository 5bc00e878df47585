// An open space, for its screens: one object that owns a model per job —
// description and members, board, connection, pairings, links, bundles, and
// (built when first asked for) supplies and the asset map. Every model tears
// itself down when the session's doc is destroyed, so closing the session
// cleans up everything. Views go through these models, never the Y.Doc.
import type { MemberId, SpaceId } from '../domain/ids';
import { SIGNED_SCHEMA_VERSION } from '../domain/versions';
import type { SpaceSession } from '../sync/session';
import { AssetsModel } from './assets.svelte';
import { BoardModel } from './board.svelte';
import { BundlesModel } from './bundles.svelte';
import { ConnectionModel } from './connection.svelte';
import { LinksModel } from './links.svelte';
import { PairingsModel } from './pairings.svelte';
import { SignedChanges } from './signed-changes.svelte';
import { SpaceInfo } from './space-info.svelte';
import { SuppliesModel } from './supplies.svelte';

export class Space {
	readonly session: SpaceSession;
	readonly memberId: MemberId;
	readonly info: SpaceInfo;
	readonly board: BoardModel;
	readonly connection: ConnectionModel;
	readonly pairings: PairingsModel;
	readonly links: LinksModel;
	readonly bundles: BundlesModel;
	/** Other devices' changes sync v2 refused (empty when v2 is off). */
	readonly signedChanges: SignedChanges;
	#supplies: SuppliesModel | null = null;
	#assets: AssetsModel | null = null;

	/** `onRenamed` hears the space's name whenever its description changes. */
	constructor(session: SpaceSession, memberId: MemberId, onRenamed?: (name: string) => void) {
		this.session = session;
		this.memberId = memberId;
		const doc = session.doc;
		this.info = new SpaceInfo(doc, onRenamed, SIGNED_SCHEMA_VERSION);
		this.board = new BoardModel(doc, memberId);
		this.connection = new ConnectionModel(session);
		this.links = new LinksModel(session, () => this.pairings);
		this.pairings = new PairingsModel(session, memberId, (member, at) =>
			this.links.notePairing(member, at)
		);
		this.bundles = new BundlesModel(session, this.links, () => this.info.meta?.name ?? '');
		this.signedChanges = new SignedChanges(session);
	}

	get spaceId(): SpaceId {
		return this.session.spaceId;
	}

	/** The supply log, built the first time a view asks for it. */
	get supplies(): SuppliesModel {
		this.#supplies ??= new SuppliesModel(this.session.doc, this.memberId);
		return this.#supplies;
	}

	/** The asset map, built the first time a view asks for it. */
	get assets(): AssetsModel {
		this.#assets ??= new AssetsModel(this.session.doc, this.memberId);
		return this.#assets;
	}
}
