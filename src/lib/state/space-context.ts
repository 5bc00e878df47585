// The open space, for the pages under /s/[id]: the layout opens it once and
// every tab (board, supplies) reads it from here.
import { createContext } from 'svelte';
import type { Space } from './space.svelte';

export const [getSpace, setSpace] = createContext<() => Space>();
