// The offline app shell's life on the page side: register the service
// worker where the browser allows one (secure origins), and announce a new
// version when it is ready. It is applied only when the person says so.
class AppShell {
	/** False on plain-http LAN origins, where browsers allow no service worker. */
	readonly isSupported =
		typeof navigator !== 'undefined' && 'serviceWorker' in navigator && globalThis.isSecureContext;
	offlineReady = $state(false);
	updateReady = $state(false);
	#registration: ServiceWorkerRegistration | null = null;

	async register(): Promise<void> {
		if (!this.isSupported || this.#registration) return;
		try {
			// The production build is a classic script (SvelteKit bundles it).
			const registration = await navigator.serviceWorker.register('/service-worker.js');
			this.#registration = registration;
			const hadController = navigator.serviceWorker.controller !== null;
			const watch = (worker: ServiceWorker | null) => {
				worker?.addEventListener('statechange', () => {
					if (worker.state === 'installed' && navigator.serviceWorker.controller) {
						this.updateReady = true;
					}
					if (worker.state === 'activated') this.offlineReady = true;
				});
			};
			if (registration.waiting && hadController) this.updateReady = true;
			if (registration.active) this.offlineReady = true;
			watch(registration.installing);
			registration.addEventListener('updatefound', () => watch(registration.installing));
		} catch {
			// No offline shell (private mode, storage refused): the app still works online.
			this.offlineReady = false;
		}
	}

	/** Swap in the waiting version and reload into it. */
	applyUpdate(): void {
		const waiting = this.#registration?.waiting;
		if (!waiting) return;
		navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), {
			once: true
		});
		waiting.postMessage({ type: 'skip-waiting' });
	}
}

export const appShell = new AppShell();
