/**
 * The words of the catalog of well-known images (`../catalog.ts` assembles it from the modules
 * beside this one, a module per part of a homelab): what an entry says and the small builders
 * each module writes its rows with, so a row fits on a line and reads as a fact.
 */

export type Role =
	| 'proxy' // owns 80/443, routes to UIs
	| 'tunnel' // outbound-only ingress
	| 'auth' // login portals and forward-auth
	| 'security' // intrusion detection and bouncers
	| 'media' // media servers
	| 'requester'
	| 'arr' // *arr automation and its helpers
	| 'download-client'
	| 'vpn'
	| 'database' // databases and caches: they follow the apps that use them
	| 'dashboard'
	| 'app' // a self-hosted app people open in a browser
	| 'worker' // a helper other services call (a headless browser, a model runner)
	| 'monitoring'
	| 'exporter' // scraped by prometheus
	| 'ops'; // container housekeeping

export type CatalogEntry = {
	id: string;
	/** Repository names, or `namespace/repository` where the repository alone is ambiguous. */
	images: string[];
	/** Service or container names for the fallback; `[id]` when absent. */
	names?: string[];
	/** Same image, different part (authentik's `server` and `worker`): a word of its command. */
	command?: string;
	role: Role;
	tiers: string[];
	reason: string;
	/** Default listening ports, the one a check probes first; empty when it serves nothing. */
	ports: number[];
	/** A variable that moves the listening port (`WEBUI_PORT`). */
	portVariable?: string;
	/** Needs the internet to do its job (metadata, indexers, ACME, notifications). */
	egress: boolean;
	/** Has a web UI a reverse proxy routes to. */
	web?: boolean;
	/** Catalog ids it calls without a `depends_on` saying so (bazarr → sonarr). */
	talksTo?: string[];
};

export const downloadingArrs = ['sonarr', 'radarr', 'lidarr', 'readarr', 'whisparr'];

export type Row = Omit<CatalogEntry, 'id' | 'images'> & {images?: string[]};

export const row = (id: string, fields: Row): CatalogEntry => ({...fields, id, images: fields.images ?? [id]});

export const arr = (id: string, port: number, reason = 'media automation: talks to indexers and download clients'): CatalogEntry =>
	row(id, {role: 'arr', tiers: ['backend', 'download'], reason, ports: [port], egress: true, web: true});

export const download = (id: string, port: number, images?: string[], portVariable?: string): CatalogEntry =>
	row(id, {
		images,
		role: 'download-client',
		tiers: ['download'],
		reason: 'download client: reached by the *arr apps, routed through the VPN',
		ports: [port],
		egress: true,
		web: true,
		...(portVariable ? {portVariable} : {}),
	});

export const store = (id: string, port: number, images?: string[]): CatalogEntry =>
	row(id, {
		images,
		role: 'database',
		tiers: [],
		reason: 'database or cache: joins the tier of the apps that use it, never the internet',
		ports: [port],
		egress: false,
	});

type Extra = Partial<Omit<CatalogEntry, 'id'>>;

/** A self-hosted app people open in a browser: user-facing, routed by the proxy. `egress` unless told. */
export const app = (id: string, ports: number[], reason: string, extra: Extra = {}): CatalogEntry =>
	row(id, {role: 'app', tiers: ['frontend'], reason, ports, egress: true, web: true, ...extra});

/** Monitoring, backups and admin UIs: the operator's, on mgmt, no internet unless told. */
export const ops = (id: string, ports: number[], reason: string, extra: Extra = {}): CatalogEntry =>
	row(id, {role: 'ops', tiers: ['mgmt'], reason, ports, egress: false, web: ports.length > 0, ...extra});

/** A helper the apps call (a headless browser, a model runner): backend. */
export const worker = (id: string, ports: number[], reason: string, extra: Extra = {}): CatalogEntry =>
	row(id, {role: 'worker', tiers: ['backend'], reason, ports, egress: true, ...extra});
