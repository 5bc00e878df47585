// Child process for store-crash.test.ts: writes to a relay store as fast as
// it can, compacting often, and prints `stored <n>` once post n is on disk,
// until the test kills it.
import * as Y from 'yjs';
import { RelayStore } from './relay-store';
import { SpaceStore } from './space-store';

const location = process.env.CRASH_STORE ?? '';
const store = await RelayStore.open(location, () => {});
const doc = new Y.Doc();
const { store: keeper } = await SpaceStore.attach(store.space('CCCCCCCCCCCCCCCC'), doc, {
	origin: 'crash-child',
	log: (line) => console.log(line),
	compactSlackBytes: 2048
});
let records = keeper.storedRecords;
for (let n = 0; ; n++) {
	doc.transact(() => {
		doc.getMap('posts').set(`p${n}`, n);
		// Overwritten each time, so the records outgrow the merged state and compact.
		doc.getMap('notes').set('draft', `draft ${n} `.repeat(20));
	});
	await keeper.flushed();
	console.log(`stored ${n}`);
	if (keeper.storedRecords < records) console.log('compacted');
	records = keeper.storedRecords;
}
