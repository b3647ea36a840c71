/**
 * What homelab and media stacks run, by image: the tier an experienced owner puts each
 * in and why, the port(s) it listens on by default, and whether it needs the internet to
 * do its job. `init` drafts from this table; an operator's `--tiers` file is tried first.
 * Ports are the container side of the image's defaults (checked against each project's
 * documentation), so a check probes what the container really serves.
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

const downloadingArrs = ['sonarr', 'radarr', 'lidarr', 'readarr', 'whisparr'];

type Row = Omit<CatalogEntry, 'id' | 'images'> & {images?: string[]};

const row = (id: string, fields: Row): CatalogEntry => ({...fields, id, images: fields.images ?? [id]});

const arr = (id: string, port: number, reason = 'media automation: talks to indexers and download clients'): CatalogEntry =>
	row(id, {role: 'arr', tiers: ['backend', 'download'], reason, ports: [port], egress: true, web: true});

const download = (id: string, port: number, images?: string[], portVariable?: string): CatalogEntry =>
	row(id, {images, role: 'download-client', tiers: ['download'], reason: 'download client: reached by the *arr apps, routed through the VPN', ports: [port], egress: true, web: true, ...(portVariable ? {portVariable} : {})});

const store = (id: string, port: number, images?: string[]): CatalogEntry =>
	row(id, {images, role: 'database', tiers: [], reason: 'database or cache: joins the tier of the apps that use it, never the internet', ports: [port], egress: false});

export const catalog: CatalogEntry[] = [
	// Ingress.
	row('traefik', {role: 'proxy', tiers: ['dmz'], reason: 'reverse proxy: owns 80/443 and joins the tiers of what it routes', ports: [80, 443], egress: true}),
	row('caddy', {images: ['caddy', 'caddy-docker-proxy'], role: 'proxy', tiers: ['dmz'], reason: 'reverse proxy: owns 80/443 and joins the tiers of what it routes', ports: [80, 443], egress: true}),
	row('nginx-proxy-manager', {images: ['nginx-proxy-manager'], names: ['nginx-proxy-manager', 'npm'], role: 'proxy', tiers: ['dmz'], reason: 'reverse proxy (admin UI on 81)', ports: [80, 443, 81], egress: true}),
	row('swag', {role: 'proxy', tiers: ['dmz'], reason: 'reverse proxy with certificates', ports: [80, 443], egress: true}),
	row('cloudflared', {images: ['cloudflared'], role: 'tunnel', tiers: ['dmz'], reason: 'tunnel: outbound only, the edge of the stack', ports: [], egress: true}),
	row('tailscale', {role: 'tunnel', tiers: ['dmz'], reason: 'tunnel: outbound only, the edge of the stack', ports: [], egress: true}),
	// Authentication and security.
	row('authelia', {role: 'auth', tiers: ['security'], reason: 'login portal and forward-auth for the proxy', ports: [9091], egress: true, web: true}),
	row('authentik', {images: ['goauthentik/server', 'authentik/server'], names: ['authentik', 'authentik-server'], command: 'server', role: 'auth', tiers: ['security'], reason: 'identity provider: the proxy asks it', ports: [9000, 9443], egress: true, web: true}),
	row('authentik-worker', {images: ['goauthentik/server', 'authentik/server'], names: ['authentik-worker', 'authentik_worker'], command: 'worker', role: 'auth', tiers: ['security'], reason: 'identity provider\'s background worker', ports: [], egress: true}),
	row('tinyauth', {role: 'auth', tiers: ['security'], reason: 'forward-auth for the proxy', ports: [3000], egress: true, web: true}),
	row('pocket-id', {images: ['pocket-id'], names: ['pocket-id', 'pocketid'], role: 'auth', tiers: ['security'], reason: 'passkey identity provider', ports: [1411], egress: true, web: true}),
	row('oauth2-proxy', {role: 'auth', tiers: ['security'], reason: 'forward-auth for the proxy (asks an external identity provider)', ports: [4180], egress: true}),
	row('traefik-forward-auth', {role: 'auth', tiers: ['security'], reason: 'forward-auth for the proxy (asks an external identity provider)', ports: [4181], egress: true}),
	row('crowdsec', {role: 'security', tiers: ['security'], reason: 'intrusion detection: reads logs, fetches blocklists', ports: [8080], egress: true}),
	row('crowdsec-bouncer', {images: ['traefik-crowdsec-bouncer', 'crowdsec-bouncer-traefik', 'crowdsec-traefik-bouncer', 'crowdsec-firewall-bouncer'], names: ['crowdsec-bouncer', 'bouncer', 'crowdsec-bouncer-traefik', 'traefik-crowdsec-bouncer'], role: 'security', tiers: ['security'], reason: 'bouncer: the proxy asks it, it asks crowdsec', ports: [8080], egress: false}),
	row('fail2ban', {role: 'security', tiers: ['security'], reason: 'bans by log lines (usually on the host network)', ports: [], egress: false}),
	// Media.
	row('jellyfin', {role: 'media', tiers: ['frontend'], reason: 'media server: user-facing, fetches metadata', ports: [8096], egress: true, web: true}),
	row('plex', {images: ['plex', 'pms-docker'], role: 'media', tiers: ['frontend'], reason: 'media server: user-facing, fetches metadata, plex.tv sign-in', ports: [32400], egress: true, web: true}),
	row('emby', {images: ['emby', 'embyserver'], role: 'media', tiers: ['frontend'], reason: 'media server: user-facing, fetches metadata', ports: [8096], egress: true, web: true}),
	row('plex-auto-languages', {role: 'arr', tiers: ['frontend'], reason: 'plex helper: talks to plex and plex.tv', ports: [], egress: true, talksTo: ['plex']}),
	row('tautulli', {role: 'media', tiers: ['frontend'], reason: 'plex statistics: user-facing, talks to plex', ports: [8181], egress: true, web: true, talksTo: ['plex']}),
	row('seerr', {images: ['seerr', 'overseerr', 'jellyseerr'], names: ['seerr', 'overseerr', 'jellyseerr'], role: 'requester', tiers: ['frontend', 'backend'], reason: 'requests: user-facing, hands requests to the *arr apps', ports: [5055], egress: true, web: true}),
	row('ombi', {role: 'requester', tiers: ['frontend', 'backend'], reason: 'requests: user-facing, hands requests to the *arr apps', ports: [3579], egress: true, web: true}),
	row('tdarr', {role: 'arr', tiers: ['backend'], reason: 'transcode server: its nodes connect to it (web UI 8265, server 8266)', ports: [8265, 8266], egress: true, web: true}),
	row('tdarr-node', {images: ['tdarr_node'], names: ['tdarr-node', 'tdarr_node', 'tdarrnode'], role: 'arr', tiers: ['backend'], reason: 'transcode node: connects to the tdarr server', ports: [], egress: false, talksTo: ['tdarr']}),
	row('immich-server', {images: ['immich-server'], names: ['immich-server', 'immich_server', 'immich'], role: 'media', tiers: ['frontend', 'backend'], reason: 'photo server: user-facing, uses its database and machine learning', ports: [2283], egress: true, web: true}),
	row('immich-machine-learning', {images: ['immich-machine-learning'], names: ['immich-machine-learning', 'immich_machine_learning'], role: 'arr', tiers: ['backend'], reason: 'immich\'s machine learning: called by the server, downloads its models', ports: [3003], egress: true}),
	// Automation.
	arr('sonarr', 8989),
	arr('radarr', 7878),
	arr('lidarr', 8686),
	arr('readarr', 8787),
	arr('whisparr', 6969),
	{...arr('prowlarr', 9696, 'indexer manager: searches indexers on the internet, feeds the *arr apps'), talksTo: [...downloadingArrs, 'flaresolverr']},
	row('bazarr', {role: 'arr', tiers: ['backend'], reason: 'subtitles: talks to sonarr/radarr and subtitle sites', ports: [6767], egress: true, web: true, talksTo: ['sonarr', 'radarr']}),
	row('flaresolverr', {images: ['flaresolverr', 'byparr'], names: ['flaresolverr', 'byparr'], role: 'arr', tiers: ['backend'], reason: 'challenge solver for prowlarr: fetches indexer pages', ports: [8191], egress: true}),
	row('unpackerr', {role: 'arr', tiers: ['backend'], reason: 'extracts downloads for the *arr apps', ports: [], egress: false, talksTo: downloadingArrs}),
	row('recyclarr', {role: 'arr', tiers: ['backend'], reason: 'syncs quality profiles into the *arr apps from the internet', ports: [], egress: true, talksTo: downloadingArrs}),
	// Downloads.
	download('qbittorrent', 8080, ['qbittorrent', 'qbittorrent-nox'], 'WEBUI_PORT'),
	download('transmission', 9091),
	download('deluge', 8112),
	download('sabnzbd', 8080),
	download('nzbget', 6789),
	row('gluetun', {role: 'vpn', tiers: ['download'], reason: 'VPN gateway: its namespace carries the download clients', ports: [8000], egress: true}),
	row('wireguard', {images: ['wireguard'], names: ['wireguard', 'vpn'], role: 'vpn', tiers: ['download'], reason: 'VPN gateway', ports: [], egress: true}),
	// wg-easy is a WireGuard server for remote users, not a client for downloads: an entry point.
	row('wg-easy', {images: ['wg-easy'], names: ['wg-easy'], role: 'tunnel', tiers: ['dmz'], reason: 'VPN server for remote users: an entry point from outside, at the edge', ports: [51821], egress: true, web: true}),
	row('transmission-openvpn', {role: 'vpn', tiers: ['download'], reason: 'VPN gateway with transmission inside', ports: [9091], egress: true, web: true}),
	row('qbittorrentvpn', {images: ['arch-qbittorrentvpn', 'qbittorrentvpn'], role: 'vpn', tiers: ['download'], reason: 'VPN gateway with qbittorrent inside', ports: [8080], portVariable: 'WEBUI_PORT', egress: true, web: true}),
	{...arr('jackett', 9117, 'indexer proxy: searches indexers on the internet, feeds the *arr apps'), talksTo: ['flaresolverr']},
	arr('mylar3', 8090, 'comics automation: talks to indexers and download clients'),
	arr('lazylibrarian', 5299, 'books automation: talks to indexers and download clients'),
	row('cross-seed', {role: 'download-client', tiers: ['download'], reason: 'cross-seeding: talks to the torrent client and indexers', ports: [2468], egress: true}),
	row('qbit_manage', {images: ['qbit_manage'], names: ['qbit_manage', 'qbit-manage'], role: 'arr', tiers: ['download'], reason: 'torrent housekeeping: talks to qbittorrent', ports: [], egress: true}),
	row('slskd', {role: 'download-client', tiers: ['download'], reason: 'Soulseek client: peers on the internet', ports: [5030], egress: true, web: true}),
	// Other apps homelabs run.
	row('vaultwarden', {images: ['vaultwarden', 'vaultwarden/server'], role: 'dashboard', tiers: ['frontend'], reason: 'password manager: user-facing (icons and push need the internet)', ports: [80], egress: true, web: true}),
	row('whoami', {role: 'dashboard', tiers: ['frontend'], reason: 'echo service for testing the proxy', ports: [80], egress: false, web: true}),
	row('calibre-web', {role: 'media', tiers: ['frontend'], reason: 'e-book library: user-facing, fetches metadata', ports: [8083], egress: true, web: true}),
	row('audiobookshelf', {role: 'media', tiers: ['frontend'], reason: 'audiobooks and podcasts: user-facing, fetches metadata and feeds', ports: [80], egress: true, web: true}),
	row('navidrome', {role: 'media', tiers: ['frontend'], reason: 'music server: user-facing', ports: [4533], egress: true, web: true}),
	row('nextcloud', {images: ['nextcloud'], role: 'media', tiers: ['frontend', 'backend'], reason: 'file cloud: user-facing, uses its database and cache (federation and app store need the internet)', ports: [80], egress: true, web: true}),
	row('paperless-ngx', {images: ['paperless-ngx'], names: ['paperless', 'paperless-ngx'], role: 'media', tiers: ['frontend'], reason: 'documents: user-facing, uses its database and redis', ports: [8000], egress: true, web: true}),
	row('syncthing', {role: 'media', tiers: ['frontend'], reason: 'file sync: UI on 8384, peers and relays on the internet', ports: [8384, 22000], egress: true, web: true}),
	row('beets', {role: 'arr', tiers: ['backend'], reason: 'music tagger: looks up MusicBrainz', ports: [8337], egress: true}),
	row('mosquitto', {images: ['eclipse-mosquitto', 'mosquitto'], role: 'arr', tiers: ['backend'], reason: 'MQTT broker: its clients publish and subscribe', ports: [1883], egress: false}),
	row('zigbee2mqtt', {role: 'dashboard', tiers: ['frontend'], reason: 'Zigbee bridge: UI, talks to the MQTT broker', ports: [8080], egress: true, web: true, talksTo: ['mosquitto']}),
	row('pihole', {images: ['pihole'], names: ['pihole', 'pi-hole'], role: 'tunnel', tiers: ['dmz'], reason: 'DNS for the LAN: faces the network, forwards upstream', ports: [80, 53], egress: true, web: true}),
	row('unbound', {role: 'arr', tiers: ['backend'], reason: 'recursive DNS resolver: asks the root servers', ports: [53], egress: true}),
	row('adminer', {role: 'ops', tiers: ['mgmt'], reason: 'database admin UI', ports: [8080], egress: false, web: true}),
	row('netshoot', {role: 'ops', tiers: ['mgmt'], reason: 'network troubleshooting toolbox', ports: [], egress: true}),
	// Data.
	store('postgres', 5432, ['postgres', 'pgvecto-rs', 'postgis', 'immich-app/postgres']),
	store('mariadb', 3306, ['mariadb']),
	store('mysql', 3306, ['mysql']),
	store('redis', 6379, ['redis', 'valkey', 'keydb']),
	store('mongo', 27017, ['mongo', 'mongodb']),
	// Dashboards.
	row('homepage', {images: ['homepage'], role: 'dashboard', tiers: ['frontend'], reason: 'dashboard: user-facing, widgets call the apps', ports: [3000], portVariable: 'PORT', egress: true, web: true}),
	row('homarr', {role: 'dashboard', tiers: ['frontend'], reason: 'dashboard: user-facing', ports: [7575], egress: true, web: true}),
	row('heimdall', {role: 'dashboard', tiers: ['frontend'], reason: 'dashboard: user-facing', ports: [80, 443], egress: true, web: true}),
	row('organizr', {role: 'dashboard', tiers: ['frontend'], reason: 'dashboard: user-facing', ports: [80], egress: true, web: true}),
	row('web-ui', {images: [], names: ['web-ui', 'webui', 'web'], role: 'dashboard', tiers: ['frontend'], reason: 'a web front end', ports: [], egress: true, web: true}),
	// Monitoring and operations.
	row('prometheus', {role: 'monitoring', tiers: ['mgmt', 'frontend', 'backend', 'download'], reason: 'metrics: scrapes every tier it joins', ports: [9090], egress: false}),
	row('grafana', {role: 'monitoring', tiers: ['mgmt', 'frontend'], reason: 'dashboards: user-facing, reads prometheus', ports: [3000], egress: true, web: true}),
	row('alertmanager', {role: 'monitoring', tiers: ['mgmt'], reason: 'alerts: sends notifications out', ports: [9093], egress: true}),
	row('loki', {role: 'monitoring', tiers: ['mgmt'], reason: 'log store: promtail and grafana talk to it', ports: [3100], egress: false}),
	row('promtail', {role: 'exporter', tiers: ['mgmt'], reason: 'log shipper: pushes to loki', ports: [9080], egress: false}),
	row('cadvisor', {role: 'exporter', tiers: ['mgmt'], reason: 'container metrics, scraped by prometheus', ports: [8080], egress: false}),
	row('node-exporter', {images: ['node-exporter'], names: ['node-exporter', 'node_exporter', 'nodeexporter'], role: 'exporter', tiers: ['mgmt'], reason: 'host metrics, scraped by prometheus', ports: [9100], egress: false}),
	row('uptime-kuma', {role: 'monitoring', tiers: ['mgmt'], reason: 'uptime checks: probes sites and notifies', ports: [3001], egress: true, web: true}),
	row('dozzle', {role: 'ops', tiers: ['mgmt'], reason: 'log viewer: reads the docker socket', ports: [8080], egress: false, web: true}),
	row('portainer', {images: ['portainer', 'portainer-ce', 'portainer-ee'], role: 'ops', tiers: ['mgmt'], reason: 'container admin UI: reads the docker socket', ports: [9000, 9443], egress: false, web: true}),
	row('watchtower', {role: 'ops', tiers: ['mgmt'], reason: 'image updates: pulls from registries via the docker socket', ports: [], egress: true}),
	row('autoheal', {role: 'ops', tiers: ['mgmt'], reason: 'restarts unhealthy containers through the docker socket', ports: [], egress: false}),
	row('ddns', {images: ['duckdns', 'ddns-updater', 'cloudflare-ddns'], names: ['duckdns', 'ddns', 'ddns-updater', 'cloudflare-ddns'], role: 'ops', tiers: ['mgmt'], reason: 'dynamic DNS: an outbound-only updater that no service talks to, kept with operations (and its internet)', ports: [], egress: true}),
];

/** The built-in tiers, in the order networks are drafted, with what each is for. */
export const builtinTiers: Record<string, {purpose: string; internal: boolean}> = {
	dmz: {purpose: 'ingress: reverse proxies and tunnels', internal: false},
	frontend: {purpose: 'user-facing apps and dashboards', internal: true},
	backend: {purpose: 'automation, APIs and the data they use', internal: true},
	download: {purpose: 'VPN-routed downloads', internal: false},
	mgmt: {purpose: 'monitoring and operations', internal: true},
	security: {purpose: 'authentication and security services', internal: false},
};
