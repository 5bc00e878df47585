// A database the app could not open because another tab of it (an older
// version, or a frozen tab) will not let go of it. Its own kind of error, so
// the screen can say in the person's language what to do about it instead of
// showing the browser's words.

export class HeldOpenError extends Error {
	/** `what`: the database, as the technical detail names it ("this space’s logs"). */
	constructor(what: string) {
		super(`Another tab of the app is holding ${what} open.`);
		this.name = 'HeldOpenError';
	}
}
