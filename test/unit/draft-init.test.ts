import assert from 'node:assert/strict';
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {initCommand} from '../../source/commands/init.js';
import {loadComposeProject} from '../../source/compose/project.js';
import {draftTieredPlan} from '../../source/plan/draft.js';
import {parsePlan} from '../../source/plan/load.js';
import {reachWarnings} from '../../source/plan/reach.js';
import {validatePlan} from '../../source/plan/validate.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const noEngine = 'unix:///nonexistent/netmigrate-test.sock';

function stackOf(files: Record<string, string>): string {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'netmigrate-draft-'));
	for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
	return dir;
}

test('netmigrate init on a stack where nothing is classified writes a draft instead of failing its own validation', async () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'netmigrate-draft-'));
	cpSync(path.join(fixtures, 'draft-unknown'), dir, {recursive: true});
	const lines: string[] = [];
	const code = await initCommand({host: noEngine, stack: dir, files: [], preset: 'tiered', groups: [], force: false}, (line) =>
		lines.push(line),
	);
	assert.equal(code, 0);
	assert.match(lines[0] ?? '', /wrote .*netmigrate\.yml: 0 networks/);
	assert.ok(lines.includes('not classified (assign by hand): app, worker'));
	assert.match(readFileSync(path.join(dir, 'netmigrate.yml'), 'utf8'), /#   worker +stays on /);
});

test('a VPN that carries clients but has no allow-list variable is a warning; a trusted-proxy switch is not a list', () => {
	const dir = stackOf({
		'compose.yaml': `services:
  vpn:
    image: lscr.io/linuxserver/wireguard:latest
    networks: [flat]
  transmission:
    image: lscr.io/linuxserver/transmission:latest
    network_mode: service:vpn
  sonarr:
    image: lscr.io/linuxserver/sonarr:latest
    networks: [flat]
  pocket-id:
    image: ghcr.io/pocket-id/pocket-id:v1
    environment: [TRUST_PROXY=true]
    labels: [traefik.enable=true]
    networks: [flat]
  traefik:
    image: traefik:v3
    networks: [flat]
networks:
  flat: { name: flat }
`,
	});
	const project = loadComposeProject(dir, ['compose.yaml']);
	const draft = draftTieredPlan({project, legacy: 'flat', usedSubnets: [], composeFiles: ['compose.yaml'], stackRoot: '.'});
	const {plan, locate} = parsePlan(path.join(dir, 'netmigrate.yml'), draft.text);
	assert.deepEqual(validatePlan(plan, project, locate), []);
	assert.deepEqual(plan.iterations[0]?.firewall, [], 'TRUST_PROXY=true is a switch: nothing to add');
	assert.ok(
		draft.warnings.some((warning) => /^vpn carries transmission in its namespace but sets no outbound allow-list/.test(warning)),
		draft.warnings.join('\n'),
	);
	assert.match(draft.text, /# WARNING: vpn carries transmission/);
	assert.ok(plan.iterations[0]?.checks.some((check) => `${check.from}>${check.to}` === 'sonarr>transmission:9091'));
	assert.ok(plan.iterations[0]?.checks.some((check) => `${check.from}>${check.to}` === 'traefik>pocket-id:1411'));
});

test('a hand-written plan that gives a service with no internet today a network with a way out is warned about', () => {
	const dir = stackOf({
		'compose.yaml': `services:
  app:
    image: example/app:1
    networks: [front, data]
  db:
    image: postgres:16
    networks: [data]
networks:
  front: { name: front }
  data: { name: data, internal: true }
`,
		'netmigrate.yml': '',
	});
	const project = loadComposeProject(dir, ['compose.yaml']);
	const text = `version: 1
legacy: front
networks:
  app-net: { subnet: 172.20.9.0/24 }
iterations:
  - name: per-app
    attach: { app: [app-net], db: [app-net] }
`;
	const {plan, locate} = parsePlan(path.join(dir, 'netmigrate.yml'), text);
	assert.deepEqual(validatePlan(plan, project, locate), []);
	const warnings = reachWarnings(plan, project, locate);
	assert.deepEqual(
		warnings.map((warning) => warning.message),
		['iteration 1 (per-app) puts db on app-net, which is not internal: it has no way to the internet today and would gain one'],
	);
	assert.equal(warnings[0]?.where?.line, 7);
});

test('a tier is opened only for services that would otherwise lose the internet: one with another way out keeps it', () => {
	const dir = stackOf({
		'compose.yaml': `services:
  jellyfin:
    image: jellyfin/jellyfin:10.10
    networks: [flat, uplink]
  homepage:
    image: ghcr.io/gethomepage/homepage:latest
    networks: [flat]
  node-exporter:
    image: prom/node-exporter:latest
    networks: [flat]
networks:
  flat: { name: flat }
  uplink: { name: uplink }
`,
	});
	const project = loadComposeProject(dir, ['compose.yaml']);
	const draft = draftTieredPlan({
		project,
		legacy: 'flat',
		usedSubnets: [],
		composeFiles: ['compose.yaml'],
		stackRoot: '.',
		rules: [{match: ['homepage'], tiers: ['mgmt']}],
	});
	const {plan, locate} = parsePlan(path.join(dir, 'netmigrate.yml'), draft.text);
	assert.deepEqual(validatePlan(plan, project, locate), []);
	assert.deepEqual(reachWarnings(plan, project, locate), []);
	assert.equal(plan.networks['frontend-net']?.internal, true, 'jellyfin keeps uplink: frontend stays internal');
	assert.equal(plan.networks['mgmt-net']?.internal, false, "homepage (by the operator's rule on mgmt) needs the internet");
	assert.deepEqual(plan.services, {});
});

test('a routed service with no internet today is not moved onto a tier with a way out, and the proxy does not join that tier for it', () => {
	const dir = stackOf({
		'compose.yaml': `services:
  traefik:
    image: traefik:v3.1
    networks: [flat, media-int]
  jellyfin:
    image: lscr.io/linuxserver/jellyfin:latest
    labels: [traefik.enable=true]
    networks: [media-int]
  homepage:
    image: ghcr.io/gethomepage/homepage:latest
    networks: [flat]
networks:
  flat: { name: flat }
  media-int: { name: media-int, internal: true }
`,
	});
	const project = loadComposeProject(dir, ['compose.yaml']);
	const draft = draftTieredPlan({project, legacy: 'flat', usedSubnets: [], composeFiles: ['compose.yaml'], stackRoot: '.'});
	const {plan, locate} = parsePlan(path.join(dir, 'netmigrate.yml'), draft.text);
	assert.deepEqual(validatePlan(plan, project, locate), []);
	assert.deepEqual(reachWarnings(plan, project, locate), []);
	assert.deepEqual(plan.iterations[0]?.attach, {traefik: ['dmz-net'], homepage: ['frontend-net']});
	assert.match(draft.text, /#   jellyfin +stays on media-int — .*not put on frontend-net: it has no internet today/);
	assert.deepEqual(
		plan.iterations.at(-1)?.detach,
		{traefik: ['flat'], homepage: ['flat']},
		'traefik still reaches jellyfin over media-int',
	);
});
