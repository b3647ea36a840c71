/**
 * Downloads: the clients the *arr apps hand work to, and the VPN gateways whose namespace
 * carries them (download tier).
 */
import {arr, download, row, type CatalogEntry} from './rows.js';

export const downloadEntries: CatalogEntry[] = [
	// Downloads.
	download('qbittorrent', 8080, ['qbittorrent', 'qbittorrent-nox'], 'WEBUI_PORT'),
	download('transmission', 9091),
	download('deluge', 8112),
	download('sabnzbd', 8080),
	download('nzbget', 6789),
	row('gluetun', {
		role: 'vpn',
		tiers: ['download'],
		reason: 'VPN gateway: its namespace carries the download clients',
		ports: [8000],
		egress: true,
	}),
	row('wireguard', {
		images: ['wireguard'],
		names: ['wireguard', 'vpn'],
		role: 'vpn',
		tiers: ['download'],
		reason: 'VPN gateway',
		ports: [],
		egress: true,
	}),
	// wg-easy is a WireGuard server for remote users, not a client for downloads: an entry point.
	row('wg-easy', {
		images: ['wg-easy'],
		names: ['wg-easy'],
		role: 'tunnel',
		tiers: ['dmz'],
		reason: 'VPN server for remote users: an entry point from outside, at the edge',
		ports: [51821],
		egress: true,
		web: true,
	}),
	row('transmission-openvpn', {
		role: 'vpn',
		tiers: ['download'],
		reason: 'VPN gateway with transmission inside',
		ports: [9091],
		egress: true,
		web: true,
	}),
	row('qbittorrentvpn', {
		images: ['arch-qbittorrentvpn', 'qbittorrentvpn'],
		role: 'vpn',
		tiers: ['download'],
		reason: 'VPN gateway with qbittorrent inside',
		ports: [8080],
		portVariable: 'WEBUI_PORT',
		egress: true,
		web: true,
	}),
	{...arr('jackett', 9117, 'indexer proxy: searches indexers on the internet, feeds the *arr apps'), talksTo: ['flaresolverr']},
	arr('mylar3', 8090, 'comics automation: talks to indexers and download clients'),
	arr('lazylibrarian', 5299, 'books automation: talks to indexers and download clients'),
	row('cross-seed', {
		role: 'download-client',
		tiers: ['download'],
		reason: 'cross-seeding: talks to the torrent client and indexers',
		ports: [2468],
		egress: true,
	}),
	row('qbit_manage', {
		images: ['qbit_manage'],
		names: ['qbit_manage', 'qbit-manage'],
		role: 'arr',
		tiers: ['download'],
		reason: 'torrent housekeeping: talks to qbittorrent',
		ports: [],
		egress: true,
	}),
	row('slskd', {
		role: 'download-client',
		tiers: ['download'],
		reason: 'Soulseek client: peers on the internet',
		ports: [5030],
		egress: true,
		web: true,
	}),
	// Added for issue 23 from the self-hosted lists and the LinuxServer.io fleet.
	download('rtorrent', 8080, ['rutorrent', 'rtorrent-rutorrent', 'rtorrent']),
	download('aria2', 6800, ['aria2-pro', 'aria2']),
	download('jdownloader', 5800, ['jdownloader-2']),
	download('pyload', 8000, ['pyload-ng', 'pyload']),
];
