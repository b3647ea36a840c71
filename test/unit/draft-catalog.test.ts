import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ServiceModel} from '../../source/compose/project.js';
import {catalog} from '../../source/plan/catalog.js';
import {identify, parseImage} from '../../source/plan/images.js';
import {listeningPort} from '../../source/plan/listening.js';

test('image references parse into registry, namespace, repository, tag and digest with Docker Hub defaults', () => {
	assert.deepEqual(parseImage('postgres:16'), {registry: 'docker.io', namespace: 'library', repository: 'postgres', tag: '16'});
	assert.deepEqual(parseImage('lscr.io/linuxserver/sonarr:latest'), {
		registry: 'lscr.io',
		namespace: 'linuxserver',
		repository: 'sonarr',
		tag: 'latest',
	});
	assert.deepEqual(parseImage('ghcr.io/hotio/sonarr:release'), {
		registry: 'ghcr.io',
		namespace: 'hotio',
		repository: 'sonarr',
		tag: 'release',
	});
	assert.deepEqual(parseImage('localhost:5000/tools/app'), {registry: 'localhost:5000', namespace: 'tools', repository: 'app'});
	assert.deepEqual(parseImage('docker.io/valkey/valkey:8-alpine@sha256:abc'), {
		registry: 'docker.io',
		namespace: 'valkey',
		repository: 'valkey',
		tag: '8-alpine',
		digest: 'sha256:abc',
	});
	assert.deepEqual(
		parseImage('ghcr.io/immich-app/immich-server:${IMMICH_VERSION:-release}'.replace('${IMMICH_VERSION:-release}', 'v1.120.0'))
			.repository,
		'immich-server',
	);
});

const id = (image: string | undefined, name = 'app', command = '') => identify({name, ...(image ? {image} : {}), command})?.entry.id;

test('services are identified by their image repository, whatever the service is called', () => {
	const cases: Array<[string, string, string | undefined]> = [
		['plexinc/pms-docker:latest', 'media', 'plex'],
		['lscr.io/linuxserver/plex', 'pms', 'plex'],
		['remirigal/plex-auto-languages:latest', 'plex-auto-languages', 'plex-auto-languages'],
		['thomseddon/traefik-forward-auth:2', 'traefik-forward-auth', 'traefik-forward-auth'],
		['fbonalair/traefik-crowdsec-bouncer:latest', 'crowdsec-bouncer-traefik', 'crowdsec-bouncer'],
		['ghcr.io/fallenbagel/jellyseerr', 'requests', 'seerr'],
		['ghcr.io/seerr-team/seerr:latest', 'seerr', 'seerr'],
		['ghcr.io/thephaseless/byparr', 'solver', 'flaresolverr'],
		['lscr.io/linuxserver/nzbget', 'usenet', 'nzbget'],
		['ghcr.io/gethomepage/homepage:latest', 'home', 'homepage'],
		['qmcgaw/gluetun', 'vpn', 'gluetun'],
		['docker.io/valkey/valkey:8', 'cache', 'redis'],
		['ghcr.io/haveagitgat/tdarr_node', 'node1', 'tdarr-node'],
		['ghcr.io/immich-app/immich-machine-learning:release', 'ml', 'immich-machine-learning'],
		['tensorchord/pgvecto-rs:pg14-v0.2.0', 'database', 'postgres'],
		['quay.io/oauth2-proxy/oauth2-proxy', 'oauth', 'oauth2-proxy'],
		['traefik:v3.1', 'proxy', 'traefik'],
		['nginx:alpine', 'nginx', undefined],
	];
	for (const [image, name, expected] of cases) assert.equal(id(image, name), expected, `${name} (${image})`);
});

test('authentik server and worker share an image and are told apart by their command', () => {
	assert.equal(id('ghcr.io/goauthentik/server:2024.8', 'authentik-server', 'server'), 'authentik');
	assert.equal(id('ghcr.io/goauthentik/server:2024.8', 'authentik-worker', 'worker'), 'authentik-worker');
});

test('names are only a fallback, matched whole or with an instance suffix, never as a substring', () => {
	assert.equal(id(undefined, 'radarr-4k'), 'radarr');
	assert.equal(id(undefined, 'sonarr_anime'), 'sonarr');
	assert.equal(id(undefined, 'plex-auto-languages'), 'plex-auto-languages');
	assert.equal(id(undefined, 'traefik-certs-dumper'), undefined);
	assert.equal(id('my/custom-build:1', 'jellyfin'), 'jellyfin', 'an unknown image falls back to the name');
});

test("every catalog entry has a reason, and the ports owners rely on are the images' real defaults", () => {
	for (const entry of catalog) assert.ok(entry.reason.length > 10, entry.id);
	const port = (entryId: string) => catalog.find((entry) => entry.id === entryId)?.ports[0];
	const expected: Record<string, number> = {
		nzbget: 6789,
		homepage: 3000,
		homarr: 7575,
		sabnzbd: 8080,
		qbittorrent: 8080,
		jellyfin: 8096,
		plex: 32400,
		sonarr: 8989,
		radarr: 7878,
		prowlarr: 9696,
		bazarr: 6767,
		seerr: 5055,
		tautulli: 8181,
		grafana: 3000,
		prometheus: 9090,
		lidarr: 8686,
		readarr: 8787,
		flaresolverr: 8191,
		transmission: 9091,
		deluge: 8112,
		'immich-server': 2283,
		authelia: 9091,
		authentik: 9000,
		'node-exporter': 9100,
		alertmanager: 9093,
		'uptime-kuma': 3001,
		postgres: 5432,
		redis: 6379,
	};
	for (const [entryId, value] of Object.entries(expected)) assert.equal(port(entryId), value, entryId);
});

function service(fields: Partial<ServiceModel> & {config?: Record<string, unknown>}): ServiceModel {
	return {
		name: 'app',
		file: 'compose.yml',
		node: undefined as never,
		config: {},
		networks: ['media'],
		networkKeys: ['media'],
		environment: [],
		envFiles: [],
		dependsOn: [],
		labels: {},
		origins: {layers: [], networkEntries: {}, environment: {}, ports: []},
		profiles: [],
		active: true,
		...fields,
	};
}
const entry = (entryId: string) => catalog.find((candidate) => candidate.id === entryId);

test("a check's port comes from the proxy label, then the port variable, the healthcheck, the image default, then published TCP ports", () => {
	const labelled = service({
		labels: {'traefik.http.services.qbit.loadbalancer.server.port': '8085'},
		environment: [{key: 'WEBUI_PORT', value: '8090', form: 'map'}],
	});
	assert.deepEqual(listeningPort(labelled, entry('qbittorrent')), {port: 8085, source: 'proxy label'});
	assert.deepEqual(listeningPort(service({labels: {caddy: 'app.example.org', 'caddy.reverse_proxy': '{{upstreams 8123}}'}})), {
		port: 8123,
		source: 'proxy label',
	});
	assert.deepEqual(listeningPort(service({environment: [{key: 'WEBUI_PORT', value: '8090', form: 'list'}]}), entry('qbittorrent')), {
		port: 8090,
		source: 'port variable',
	});
	assert.deepEqual(
		listeningPort(service({config: {healthcheck: {test: 'curl -fs http://localhost:9705/ping || exit 1'}}}), entry('prowlarr')),
		{port: 9705, source: 'healthcheck'},
	);
	assert.deepEqual(listeningPort(service({config: {ports: ['8080:6789']}}), entry('nzbget')), {port: 6789, source: 'image default'});
	assert.deepEqual(
		listeningPort(
			service({
				config: {
					ports: ['1900:1900/udp', '7359:7359/udp', {target: 8920, published: 8920, protocol: 'udp'}, '127.0.0.1:8443:8443'],
				},
			}),
		),
		{port: 8443, source: 'published port'},
	);
	assert.equal(listeningPort(service({config: {ports: ['1900:1900/udp']}})), undefined, 'a UDP port is never chosen for a TCP check');
});

test("the running container's image is preferred, unless it is only an image ID", async () => {
	const {placeServices} = await import('../../source/plan/tiering.js');
	const {loadComposeProject} = await import('../../source/compose/project.js');
	const {exampleStack} = await import('../harness/engine.js');
	const project = loadComposeProject(exampleStack, ['docker-compose.yml']);
	const images = new Map([
		['web-ui', 'ghcr.io/gethomepage/homepage:v0.9'],
		['dozzle', 'sha256:4f0c1b7e9a2d4c6e8b1a3f5d7c9e0b2a4f0c1b7e9a2d4c6e8b1a3f5d7c9e0b2a'],
	]);
	const tiering = placeServices({project, images});
	assert.equal(tiering.placements.get('web-ui')?.identified?.entry.id, 'homepage');
	assert.equal(tiering.placements.get('web-ui')?.port?.port, 80, 'the healthcheck still says 80 in this stand-in');
	assert.equal(
		tiering.placements.get('dozzle')?.identified?.entry.id,
		'dozzle',
		'an image ID falls back to the compose image, then the name',
	);
});
