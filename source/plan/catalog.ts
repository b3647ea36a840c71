/**
 * What homelab and media stacks run, by image: the tier an experienced owner puts each
 * in and why, the port(s) it listens on by default, and whether it needs the internet to
 * do its job. `init` drafts from this table; an operator's `--tiers` file is tried first.
 * Ports are the container side of the image's defaults (checked against each project's
 * documentation), so a check probes what the container really serves. The rows live in
 * catalog/, a module per part of a homelab (edge, media, downloads, apps, operations), each
 * plain TypeScript the bundle carries like any other module; this file puts them in order
 * (a repository names one entry, so the order only matters for service-name fallbacks).
 */
import {appEntries} from './catalog/apps.js';
import {downloadEntries} from './catalog/downloads.js';
import {edgeEntries} from './catalog/edge.js';
import {mediaEntries} from './catalog/media.js';
import {opsEntries} from './catalog/ops.js';
import type {CatalogEntry} from './catalog/rows.js';

export type {CatalogEntry, Role} from './catalog/rows.js';

export const catalog: CatalogEntry[] = [...edgeEntries, ...mediaEntries, ...downloadEntries, ...appEntries, ...opsEntries];

/** The built-in tiers, in the order networks are drafted, with what each is for. */
export const builtinTiers: Record<string, {purpose: string; internal: boolean}> = {
	dmz: {purpose: 'ingress: reverse proxies and tunnels', internal: false},
	frontend: {purpose: 'user-facing apps and dashboards', internal: true},
	backend: {purpose: 'automation, APIs and the data they use', internal: true},
	download: {purpose: 'VPN-routed downloads', internal: false},
	mgmt: {purpose: 'monitoring and operations', internal: true},
	security: {purpose: 'authentication and security services', internal: false},
};
