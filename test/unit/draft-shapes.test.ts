import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {loadComposeProject, type ComposeModel} from '../../source/compose/project.js';
import {draftPerAppPlan, draftTieredPlan} from '../../source/plan/draft.js';
import {parsePlan} from '../../source/plan/load.js';
import {reachWarnings} from '../../source/plan/reach.js';
import type {Plan} from '../../source/plan/schema.js';
import {validatePlan} from '../../source/plan/validate.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const homelab = loadComposeProject(path.join(fixtures, 'draft-homelab'), ['compose.yaml']);
const base = {project: homelab, legacy: 'proxy', usedSubnets: [], composeFiles: ['compose.yaml'], stackRoot: '.'};

function validated(text: string, project: ComposeModel): Plan {
	const {plan, locate} = parsePlan(path.join(project.root, 'drafted.yml'), text);
	assert.deepEqual(validatePlan(plan, project, locate), []);
	assert.deepEqual(
		reachWarnings(plan, project, locate).map((problem) => problem.message),
		[],
	);
	return plan;
}
const checksOf = (plan: Plan, index: number) =>
	plan.iterations[index]?.checks.map(
		(check) => `${check.from}>${check.to}@${check.via}${check.expect === 'blocked' ? ' blocked' : ''}`,
	) ?? [];

test('a real-shaped homelab: every service is placed by its image, and the accounting names the rest', () => {
	const draft = draftTieredPlan(base);
	const plan = validated(draft.text, homelab);
	assert.deepEqual(plan.iterations[0]?.attach, {
		traefik: ['dmz-net', 'security-net', 'frontend-net', 'download-net', 'backend-net'],
		'traefik-forward-auth': ['security-net'],
		crowdsec: ['security-net'],
		'crowdsec-bouncer-traefik': ['security-net'],
		media: ['frontend-net'],
		'plex-auto-languages': ['frontend-net'],
		gluetun: ['download-net'],
		sonarr: ['backend-net', 'download-net'],
		prowlarr: ['backend-net', 'download-net'],
		flaresolverr: ['backend-net'],
		homepage: ['frontend-net'],
		'immich-server': ['frontend-net', 'backend-net'],
		watchtower: ['mgmt-net'],
		mystery: ['frontend-net'],
	});
	assert.match(draft.text, /#   media +frontend-net — media server: .*\(by image plexinc\/pms-docker\)/);
	assert.match(draft.text, /#   qbittorrent +follows gluetun/);
	assert.match(draft.text, /#   fail2ban +not movable — network_mode: host/);
	// Not in the catalog, but Traefik's labels route it: user-facing, and the draft says why (issue 23).
	assert.match(draft.text, /#   mystery +frontend-net — routed by the reverse proxy \(Traefik labels\): user-facing/);
	// The data of immich has no internet today (an internal network): the draft never gives it one.
	assert.match(draft.text, /#   database +stays on homelab_immich — .*not put on backend-net: it has no internet today/);
	assert.match(draft.text, /#   redis +stays on homelab_immich/);
	assert.deepEqual(draft.unclassified, []);
	assert.deepEqual(Object.keys(plan.networks), ['dmz-net', 'frontend-net', 'backend-net', 'download-net', 'mgmt-net', 'security-net']);
	assert.ok(
		Object.values(plan.networks).every((network) => !network.internal),
		'every tier here has a member that needs the internet',
	);
});

test('a real-shaped homelab: checks probe the ports the stack names, never inside one namespace, never to the proxy', () => {
	const plan = validated(draftTieredPlan(base).text, homelab);
	assert.deepEqual(checksOf(plan, 0), [
		'traefik>traefik-forward-auth:4181@security-net',
		'traefik>media:32400@frontend-net',
		'traefik>gluetun:8085@download-net',
		'traefik>sonarr:8989@backend-net',
		'traefik>prowlarr:9696@backend-net',
		'traefik>homepage:3000@frontend-net',
		'traefik>immich-server:2283@frontend-net',
		'traefik>mystery:8123@frontend-net',
		'crowdsec-bouncer-traefik>crowdsec:8080@security-net',
		'plex-auto-languages>media:32400@frontend-net',
		'sonarr>qbittorrent:8085@download-net',
		'sonarr>nzbget:6789@download-net',
		'prowlarr>qbittorrent:8085@download-net',
		'prowlarr>nzbget:6789@download-net',
		'prowlarr>sonarr:8989@backend-net',
		'prowlarr>flaresolverr:8191@backend-net',
		'gluetun>media:32400@frontend-net blocked',
		'gluetun>sonarr:8989@backend-net blocked',
		'traefik-forward-auth>gluetun:8085@download-net blocked',
		'gluetun>traefik-forward-auth:4181@security-net blocked',
	]);
	const all = plan.iterations.flatMap((iteration) => iteration.checks);
	assert.ok(!all.some((check) => check.to.startsWith('traefik:')), 'nothing checks a forward-auth or bouncer "to traefik:80"');
	assert.ok(
		!all.some(
			(check) =>
				['qbittorrent', 'nzbget', 'gluetun'].includes(check.from) &&
				['qbittorrent', 'nzbget', 'gluetun'].includes(check.to.split(':')[0] as string),
		),
	);
});

test("a real-shaped homelab: allow-lists, the proxy's network labels, consolidation and retirement", () => {
	const plan = validated(draftTieredPlan(base).text, homelab);
	const [foundation, consolidation, retire] = plan.iterations as [
		Plan['iterations'][number],
		Plan['iterations'][number],
		Plan['iterations'][number],
	];
	assert.deepEqual(foundation.firewall, [
		{service: 'gluetun', variable: 'FIREWALL_OUTBOUND_SUBNETS', ensure: ['172.20.0.0/16']},
		{service: 'immich-server', variable: 'IMMICH_TRUSTED_PROXIES', ensure: ['172.20.1.0/24']},
	]);
	// No global provider network: traefik is ambiguous from the first attach, so the labels come with it.
	assert.deepEqual(foundation.labels, {
		'traefik-forward-auth': {'traefik.docker.network': 'security-net'},
		media: {'traefik.docker.network': 'frontend-net'},
		gluetun: {'traefik.docker.network': 'download-net'},
		sonarr: {'traefik.docker.network': 'backend-net'},
		prowlarr: {'traefik.docker.network': 'backend-net'},
		homepage: {'traefik.docker.network': 'frontend-net'},
		'immich-server': {'traefik.docker.network': 'frontend-net'},
		mystery: {'traefik.docker.network': 'frontend-net'},
	});
	assert.deepEqual(consolidation.unpublish, {media: ['32400']}, 'only the TCP port the proxy serves; the UDP discovery ports stay');
	assert.equal(retire.name, 'retire-legacy');
	// mystery, routed by its labels, moves to frontend-net with the rest (issue 23): nothing keeps traefik on proxy.
	assert.deepEqual(retire.detach.traefik, ['proxy']);
	assert.deepEqual(retire.detach.mystery, ['proxy']);
	assert.deepEqual(retire.detach['immich-server'], ['proxy'], 'it keeps its database over homelab_immich');
	assert.equal(Object.keys(retire.detach).length, 14);
});

test('the per-app preset on the homelab: a group keeps its members and their data, closed when a member has no internet', () => {
	const draft = draftPerAppPlan({
		...base,
		groups: {photos: ['immich-server', 'immich-machine-learning'], downloads: ['sonarr', 'prowlarr', 'qbittorrent', 'flaresolverr']},
	});
	const plan = validated(draft.text, homelab);
	const attach = plan.iterations[0]?.attach ?? {};
	for (const member of ['immich-server', 'immich-machine-learning', 'redis', 'database'])
		assert.ok(attach[member]?.includes('photos-net'), `${member} on photos-net`);
	for (const member of ['sonarr', 'prowlarr', 'gluetun', 'flaresolverr'])
		assert.ok(attach[member]?.includes('downloads-net'), `${member} on downloads-net`);
	assert.equal(plan.networks['photos-net']?.internal, true, 'redis and the database have no internet today');
	assert.equal(plan.networks['downloads-net']?.internal, false);
	assert.ok(attach.traefik?.includes('photos-net') && attach.traefik?.includes('downloads-net'));
	assert.ok(
		!attach.traefik?.includes('watchtower-net') && !attach.traefik?.includes('crowdsec-net'),
		'the proxy joins only networks of apps it routes',
	);
	assert.ok(plan.iterations[0]?.firewall.some((rule) => rule.service === 'gluetun'));
	assert.equal(plan.iterations.at(-1)?.detach['immich-server'], undefined, 'immich-server keeps its way out until it has another');
});

test('a stack where nothing can be classified still gets a draft that validates, every service listed', () => {
	const project = loadComposeProject(path.join(fixtures, 'draft-unknown'), ['docker-compose.yml']);
	const draft = draftTieredPlan({
		project,
		legacy: 'draft-unknown_default',
		usedSubnets: [],
		composeFiles: ['docker-compose.yml'],
		stackRoot: '.',
	});
	const plan = validated(draft.text, project);
	assert.deepEqual(plan.networks, {});
	assert.deepEqual(
		plan.iterations.map((iteration) => iteration.name),
		['network-foundation'],
	);
	assert.deepEqual(draft.unclassified, ['app', 'worker']);
	assert.match(
		draft.text,
		/#   app +stays on draft-unknown_default — image registry\.example\.org\/team\/app:2\.3 is not in the catalog/,
	);
	assert.match(draft.text, /No retire-legacy iteration yet/);
});

test("caddy-docker-proxy routes by labels; authentik's parts share an image; a VPN with LOCAL_NETWORK; a container: namespace is not movable", () => {
	const project = loadComposeProject(path.join(fixtures, 'draft-caddy'), ['docker-compose.yml']);
	const draft = draftTieredPlan({project, legacy: 'web', usedSubnets: [], composeFiles: ['docker-compose.yml'], stackRoot: '.'});
	const plan = validated(draft.text, project);
	assert.deepEqual(plan.iterations[0]?.attach, {
		caddy: ['dmz-net', 'security-net', 'frontend-net', 'download-net'],
		'authentik-server': ['security-net'],
		'authentik-worker': ['security-net'],
		postgresql: ['security-net'],
		redis: ['security-net'],
		homarr: ['frontend-net'],
		transmission: ['download-net'],
		tdarr: ['backend-net'],
		'tdarr-node': ['backend-net'],
	});
	assert.match(draft.text, /#   sabnzbd +not movable — shares container transmission's network namespace/);
	assert.deepEqual(checksOf(plan, 0), [
		'caddy>authentik-server:9000@security-net',
		'caddy>homarr:7575@frontend-net',
		'caddy>transmission:9091@download-net',
		'authentik-server>postgresql:5432@security-net',
		'authentik-server>redis:6379@security-net',
		'authentik-worker>postgresql:5432@security-net',
		'authentik-worker>redis:6379@security-net',
		'tdarr-node>tdarr:8265@backend-net',
		'transmission>homarr:7575@frontend-net blocked',
		'transmission>tdarr:8265@backend-net blocked',
		'authentik-server>transmission:9091@download-net blocked',
		'transmission>authentik-server:9000@security-net blocked',
	]);
	assert.deepEqual(plan.iterations[0]?.firewall, [{service: 'transmission', variable: 'LOCAL_NETWORK', ensure: ['172.20.0.0/16']}]);
	assert.deepEqual(plan.iterations[0]?.labels, {}, 'traefik.docker.network is for traefik only');
	assert.deepEqual(plan.iterations[1]?.unpublish, {transmission: ['9091']});
	assert.ok(
		draft.warnings.includes(
			"caddy's CADDY_INGRESS_NETWORKS (web) must also name security-net, frontend-net, download-net before web is retired, or it stops routing",
		),
	);
});
