// Barnraise is a local-first single-page app: all data lives in the browser,
// so nothing is rendered on a server and nothing is prerendered.
export const ssr = false;
export const prerender = false;
