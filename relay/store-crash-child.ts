// Child process for store-crash.test.ts: imports a space's old content into
// the relay's own signed log, in entries small enough that the one write is
// large, and says `writing` right before it and `imported` once it is done,
// unless the test kills it first.
import { importLegacyContent } from './legacy-import';
import { RelayStore } from './relay-store';

const store = await RelayStore.open(process.env.CRASH_STORE ?? '', () => {});
await importLegacyContent(store, process.env.CRASH_SPACE ?? '', {
	log: () => {},
	maxBodyBytes: 2048,
	beforeWrite: () => console.log('writing')
});
console.log('imported');
await store.close();
